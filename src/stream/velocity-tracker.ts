import type { MinuteVelocity } from './minute-accumulator.ts';
import { MINUTE, type VelocityOptions } from './options.ts';

/** Where a tag's baseline starts. */
export interface BaselinePrior {
  mean: number;
  variance: number;
}

/** JSON form of a VelocityTracker. */
export type VelocityTrackerState = [v: number, a: number, mu: number, variance: number, n: number, prev: number, last: number, self: 0 | 1];

/** Minutes of history the prior is worth: a new tag's baseline moves away from it at 1/(n + this). */
const PRIOR_WEIGHT_MINUTES = 30;
/**
 * Minutes a tag already active at stream start is watched before its baseline judges: one
 * minute of a Poisson stream is too noisy a level (a quiet first minute would make the next
 * ordinary one look like a burst).
 */
const SELF_PRIOR_MINUTES = 5;
/** Empty minutes replayed one by one after a gap; past this the state has converged anyway. */
const MAX_CATCH_UP_MINUTES = 2_000;

/**
 * Velocity and baseline of one tag, one event-time minute at a time.
 *
 * - velocity: EWMA of posts/min over a short horizon, and its change per minute (acceleration);
 * - baseline: EWMA mean and variance over a long horizon (6 h by default). A young tag's baseline
 *   learns faster (rate 1/(age + 30 min)) from a prior: the population prior for a tag born while
 *   we watch, or its own first minute for a tag already active when the stream began (we do not
 *   know its past, so its level over its first minutes is taken as normal). Minutes far above the baseline
 *   enter it clipped, so a burst does not become its own baseline.
 * - z-score: (posts − mean) / std, with the variance floored at the Poisson level of the mean
 *   (or of the prior mean), so a quiet tag's one-off post is not a 50-sigma event.
 */
export class VelocityTracker {
  velocity = 0;
  acceleration = 0;
  mean: number;
  variance: number;
  /** Minutes closed since the tag was born. */
  age = 0;
  /** Posts in the last closed minute. */
  prevCount = 0;
  /** Start of the last closed minute (NaN before the first). */
  lastClosed = Number.NaN;
  /** 1 when the baseline starts from the tag's own first minute (tag already active at stream start). */
  selfPrior: 0 | 1;
  readonly #opts: VelocityOptions;

  constructor(opts: VelocityOptions, prior: BaselinePrior | undefined) {
    this.#opts = opts;
    this.mean = prior?.mean ?? 0;
    this.variance = prior?.variance ?? 0;
    this.selfPrior = prior === undefined ? 1 : 0;
  }

  /**
   * We stopped watching for a while (a gap in the whole stream): relearn the level from the
   * next minutes, as for a tag already active at stream start, without replaying the gap.
   */
  rewarm(): void {
    this.selfPrior = 1;
    this.age = 0;
    this.lastClosed = Number.NaN;
  }

  /** Standard deviation used for z-scores: the baseline's, floored at Poisson noise. */
  std(priorMean: number): number {
    return Math.sqrt(Math.max(this.variance, this.mean, priorMean));
  }

  /** True when the baseline can judge a rate (not waiting for its own first minute). */
  get ready(): boolean {
    return this.selfPrior === 0 || this.age >= SELF_PRIOR_MINUTES;
  }

  /**
   * Closes minute `minute` with `posts` posts, replaying any empty minutes since the last close
   * first. Returns the figures for that minute's row.
   */
  close(minute: number, posts: number, priorMean: number): MinuteVelocity {
    if (!Number.isNaN(this.lastClosed)) {
      const gap = Math.min(MAX_CATCH_UP_MINUTES, Math.round((minute - this.lastClosed) / MINUTE) - 1);
      for (let i = 0; i < gap; i++) this.#step(0, priorMean);
    }
    const sd = this.std(priorMean);
    const zscore = this.ready ? (posts - this.mean) / sd : 0;
    const baselineMean = this.mean;
    this.#step(posts, priorMean);
    this.lastClosed = minute;
    return { velocity: this.velocity, acceleration: this.acceleration, baselineMean, baselineStd: sd, zscore };
  }

  /** Posts in the 60 s ending at `ts`, given the posts so far in the current minute. */
  rate(ts: number, currentMinute: number, currentPosts: number): number {
    const frac = Math.min(1, Math.max(0, (ts - currentMinute) / MINUTE));
    const prev = this.lastClosed === currentMinute - MINUTE ? this.prevCount : 0;
    return currentPosts + prev * (1 - frac);
  }

  #step(x: number, priorMean: number): void {
    const o = this.#opts;
    if (this.selfPrior === 1 && this.age === 0) {
      // First minute of a tag already active when we started watching: it sets the level.
      this.mean = x;
      this.variance = Math.max(x, priorMean);
      this.velocity = x;
      this.acceleration = 0;
      this.prevCount = x;
      this.age = 1;
      return;
    }
    const as = 1 - Math.exp(-1 / o.shortHorizonMinutes);
    const v = this.velocity + as * (x - this.velocity);
    this.acceleration = v - this.velocity;
    this.velocity = v;
    // Without a prior (own first minute), the first minutes average plainly and are not clipped.
    const weight = this.selfPrior === 1 ? 0 : PRIOR_WEIGHT_MINUTES;
    const al = Math.max(1 / o.baselineHorizonMinutes, 1 / (this.age + 1 + weight));
    const clipped = this.ready ? Math.min(x, this.mean + o.clipSigmas * this.std(priorMean)) : x;
    const d = clipped - this.mean;
    this.mean += al * d;
    this.variance = (1 - al) * (this.variance + al * d * d);
    this.prevCount = x;
    this.age++;
  }

  toJSON(): VelocityTrackerState {
    return [this.velocity, this.acceleration, this.mean, this.variance, this.age, this.prevCount, this.lastClosed, this.selfPrior];
  }

  static fromJSON(state: VelocityTrackerState, opts: VelocityOptions): VelocityTracker {
    const t = new VelocityTracker(opts, { mean: state[2], variance: state[3] });
    t.velocity = state[0];
    t.acceleration = state[1];
    t.age = state[4];
    t.prevCount = state[5];
    t.lastClosed = state[6] ?? Number.NaN;
    t.selfPrior = state[7];
    return t;
  }
}
