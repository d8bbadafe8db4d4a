import type { TagStateSnapshot } from '../bus/index.ts';
import type { CascadeFigures } from './cascade-forest.ts';
import type { FirstPoster, RollingSpread } from './tag-spread.ts';

/** Where the analyze stage reads its checkpoints at start (the store's `tag_state`, a compacted topic). */
export type StateSource = AsyncIterable<TagStateSnapshot>;

/** What the burst detector reads about a tag at an instant of event time. */
export interface BurstInputs {
  /** False while the baseline cannot judge (a tag active when the stream began, in its first minute). */
  ready: boolean;
  /** Posts in the 60 s of event time ending now. */
  posts1: number;
  /** Posts in the 5 minutes of event time ending now. */
  posts5: number;
  /** Baseline posts per minute. */
  baselineMean: number;
  /** Baseline standard deviation of posts per minute (floored at Poisson noise). */
  baselineStd: number;
  /** Minutes since the tag's first post. */
  ageMinutes: number;
}

/** The analyze stage's per-tag figures, read by detectors that need more than the events. */
export interface TagMetricsReader {
  /** Filled into `into` when given (a caller that asks on every event reuses one object). */
  burstInputs(tag: string, now: number, into?: BurstInputs): BurstInputs | undefined;
  /** Distinct authors of the tag with a post at or after `since` (within the last hour). */
  authorsSince(tag: string, since: number): number;
  /** A full read of the tag (for evidence), or undefined when the tag is not live. */
  view(tag: string, now: number): TagView | undefined;
  /** Most active authors and a sample of post keys of the current and previous minute. */
  recentSample(tag: string, maxAuthors: number, maxPosts: number): { authors: string[]; postIds: string[] };
}

/** Velocity figures of a tag at an instant. */
export interface VelocityView {
  /** Posts in the last 60 s. */
  rate: number;
  /** EWMA posts/min as of the last closed minute. */
  velocity: number;
  acceleration: number;
  baselineMean: number;
  baselineStd: number;
  zscore: number;
}

/** Everything the analyze stage knows about one tag (web UI, terminal view, evidence). */
export interface TagView {
  tag: string;
  display: string;
  firstSeen: number;
  lastSeen: number;
  /** Born while we watched, less than an hour ago (its baseline is still the population prior). */
  isNew: boolean;
  /** Event time of this view. */
  asOf: number;
  posts: number;
  uniqueAuthors: number;
  /** ms from the first post to the 100th / 1,000th, or null before it. */
  timeTo100Ms: number | null;
  timeTo1000Ms: number | null;
  /** ms it took the unique authors to double the last time (null below 16 authors). */
  authorDoublingMs: number | null;
  firstPosters: FirstPoster[];
  coTags: Array<{ tag: string; count: number }>;
  rolling: RollingSpread[];
  cascades: CascadeFigures;
  velocity: VelocityView;
  /** Share of reposts among the current and previous minute's posts. */
  repostShare: number;
  /** Share of posts by young accounts among the current and previous minute's posts. */
  youngShare: number;
  /** The open burst episode, if any. */
  burst: { since: number; flagId: string } | null;
}

/** Counters of the analyze stage (logs, /metrics, the closing report). */
export interface AnalyzeFigures {
  events: number;
  duplicates: number;
  /** Events that arrived after the reorder bound but within the lateness (their minute revised). */
  reordered: number;
  /** Events that arrived after their minute was final (counted in `latePosts` of the arrival minute). */
  late: number;
  liveTags: number;
  pendingEvents: number;
  evictedIdle: number;
  evictedLru: number;
  minutesEmitted: number;
  revisionsEmitted: number;
  flags: number;
  checkpoints: number;
  /** Detector calls that threw (logged; the event was still counted). */
  detectorErrors: number;
  watermark: number;
}
