import type { PostInput } from '../model/index.ts';
import type { SimLanguage } from './options.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A simulated account. Its `author` object is built once and shared by all of its posts. */
export interface SimAccount {
  index: number;
  id: string;
  handle: string;
  createdTs: number;
  followers: number;
  lang: SimLanguage;
  author: PostInput['author'];
}

/** What a repost, reply or quote needs to know about an earlier post. */
export interface PostRef {
  id: string;
  ts: number;
  text: string;
  /** The explicit `tags` field of the post, when it used one (reposts copy it). */
  tags: string[] | undefined;
  urls: string[] | undefined;
  lang: string | undefined;
  author: SimAccount;
  /** Tag spellings the post used (in its text or its `tags` field). */
  spellings: readonly string[];
}

/** Something that produces posts at scheduled event times (background, a campaign, a hard case). */
export interface SimActor {
  /** Produces the post due at `ts` (or null when the slot turned out empty) and schedules what comes next. */
  act(ts: number, arg: number): PostInput | null;
}

/** Where actors schedule their next actions. */
export interface SimScheduler {
  readonly startTs: number;
  readonly endTs: number;
  schedule(ts: number, actor: SimActor, arg?: number): void;
}

/** An actor that schedules its first action when the simulation starts. */
export interface Startable {
  start(): void;
}

/** Expected organic posts/min of a tag at a time (0 for a fresh tag): the baseline an event is measured against. */
export type BaselineRate = (tag: string, ts: number) => number;
