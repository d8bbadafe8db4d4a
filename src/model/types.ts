import type { z } from 'zod';
import type { PostKinds, PostSchema } from './post.ts';

export type PostKind = (typeof PostKinds)[keyof typeof PostKinds];

/** A post as it travels on the wire (replay files, the raw posts stream). */
export type PostInput = z.output<typeof PostSchema>;

/** A validated post inside tagwatch. Times are epoch milliseconds (UTC). */
export interface Post {
  platform: string;
  id: string;
  author: { id: string; handle?: string; createdTs?: number; followers?: number };
  /** Event time: when the post was created on its platform. */
  ts: number;
  text: string;
  /** Normalized tags, unique, in order of appearance. */
  tags: string[];
  /** Spelling of each tag as written in this post (same order as `tags`). */
  tagDisplay: string[];
  lang?: string;
  kind: PostKind;
  parentId?: string;
  urls?: string[];
}

/** A post as collectors hand it to ingest: not yet validated, with where it came from. */
export interface RawPost {
  /** Where the record came from, for dead letters: `replay:file.jsonl:12`, `jetstream:wss://…`. */
  origin: string;
  /** Wall-clock time the collector received it (epoch ms). */
  receivedAt: number;
  /** The post in the wire format (`PostSchema`), unvalidated. */
  post: unknown;
}

/** One (post, tag) pair, keyed by tag, so that all of a tag's events meet in one analyze worker. */
export interface TagEvent {
  tag: string;
  display: string;
  post: Post;
}

/** Per tag and event-time minute; written to `tag_minute` (idempotent on tag + minute). */
export interface TagMinute {
  tag: string;
  /** Start of the minute, epoch ms. */
  minute: number;
  posts: number;
  originals: number;
  reposts: number;
  replies: number;
  quotes: number;
  uniqueAuthors: number;
  newAuthors: number;
  /** Sum of followers of the authors new to this tag in this minute. */
  reach: number;
  /** Posts by accounts younger than 30 days at post time. */
  youngPosts: number;
  languages: number;
  platforms: number;
  /** Share of this minute's posts written by its 10 most active authors (0..1). */
  top10Share: number;
  /** Gini coefficient of posts per author in this minute (0..1). */
  gini: number;
  /** Posts that arrived after their minute had closed (counted here, in the minute they arrived). */
  latePosts: number;
  /** Smoothed posts per minute (EWMA). */
  velocity: number;
  acceleration: number;
  baselineMean: number;
  baselineStd: number;
  zscore: number;
  /** Increases each time this row is re-emitted (late posts); the highest one wins. */
  revision: number;
}

export const FlagKinds = {
  burst: 'burst',
  coordinated: 'coordinated',
  spam: 'spam',
} as const;

/** A detector's finding; the `flags` table contract. Times are epoch ms. */
export interface Flag {
  /** Deterministic: the same input gives the same id (per tag, kind and episode). */
  flagId: string;
  tag: string;
  kind: string;
  /** Event-time watermark when it fired (or was last updated). */
  detectedAt: number;
  windowStart: number;
  windowEnd: number;
  score: number;
  authors: string[];
  postIds: string[];
  signals: Record<string, number>;
  /** JSON text: a plain-language `summary` and the details behind it. */
  evidence: string;
  /** 0 when the episode's flag first fires; each update of the same flag_id increments it. */
  revision: number;
}

/** A record that could not be processed, kept with the reason so nothing is lost. */
export interface DeadLetter {
  /** Stage or collector that rejected it: `replay`, `ingest`, `jetstream`, `kafka`… */
  source: string;
  /** Where it came from: `file.jsonl:12`, `topic/partition/offset`, a URL. */
  ref: string;
  code: string;
  reason: string;
  /** The raw record as text (truncated to a bounded size). */
  payload: string;
  /** Wall-clock time of rejection, epoch ms. */
  at: number;
}

/** A platform's deletion of a post: the store keeps the id and time, drops text and handle. */
export interface Deletion {
  platform: string;
  id: string;
  /** Wall-clock time the deletion was received, epoch ms. */
  at: number;
  /**
   * `account`: the platform deleted, suspended or took down the whole account; `id` is then the
   * author id, and every post of that author created up to `at` is redacted (also posts arriving
   * later). Absent: `id` is one post.
   */
  scope?: 'account';
}

/** One attempt to deliver an alert to a webhook subscriber; written to `webhook_deliveries`. */
export interface WebhookDelivery {
  subscriber: string;
  /** The alert's event id (also its Idempotency-Key). */
  eventId: string;
  flagId: string;
  attempt: number;
  /** `delivered`, `retry` (will be tried again), `dead` (given up, dead-lettered). */
  status: string;
  /** HTTP status, 0 when no response arrived. */
  httpStatus: number;
  latencyMs: number;
  error: string;
  /** Wall-clock time of the attempt, epoch ms. */
  at: number;
}
