/**
 * A bounded set of recently seen keys: the oldest key is forgotten first. Ingest and the live
 * collectors (at-least-once sources) deduplicate with it. A duplicate older than the capacity
 * passes through and is absorbed downstream (the sink's writes are idempotent, the analyze stage
 * deduplicates its open windows).
 *
 * The insertion order lives in a ring of the keys, not in the Set's own order: finding a Set's
 * oldest entry (`values().next()`) walks over every entry deleted since its table was last
 * rebuilt, and once full every add deletes one, so that walk grew to hundreds of thousands of
 * holes per add (~250 µs per post at the default capacity, measured).
 */
export class RecentKeys {
  readonly #capacity: number;
  readonly #keys = new Set<string>();
  /** The keys in insertion order, oldest at `#head` once the ring is full (grows up to the capacity). */
  readonly #ring: string[] = [];
  #head = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#keys.size;
  }

  clear(): void {
    this.#keys.clear();
    this.#ring.length = 0;
    this.#head = 0;
  }

  /** Records `key`; returns false when it was already present. */
  add(key: string): boolean {
    if (this.#capacity === 0) return true;
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#ring.length < this.#capacity) {
      this.#ring.push(key);
    } else {
      this.#keys.delete(this.#ring[this.#head] as string);
      this.#ring[this.#head] = key;
      this.#head = this.#head + 1 === this.#capacity ? 0 : this.#head + 1;
    }
    return true;
  }
}
