import type { TagEvent } from '../model/index.ts';
import { AuthorSet, type AuthorSetState } from './author-set.ts';
import { MinuteAccumulator, type MinuteAccumulatorState } from './minute-accumulator.ts';
import type { AnalyzeOptions } from './options.ts';
import { TagSpread, type TagSpreadState } from './tag-spread.ts';
import { VelocityTracker, type BaselinePrior, type VelocityTrackerState } from './velocity-tracker.ts';

/**
 * The shared empty list of open minutes (most live tags have none): `minutes` is only ever
 * replaced (slice / concat), never changed in place, so tags can share it.
 */
const NO_MINUTES: MinuteAccumulator[] = [];

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
  /** Open minutes, oldest first (rarely more than four; an array is far smaller than a Map). */
  minutes: MinuteAccumulator[] = NO_MINUTES;
  /** Changed since its last checkpoint. */
  dirty = true;
  /** Neighbours in the stage's least-recently-released order (TagLru). */
  lruPrev: TagState | undefined;
  lruNext: TagState | undefined;

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

  /** The open minute starting at `m`, if any. */
  minuteAt(m: number): MinuteAccumulator | undefined {
    for (let i = this.minutes.length - 1; i >= 0; i--) {
      const acc = this.minutes[i] as MinuteAccumulator;
      if (acc.minute === m) return acc;
      if (acc.minute < m) return undefined;
    }
    return undefined;
  }

  /** The open minute starting at `m`, opened if needed (kept in order). */
  minute(m: number): MinuteAccumulator {
    let i = this.minutes.length;
    while (i > 0 && (this.minutes[i - 1] as MinuteAccumulator).minute >= m) i--;
    const at = this.minutes[i];
    if (at !== undefined && at.minute === m) return at;
    const acc = new MinuteAccumulator(m);
    this.minutes = this.minutes.slice(0, i).concat(acc, this.minutes.slice(i));
    return acc;
  }

  /** Removes and returns the open minutes starting at or before `last` (oldest first). */
  takeMinutesThrough(last: number): readonly MinuteAccumulator[] {
    const minutes = this.minutes;
    let n = 0;
    while (n < minutes.length && (minutes[n] as MinuteAccumulator).minute <= last) n++;
    if (n === 0) return NO_MINUTES;
    if (n === minutes.length) {
      this.minutes = NO_MINUTES;
      return minutes;
    }
    this.minutes = minutes.slice(n);
    return minutes.slice(0, n);
  }

  /**
   * Rough bytes held, for the bytes-per-live-tag figure: this object with its boxed times and
   * name strings, the velocity tracker (~150), the author set, spread and open minutes.
   */
  get bytes(): number {
    let b = 230 + this.tag.length + (this.display === this.tag ? 0 : 24 + this.display.length) + 150 + this.authors.bytes + this.spread.bytes;
    for (const acc of this.minutes) b += acc.bytes;
    return b;
  }

  toJSON(): TagStateJSON {
    return {
      d: this.display,
      t: [this.bornTs, this.lastTs, this.maxSeenTs, this.clock, this.posts, this.firstHourPosts],
      a: this.authors.toJSON(),
      v: this.velocity.toJSON(),
      s: this.spread.toJSON(),
      m: this.minutes.map((acc) => acc.toJSON()),
    };
  }

  static fromJSON(tag: string, partition: number, state: TagStateJSON, opts: AnalyzeOptions): TagState {
    const s = new TagState(tag, partition, state.d, state.t[0], state.t[3], {
      authors: AuthorSet.fromJSON(state.a, opts.maxExactAuthors),
      velocity: VelocityTracker.fromJSON(state.v, opts.velocity),
      spread: TagSpread.fromJSON(state.s, opts.spread),
    });
    [s.bornTs, s.lastTs, s.maxSeenTs, s.clock, s.posts, s.firstHourPosts] = state.t;
    if (state.m.length > 0) s.minutes = state.m.map((m) => MinuteAccumulator.fromJSON(m)).sort((a, b) => a.minute - b.minute);
    s.dirty = false;
    return s;
  }
}
