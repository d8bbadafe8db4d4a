import { postKey } from '../../model/index.ts';

/** Dead slots (evicted or superseded) always tolerated before the log is compacted. */
const COMPACT_SLACK = 1_024;

/**
 * The most recent post deletions (key `platform:id` → deleted-at ms), bounded: a post that
 * arrives after its deletion is written redacted. Once more deletions were seen than it holds,
 * `overflowed` tells the post writer to also check `post_deletions` in SQL.
 *
 * Oldest-first order is a log of the keys as added (a key added again moves to the young end:
 * its older slot is superseded), with each key's latest position in a Map — not the Map's own
 * order: finding a Map's oldest entry (`keys().next()`) walks over every entry deleted since its
 * table was last rebuilt, which once full took ~20–60 µs per deletion at the default capacity.
 */
export class RecentDeletions {
  readonly #capacity: number;
  /** Key → absolute position of its latest slot in the log. */
  readonly #position = new Map<string, number>();
  /** The log from absolute position `#base` on: keys and their deletion times. */
  #keys: string[] = [];
  #times: number[] = [];
  #base = 0;
  /** Absolute position of the oldest slot that may still be live. */
  #head = 0;
  #overflowed = false;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#position.size;
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
    if (this.#capacity === 0) {
      this.#overflowed = true;
      return;
    }
    this.#position.set(key, this.#base + this.#keys.length);
    this.#keys.push(key);
    this.#times.push(at);
    if (this.#position.size > this.#capacity) {
      this.#evictOldest();
      this.#overflowed = true;
    }
    // Evicted and superseded slots: compacting once they outnumber the live ones keeps it O(1) per add.
    const dead = this.#keys.length - this.#position.size;
    if (dead > COMPACT_SLACK && dead > this.#position.size) this.#compact();
  }

  /** Deletion time of the post, if its deletion is remembered. */
  get(platform: string, id: string): number | undefined {
    const at = this.#position.get(postKey(platform, id));
    return at === undefined ? undefined : this.#times[at - this.#base];
  }

  #evictOldest(): void {
    const end = this.#base + this.#keys.length;
    for (; this.#head < end; this.#head++) {
      const key = this.#keys[this.#head - this.#base] as string;
      if (this.#position.get(key) !== this.#head) continue;
      this.#position.delete(key);
      this.#head++;
      return;
    }
  }

  /** Keeps only the live slots, in order, renumbered from the end of the old log. */
  #compact(): void {
    const keys: string[] = [];
    const times: number[] = [];
    const end = this.#base + this.#keys.length;
    for (let at = this.#head; at < end; at++) {
      const key = this.#keys[at - this.#base] as string;
      if (this.#position.get(key) !== at) continue;
      this.#position.set(key, end + keys.length);
      keys.push(key);
      times.push(this.#times[at - this.#base] as number);
    }
    this.#keys = keys;
    this.#times = times;
    this.#base = end;
    this.#head = end;
  }
}
