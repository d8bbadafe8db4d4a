import { postKey } from '../../model/index.ts';

/**
 * The most recent post deletions (key `platform:id` → deleted-at ms), bounded: a post that
 * arrives after its deletion is written redacted. Once more deletions were seen than it holds,
 * `overflowed` tells the post writer to also check `post_deletions` in SQL.
 */
export class RecentDeletions {
  readonly #capacity: number;
  readonly #byKey = new Map<string, number>();
  #overflowed = false;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#byKey.size;
  }

  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** Marks that deletions exist beyond what memory holds (more in the table than were loaded). */
  markOverflowed(): void {
    this.#overflowed = true;
  }

  add(platform: string, id: string, at: number): void {
    const key = postKey(platform, id);
    this.#byKey.delete(key);
    if (this.#capacity === 0) {
      this.#overflowed = true;
      return;
    }
    this.#byKey.set(key, at);
    if (this.#byKey.size > this.#capacity) {
      const oldest = this.#byKey.keys().next().value;
      if (oldest !== undefined) this.#byKey.delete(oldest);
      this.#overflowed = true;
    }
  }

  /** Deletion time of the post, if its deletion is remembered. */
  get(platform: string, id: string): number | undefined {
    return this.#byKey.get(postKey(platform, id));
  }
}
