/**
 * LSH buckets of one tag: band key → the ids of the latest texts in that bucket (at most `max`,
 * oldest first). Most buckets hold a single text, so a bucket is stored as a bare id until a
 * second one arrives: a tag's empty-ish index costs a few hundred bytes instead of kilobytes.
 *
 * Texts leave the store oldest first, so a reader can skip ids below the store's oldest instead
 * of removing them: a bucket then holds the latest `max` ids added, and those still stored are
 * exactly what a bucket with removals would hold. `sweep` drops buckets left with only gone ids.
 */
export class LshBuckets {
  readonly #buckets = new Map<number, number | number[]>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  add(key: number, id: number): void {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      this.#buckets.set(key, id);
    } else if (typeof bucket === 'number') {
      this.#buckets.set(key, this.#max === 1 ? id : [bucket, id]);
    } else {
      bucket.push(id);
      if (bucket.length > this.#max) bucket.shift();
    }
  }

  remove(key: number, id: number): void {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return;
    if (typeof bucket === 'number') {
      if (bucket === id) this.#buckets.delete(key);
      return;
    }
    const at = bucket.indexOf(id);
    if (at !== -1) bucket.splice(at, 1);
    if (bucket.length === 1) this.#buckets.set(key, bucket[0] as number);
    else if (bucket.length === 0) this.#buckets.delete(key);
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

  /** Drops buckets whose ids are all below `oldestId` (gone from the store). */
  sweep(oldestId: number): void {
    for (const [key, bucket] of this.#buckets) {
      const newest = typeof bucket === 'number' ? bucket : (bucket[bucket.length - 1] as number);
      if (newest < oldestId) this.#buckets.delete(key);
    }
  }

  clear(): void {
    this.#buckets.clear();
  }

  get size(): number {
    return this.#buckets.size;
  }
}
