import type { Flag } from '../model/index.ts';

/**
 * The newest flags seen on the live feed, by id. A flag reaches the browsers before the sink has
 * written it, so when someone clicks it at once the evidence endpoint answers from here until
 * the store has the row. Bounded: the oldest entry goes first.
 */
export class RecentFlags {
  readonly #capacity: number;
  readonly #flags = new Map<string, Flag>();

  constructor(capacity = 2_000) {
    this.#capacity = capacity;
  }

  remember(flag: Flag): void {
    const known = this.#flags.get(flag.flagId);
    if (known !== undefined && known.revision > flag.revision) return;
    this.#flags.delete(flag.flagId);
    this.#flags.set(flag.flagId, flag);
    if (this.#flags.size > this.#capacity) {
      const oldest = this.#flags.keys().next();
      if (oldest.done !== true) this.#flags.delete(oldest.value);
    }
  }

  get(flagId: string): Flag | undefined {
    return this.#flags.get(flagId);
  }

  /** The newest flags first, at most `limit`. */
  newest(limit: number): Flag[] {
    return [...this.#flags.values()].reverse().slice(0, limit);
  }
}
