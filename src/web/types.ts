import type { Flag, TagMinute } from '../model/index.ts';

/*
 * The read side of tagwatch as the web server sees it. Times inside are epoch ms (UTC); the
 * HTTP layer turns them into ISO strings (`docs/api.md`).
 */

/** How the trends board ranks tags. */
export const TagRankings = {
  velocity: 'velocity',
  zscore: 'zscore',
  authors: 'authors',
  coordination: 'coordination',
} as const;
export type TagRanking = (typeof TagRankings)[keyof typeof TagRankings];

export const SeriesResolutions = { minute: 'minute', hour: 'hour' } as const;
export type SeriesResolution = (typeof SeriesResolutions)[keyof typeof SeriesResolutions];

export interface TopTagsQuery {
  rank: TagRanking;
  /** Length of the recent window, in minutes, ending at `at`. */
  windowMinutes: number;
  limit: number;
  /** End of the window (epoch ms); default: the newest closed minute in the store (event time). */
  at?: number;
}

/** An open flag as the board shows it: a badge on the tag's row. */
export interface FlagBadge {
  flagId: string;
  kind: string;
  score: number;
}

export interface TopTag {
  tag: string;
  /** The value it was ranked by. */
  rankValue: number;
  /** Posts in the window. */
  posts: number;
  /** Posts in the tag's newest minute of the window. */
  postsPerMin: number;
  /** Distinct authors in the window. */
  uniqueAuthors: number;
  /** Smoothed posts/min (EWMA) at the tag's newest minute. */
  velocity: number;
  zscore: number;
  /** Share of the window's posts written by accounts younger than 30 days (0..1). */
  youngShare: number;
  /** Highest `coordinated` flag score in the window, 0 when none. */
  coordinationScore: number;
  /** Start of the tag's newest minute in the window. */
  lastMinute: number;
  /** Posts per minute over the window, oldest first, one entry per minute (0 when silent). */
  sparkline: number[];
  openFlags: FlagBadge[];
}

export interface TopTags {
  /** End of the window actually used (null when the store holds no minute yet). */
  at: number | null;
  windowMinutes: number;
  rank: TagRanking;
  tags: TopTag[];
}

export interface SeriesQuery {
  tag: string;
  from?: number;
  to?: number;
  resolution: SeriesResolution;
}

/** Columnar series: every array has one entry per bucket, `t` being the bucket start. */
export interface TagSeries {
  tag: string;
  resolution: SeriesResolution;
  from: number;
  to: number;
  t: number[];
  posts: number[];
  uniqueAuthors: number[];
  /** Null in a minute without posts (no row was emitted for it). */
  velocity: Array<number | null>;
  baselineMean: Array<number | null>;
  baselineStd: Array<number | null>;
  zscore: Array<number | null>;
  youngPosts: number[];
  reposts: number[];
  /** Flags on this tag whose window overlaps the range. */
  flags: FlagSummary[];
}

export interface FlagsQuery {
  kind?: string;
  tag?: string;
  minScore?: number;
  from?: number;
  to?: number;
  limit: number;
  /** Keyset position: flags strictly older than this (detectedAt, flagId), newest first. */
  after?: { detectedAt: number; flagId: string };
  offset?: number;
}

/** A flag without its full author list, for lists and live pushes. */
export interface FlagSummary {
  flagId: string;
  tag: string;
  kind: string;
  detectedAt: number;
  windowStart: number;
  windowEnd: number;
  score: number;
  revision: number;
  authorCount: number;
  /** The first few implicated authors. */
  authors: string[];
  signals: Record<string, number>;
  /** The plain-language sentence from the evidence JSON (or the raw text when it is not JSON). */
  summary: string;
}

export interface FlagPage {
  flags: FlagSummary[];
  /** Opaque cursor for the next page, null on the last one. */
  nextCursor: string | null;
}

export interface SamplePost {
  platform: string;
  id: string;
  authorId: string;
  authorHandle: string | null;
  ts: number;
  kind: string;
  text: string;
  tags: string[];
  parentId: string | null;
}

