/**
 * A map holding at most `capacity` entries; adding past it evicts the least recently written
 * one. Live sources use it for "recently seen" state (ids, tags of recent posts, handles) whose
 * size must not grow with the stream.
 */
export class BoundedMap<K, V> {
  readonly capacity: number;
  readonly #entries = new Map<K, V>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): void {
    // Re-inserting moves the key to the young end, so a busy key is not evicted first.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }
}

/** The keys of the most recent `capacity` distinct items: at-least-once sources deduplicate with it. */
export class RecentKeys {
  readonly #map: BoundedMap<string, true>;

  constructor(capacity: number) {
    this.#map = new BoundedMap(capacity);
  }

  get size(): number {
    return this.#map.size;
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** Records `key`; returns false when it was already there (a duplicate). */
  add(key: string): boolean {
    if (this.#map.has(key)) return false;
    this.#map.set(key, true);
    return true;
  }
}
