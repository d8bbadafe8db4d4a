import type { PriorOptions } from './options.ts';
import type { BaselinePrior } from './velocity-tracker.ts';

/** Posts in a tag's first hour, bucketed: 1…63 exactly, 64 = 64 or more. */
const BUCKETS = 65;

/** JSON form of the learned prior. */
export interface PopulationPriorState {
  /** Epoch index → histogram of first-hour posts of the tags born in it. */
  epochs: Array<[number, number[]]>;
  mean: number;
}

/**
 * What a brand-new tag's baseline starts from, learned from the population: the median number of
 * posts in the first hour of the tags born in the last few epochs, as posts per minute.
 *
 * A median of small integers is deliberately coarse: it moves only when the population changes
 * shape, and two analyze workers holding different halves of the tags learn the same value,
 * which keeps outputs identical whatever the partitioning. It changes only at epoch boundaries of
 * event time, so a run's output does not depend on when in an epoch a tag was looked at.
 */
export class PopulationPrior {
  readonly #opts: PriorOptions;
  readonly #epochs = new Map<number, Uint32Array>();
  #mean: number;
  #epoch = Number.NaN;
  /** Changed since the last checkpoint. */
  dirty = false;

  constructor(opts: PriorOptions) {
    this.#opts = opts;
    this.#mean = opts.defaultMeanPerMinute;
  }

  get meanPerMinute(): number {
    return this.#mean;
  }

  current(): BaselinePrior {
    return { mean: this.#mean, variance: this.#mean * this.#opts.dispersion };
  }

  /** A tag born at `bornTs` had `posts` posts in its first hour. */
  record(bornTs: number, posts: number): void {
    if (!this.#opts.learn || posts < 1) return;
    const epoch = Math.floor(bornTs / this.#opts.epochMs);
    let hist = this.#epochs.get(epoch);
    if (hist === undefined) {
      hist = new Uint32Array(BUCKETS);
      this.#epochs.set(epoch, hist);
    }
    const i = Math.min(BUCKETS - 1, posts);
    hist[i] = (hist[i] as number) + 1;
    this.dirty = true;
  }

  /**
   * The clock reached `now`: at an epoch boundary, relearn from the births of the last complete
   * epochs whose first hours are over.
   */
  advance(now: number): void {
    if (!this.#opts.learn) return;
    const epoch = Math.floor(now / this.#opts.epochMs);
    if (epoch <= this.#epoch) return;
    this.#epoch = epoch;
    // Births in an epoch are complete one hour after it ends; learn from epochs at least that old.
    const lagEpochs = Math.ceil(3_600_000 / this.#opts.epochMs);
    const newest = epoch - 1 - lagEpochs;
    const oldest = newest - this.#opts.windowEpochs + 1;
    const merged = new Uint32Array(BUCKETS);
    let total = 0;
    for (const [e, hist] of this.#epochs) {
      if (e < oldest) {
        this.#epochs.delete(e);
        continue;
      }
      if (e > newest) continue;
      for (let i = 0; i < BUCKETS; i++) merged[i] = (merged[i] as number) + (hist[i] as number);
      for (const n of hist) total += n;
    }
    if (total < this.#opts.minTags) return;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += merged[i] as number;
      if (seen * 2 >= total) {
        this.#mean = i / 60;
        return;
      }
    }
  }

  toJSON(): PopulationPriorState {
    return { epochs: [...this.#epochs].map(([e, h]) => [e, [...h]]), mean: this.#mean };
  }

  restore(state: PopulationPriorState): void {
    this.#epochs.clear();
    for (const [e, h] of state.epochs) this.#epochs.set(e, Uint32Array.from(h));
    this.#mean = state.mean;
    this.#epoch = Number.NaN;
  }
}