export interface ImplicatedAccount {
  authorId: string;
  handle: string | null;
  followers: number | null;
  /** When the account was created (epoch ms), null when unknown. */
  accountCreated: number | null;
  /** The account's posts with this tag in the flag's window. */
  posts: number;
  firstPost: number | null;
  lastPost: number | null;
}

export interface FlagEvidence {
  flag: Flag;
  /** The parsed evidence JSON (`{ summary, … }`), or `{ summary: <raw text> }`. */
  evidence: Record<string, unknown>;
  accounts: ImplicatedAccount[];
  samplePosts: SamplePost[];
}

export interface FirstPoster {
  authorId: string;
  handle: string | null;
  postId: string;
  ts: number;
}

export interface CoTag {
  tag: string;
  count: number;
}

export interface CascadeFigures {
  /** Cascades (trees of reposts/replies whose parent is known) rooted in this tag's posts. */
  cascades: number;
  largestSize: number;
  maxDepth: number;
  /** Structural virality (Goel et al. 2016: mean distance between two posts) of the largest cascade. */
  largestStructuralVirality: number;
  /** Mean structural virality of cascades with at least two posts; null when only the largest is known (live state). */
  meanStructuralVirality: number | null;
  /** The largest cascades, biggest first (empty when read from the live state). */
  top: Array<{ rootId: string; size: number; depth: number; structuralVirality: number }>;
}

export interface TagSpread {
  tag: string;
  /** `live` when read from the analyze stage's state, `store` when computed from `posts`. */
  source: 'live' | 'store';
  totalPosts: number;
  uniqueAuthors: number;
  firstPost: number | null;
  /** Event time from the first post to the 100th / 1,000th, ms; null when not reached. */
  timeTo100Ms: number | null;
  timeTo1000Ms: number | null;
  firstPosters: FirstPoster[];
  coTags: CoTag[];
  cascades: CascadeFigures;
}

export interface StoreStatus {
  /** Newest minute written to `tag_minute` (event time), null before the first. */
  latestMinute: number | null;
  /** Newest flag update, null before the first. */
  latestFlag: number | null;
}

/**
 * Queries the web server needs. The ClickHouse implementation (`ClickHouseReadModel`) serves
 * both the embedded store and a ClickHouse server; tests may substitute their own.
 */
export interface ReadModel {
  topTags(query: TopTagsQuery): Promise<TopTags>;
  series(query: SeriesQuery): Promise<TagSeries | null>;
  flags(query: FlagsQuery): Promise<FlagSummary[]>;
  flag(flagId: string): Promise<Flag | null>;
  evidence(flag: Flag, samplePosts: number): Promise<Omit<FlagEvidence, 'flag' | 'evidence'>>;
  spread(tag: string): Promise<TagSpread | null>;
  /** Flags updated at or after `since` (epoch ms, event time), oldest first: polling for new flags. */
  flagsSince(since: number, limit: number): Promise<Flag[]>;
  /** Minutes closed at or after `since`, oldest first (polling for board updates). */
  minutesSince(since: number, limit: number): Promise<TagMinute[]>;
  status(): Promise<StoreStatus>;
  /** Throws when the store cannot answer a query. */
  ping(): Promise<void>;
}

/**
 * The analyze stage's live view of a tag's spread (first posters, co-tags, cascades), when the
 * web server runs in the same process as analyze. Returns undefined for a tag it does not hold.
 */
export interface LiveSpreadReader {
  spread(tag: string): TagSpread | undefined | Promise<TagSpread | undefined>;
}

/**
 * A source of live pipeline events: the lead's `LiveFeedStage` (an event emitter tapping the
 * `flags` and `metrics` streams, in-process or as a Kafka consumer) or `StorePoller` (new rows
 * polled from ClickHouse). Any Node EventEmitter emitting these two events fits.
 */
export interface LiveFeed {
  on(event: 'flag', listener: (flag: Flag) => void): unknown;
  on(event: 'minute', listener: (minute: TagMinute) => void): unknown;
  off(event: 'flag', listener: (flag: Flag) => void): unknown;
  off(event: 'minute', listener: (minute: TagMinute) => void): unknown;
}
