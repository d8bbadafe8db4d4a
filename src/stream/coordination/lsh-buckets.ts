/**
 * LSH buckets of one tag: band key → the ids of the latest texts in that bucket (at most `max`,
 * oldest first). Most buckets hold a single text, so a bucket is stored as a bare id until a
 * second one arrives: a tag's empty-ish index costs a few hundred bytes instead of kilobytes.
 *
 * Texts leave the store oldest first, so gone ids are always a bucket's front: `trim` cuts them off
 * (deleting the key once nothing is left) when their text leaves, and what remains is exactly the
 * stored part of the latest `max` ids added. Readers still skip ids below the store's oldest, so a
 * bucket not trimmed yet reads the same.
 *
 * Why trim at all: without it the map keeps a key per band of every text the tag ever held, and a
 * V8 Map's table never shrinks below what it once held unless rebuilt — on a busy tag that was
 * megabytes growing for hours (soak). Keys are now the live texts' distinct band keys, and the map
 * is rebuilt once it holds half its peak.
 */
export class LshBuckets {
  #buckets = new Map<number, number | number[]>();
  readonly #max: number;
  /** Most keys held since the map was (re)built: its table is at least that large. */
  #peak = 0;

  constructor(max: number) {
    this.#max = max;
  }

  add(key: number, id: number): void {
    const buckets = this.#buckets;
    const bucket = buckets.get(key);
    if (bucket === undefined) {
      buckets.set(key, id);
      if (buckets.size > this.#peak) this.#peak = buckets.size;
    } else if (typeof bucket === 'number') {
      buckets.set(key, this.#max === 1 ? id : [bucket, id]);
    } else {
      bucket.push(id);
      if (bucket.length > this.#max) bucket.shift();
    }
  }

  /** Ids in the bucket, oldest first. */
  get(key: number): readonly number[] {
    const bucket = this.#buckets.get(key);
    return bucket === undefined ? [] : typeof bucket === 'number' ? [bucket] : bucket;
  }

  /** The bucket as stored: undefined, one id, or ids oldest first (read-only; no array for one id). */
  raw(key: number): number | readonly number[] | undefined {
    return this.#buckets.get(key);
  }

  /**
   * Drops the ids below `oldestId` (gone from the store) from the bucket at `key`, and the key once
   * none is left. Call it with each band key of every text that left the store, then `compact`.
   */
  trim(key: number, oldestId: number): void {
    const buckets = this.#buckets;
    const bucket = buckets.get(key);
    if (bucket === undefined) return;
    if (typeof bucket === 'number') {
      if (bucket < oldestId) buckets.delete(key);
      return;
    }
    let gone = 0;
    while (gone < bucket.length && (bucket[gone] as number) < oldestId) gone++;
    if (gone === 0) return;
    if (gone >= bucket.length - 1) {
      if (gone === bucket.length) buckets.delete(key);
      else buckets.set(key, bucket[gone] as number);
    } else {
      bucket.splice(0, gone);
    }
  }

  /**
   * Rebuilds the map once it holds under half its peak. V8 sizes a Map's table for the most keys it
   * held (2–4 slots per key under churn) and shrinks it by itself only below a quarter: a tag whose
   * load fell kept a table for its busiest hour. A rebuild copies the live keys, at most once per
   * halving, so it costs O(1) per removed key.
   */
  compact(): void {
    const size = this.#buckets.size;
    if (this.#peak < COMPACT_MIN_PEAK || size * 2 > this.#peak) return;
    this.#buckets = new Map(this.#buckets);
    this.#peak = size;
  }

  clear(): void {
    this.#buckets.clear();
    this.#peak = 0;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Most keys held since the map was last rebuilt (what its table is sized for). */
  get peak(): number {
    return this.#peak;
  }
}

/** Below this, a rebuild saves too little to be worth the copy. */
const COMPACT_MIN_PEAK = 256;
