/**
 * Account pairs (or any keyed evidence) with a hard cap. The map is kept in order of last update,
 * so expiry walks from the front; when full, the least recently updated *weak* entry among the
 * oldest `scan` goes first (a pair seen once is cheaper to lose than one seen again), otherwise the
 * least recently updated. Deterministic: the same updates leave the same entries in the same order.
 */
export class PairTable<V> {
  readonly #map = new Map<string, V>();
  readonly #max: number;
  readonly #isWeak: (value: V) => boolean;
  readonly #lastTs: (value: V) => number;
  readonly #scan: number;

  constructor(max: number, isWeak: (value: V) => boolean, lastTs: (value: V) => number, scan = 64) {
    this.#max = max;
    this.#isWeak = isWeak;
    this.#lastTs = lastTs;
    this.#scan = scan;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  /** Stores `value` under `key` as the most recently updated entry, evicting one when full. */
  set(key: string, value: V): void {
    if (this.#map.has(key)) this.#map.delete(key);
    else if (this.#map.size >= this.#max) this.#evictOne();
    this.#map.set(key, value);
  }

  delete(key: string): void {
    this.#map.delete(key);
  }

  /** Drops entries last updated before `cutoff`. */
  expire(cutoff: number): void {
    for (const [key, value] of this.#map) {
      if (this.#lastTs(value) >= cutoff) break;
      this.#map.delete(key);
    }
  }

  entries(): IterableIterator<[string, V]> {
    return this.#map.entries();
  }

  clear(): void {
    this.#map.clear();
  }

  #evictOne(): void {
    let first: string | undefined;
    let scanned = 0;
    for (const [key, value] of this.#map) {
      first ??= key;
      if (this.#isWeak(value)) {
        this.#map.delete(key);
        return;
      }
      if (++scanned >= this.#scan) break;
    }
    if (first !== undefined) this.#map.delete(first);
  }
}
