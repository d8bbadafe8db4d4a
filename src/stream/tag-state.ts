import type { TagEvent } from '../model/index.ts';
import { AuthorSet, type AuthorSetState } from './author-set.ts';
import { MinuteAccumulator, type MinuteAccumulatorState } from './minute-accumulator.ts';
import type { AnalyzeOptions } from './options.ts';
import { TagSpread, type TagSpreadState } from './tag-spread.ts';
import { VelocityTracker, type BaselinePrior, type VelocityTrackerState } from './velocity-tracker.ts';

/** JSON form of a TagState (the `core` of a checkpoint). */
export interface TagStateJSON {
  d: string;
  /** born, last released, max seen, clock (last advance), posts, first-hour posts (−1 once reported). */
  t: [number, number, number, number, number, number];
  a: AuthorSetState;
  v: VelocityTrackerState;
  s: TagSpreadState;
  m: MinuteAccumulatorState[];
}

/**
 * Everything the analyze stage keeps about one live tag: cumulative counts, the author set,
 * velocity and baseline, spread, and its open minutes (until they are final).
 */
export class TagState {
  readonly tag: string;
  /** Input partition that owns the tag (0 in embedded mode). */
  readonly partition: number;
  display: string;
  /** Event time of the first released post. */
  bornTs: number;
  /** Event time of the last released post. */
  lastTs: number;
  /** Largest event time seen for this tag, released or not. */
  maxSeenTs: number;
  /** Last `now` handed to detectors' `advance` (a minute boundary). */
  clock: number;
  posts = 0;
  /** Posts in the first hour after birth; −1 once reported to the population prior. */
  firstHourPosts = 0;
  readonly authors: AuthorSet;
  readonly velocity: VelocityTracker;
  readonly spread: TagSpread;
  /** Open minutes by start time. */
  readonly minutes = new Map<number, MinuteAccumulator>();
  /** Changed since its last checkpoint. */
  dirty = true;

  constructor(tag: string, partition: number, display: string, ts: number, clock: number, parts: { authors: AuthorSet; velocity: VelocityTracker; spread: TagSpread }) {
    this.tag = tag;
    this.partition = partition;
    this.display = display;
    this.bornTs = ts;
    this.lastTs = ts;
    this.maxSeenTs = ts;
    this.clock = clock;
    this.authors = parts.authors;
    this.velocity = parts.velocity;
    this.spread = parts.spread;
  }

  /** A tag born with `event`; `clock` is the start of its minute. */
  static create(event: TagEvent, partition: number, clock: number, opts: AnalyzeOptions, prior: BaselinePrior | undefined): TagState {
    return new TagState(event.tag, partition, event.display, event.post.ts, clock, {
      authors: new AuthorSet(opts.maxExactAuthors),
      velocity: new VelocityTracker(opts.velocity, prior),
      spread: new TagSpread(opts.spread),
    });
  }

  minute(m: number): MinuteAccumulator {
    let acc = this.minutes.get(m);
    if (acc === undefined) {
      acc = new MinuteAccumulator(m);
      this.minutes.set(m, acc);
    }
    return acc;
  }

  /** Rough bytes held (keys, numbers, maps), for the bytes-per-live-tag figure. */
  get bytes(): number {
    let b = 220 + 2 * (this.tag.length + this.display.length) + this.authors.bytes + this.spread.bytes + 120;
    for (const acc of this.minutes.values()) b += acc.bytes;
    return b;
  }

  toJSON(): TagStateJSON {
    return {
      d: this.display,
      t: [this.bornTs, this.lastTs, this.maxSeenTs, this.clock, this.posts, this.firstHourPosts],
      a: this.authors.toJSON(),
      v: this.velocity.toJSON(),
      s: this.spread.toJSON(),
      m: [...this.minutes.values()].map((acc) => acc.toJSON()),
    };
  }

  static fromJSON(tag: string, partition: number, state: TagStateJSON, opts: AnalyzeOptions): TagState {
    const s = new TagState(tag, partition, state.d, state.t[0], state.t[3], {
      authors: AuthorSet.fromJSON(state.a, opts.maxExactAuthors),
      velocity: VelocityTracker.fromJSON(state.v, opts.velocity),
      spread: TagSpread.fromJSON(state.s, opts.spread),
    });
    [s.bornTs, s.lastTs, s.maxSeenTs, s.clock, s.posts, s.firstHourPosts] = state.t;
    for (const m of state.m) s.minutes.set(m.m, MinuteAccumulator.fromJSON(m));
    s.dirty = false;
    return s;
  }
}
