/**
 * LSH buckets of one tag: band key → the ids of the latest texts in that bucket (at most `max`,
 * oldest first). Most buckets hold a single text, so a bucket is stored as a bare id until a
 * second one arrives.
 *
 * Texts leave the store oldest first, so gone ids are always a bucket's front: `trim` cuts them off
 * (deleting the key once nothing is left) when their text leaves, and what remains is exactly the
 * stored part of the latest `max` ids added. Readers still skip ids below the store's oldest, so a
 * bucket not trimmed yet reads the same.
 *
 * Why an own table rather than a Map: a busy tag holds up to bands × 400 keys per index under
 * constant churn, and a V8 Map's table is sized for the most keys it ever held, doubled again by
 * the holes deletions leave — about 64 bytes per live key measured over a soak (two thirds of the
 * coordination state of busy tags). Here a key costs one slot of an Int32Array pair (8 bytes) at a
 * load of at most 4/5 (the table doubles past it; a full index of 400 texts × 16 bands fits 8,192
 * slots): open addressing with linear probing over well-mixed keys, deletions
 * by backward shift (no tombstones), and `compact` rebuilds the table at a load of at most 1/2
 * once the keys fell to half their peak.
 */
export class LshBuckets {
  /** Slot i: key at 2i, value at 2i + 1 (`EMPTY`, a bare id, or `LIST_BASE − list index`). */
  #slots: Int32Array;
  /** log2 of the slot count. */
  #bits: number;
  #size = 0;
  /** Buckets of two ids or more, by list index (freed indexes are reused first). */
  #lists: Array<number[] | undefined> = [];
  #freeLists: number[] = [];
  readonly #max: number;
  /** Most keys held since the table was (re)built. */
  #peak = 0;

  constructor(max: number) {
    this.#max = max;
    this.#bits = MIN_BITS;
    this.#slots = emptySlots(MIN_BITS);
  }

  add(key: number, id: number): void {
    const at = this.#find(key);
    if (at < 0) {
      if ((this.#size + 1) * 5 > (1 << this.#bits) * 4) this.#rehash(this.#bits + 1);
      this.#place(key, id);
      this.#size++;
      if (this.#size > this.#peak) this.#peak = this.#size;
      return;
    }
    const value = this.#slots[2 * at + 1] as number;
    if (value >= 0) {
      this.#slots[2 * at + 1] = this.#max === 1 ? id : this.#newList([value, id]);
    } else {
      const bucket = this.#lists[LIST_BASE - value] as number[];
      bucket.push(id);
      if (bucket.length > this.#max) bucket.shift();
    }
  }

  /** Ids in the bucket, oldest first. */
  get(key: number): readonly number[] {
    const bucket = this.raw(key);
    return bucket === undefined ? [] : typeof bucket === 'number' ? [bucket] : bucket;
  }

  /** The bucket as stored: undefined, one id, or ids oldest first (read-only; no array for one id). */
  raw(key: number): number | readonly number[] | undefined {
    const at = this.#find(key);
    if (at < 0) return undefined;
    const value = this.#slots[2 * at + 1] as number;
    return value >= 0 ? value : (this.#lists[LIST_BASE - value] as number[]);
  }

  /**
   * Drops the ids below `oldestId` (gone from the store) from the bucket at `key`, and the key once
   * none is left. Call it with each band key of every text that left the store, then `compact`.
   */
  trim(key: number, oldestId: number): void {
    const at = this.#find(key);
    if (at < 0) return;
    const value = this.#slots[2 * at + 1] as number;
    if (value >= 0) {
      if (value < oldestId) this.#delete(at);
      return;
    }
    const list = LIST_BASE - value;
    const bucket = this.#lists[list] as number[];
    let gone = 0;
    while (gone < bucket.length && (bucket[gone] as number) < oldestId) gone++;
    if (gone === 0) return;
    if (gone >= bucket.length - 1) {
      this.#freeList(list);
      if (gone === bucket.length) this.#delete(at);
      else this.#slots[2 * at + 1] = bucket[gone] as number;
    } else {
      bucket.splice(0, gone);
    }
  }

  /**
   * Rebuilds the table at the size its keys need once they fell to half their peak (a tag whose
   * load fell must not keep a table for its busiest hour). At most once per halving, so O(1) per
   * removed key.
   */
  compact(): void {
    const size = this.#size;
    if (this.#peak < COMPACT_MIN_PEAK || size * 2 > this.#peak) return;
    const bits = bitsFor(size);
    if (bits < this.#bits) this.#rehash(bits);
    this.#peak = size;
  }

  clear(): void {
    this.#bits = MIN_BITS;
    this.#slots = emptySlots(MIN_BITS);
    this.#size = 0;
    this.#lists = [];
    this.#freeLists = [];
    this.#peak = 0;
  }

  get size(): number {
    return this.#size;
  }

  /** Most keys held since the table was last rebuilt. */
  get peak(): number {
    return this.#peak;
  }

  /** Rough bytes held: the slot table and the lists of buckets with several ids. */
  get bytes(): number {
    let total = 64 + this.#slots.byteLength + this.#lists.length * 4;
    for (const bucket of this.#lists) if (bucket !== undefined) total += 32 + bucket.length * 4;
    return total;
  }

  /** Slot of `key`, or −1. */
  #find(key: number): number {
    const slots = this.#slots;
    const mask = (1 << this.#bits) - 1;
    for (let i = home(key, this.#bits); ; i = (i + 1) & mask) {
      if (slots[2 * i + 1] === EMPTY) return -1;
      if (slots[2 * i] === key) return i;
    }
  }

  /** Puts a key known to be absent into the first free slot of its probe run (room is ensured). */
  #place(key: number, value: number): void {
    const slots = this.#slots;
    const mask = (1 << this.#bits) - 1;
    let i = home(key, this.#bits);
    while (slots[2 * i + 1] !== EMPTY) i = (i + 1) & mask;
    slots[2 * i] = key;
    slots[2 * i + 1] = value;
  }

  /** Empties slot `at` and shifts back the entries of its probe run that it would cut off. */
  #delete(at: number): void {
    const slots = this.#slots;
    const mask = (1 << this.#bits) - 1;
    let hole = at;
    for (let i = (at + 1) & mask; slots[2 * i + 1] !== EMPTY; i = (i + 1) & mask) {
      const h = home(slots[2 * i] as number, this.#bits);
      // The entry at i may move into the hole only if its home is not within (hole, i] (cyclically).
      if (hole <= i ? h > hole && h <= i : h > hole || h <= i) continue;
      slots[2 * hole] = slots[2 * i] as number;
      slots[2 * hole + 1] = slots[2 * i + 1] as number;
      hole = i;
    }
    slots[2 * hole + 1] = EMPTY;
    this.#size--;
  }

  /** Rebuilds the table with 2^bits slots, and the lists densely (freed indexes dropped). */
  #rehash(bits: number): void {
    const old = this.#slots;
    const oldLists = this.#lists;
    this.#bits = bits;
    this.#slots = emptySlots(bits);
    this.#lists = [];
    this.#freeLists = [];
    for (let i = 0; i < old.length; i += 2) {
      const value = old[i + 1] as number;
      if (value === EMPTY) continue;
      this.#place(old[i] as number, value >= 0 ? value : this.#newList(oldLists[LIST_BASE - value] as number[]));
    }
  }

  #newList(ids: number[]): number {
    const free = this.#freeLists.pop();
    if (free !== undefined) {
      this.#lists[free] = ids;
      return LIST_BASE - free;
    }
    this.#lists.push(ids);
    return LIST_BASE - (this.#lists.length - 1);
  }

  #freeList(list: number): void {
    this.#lists[list] = undefined;
    this.#freeLists.push(list);
  }
}

/** Value of an empty slot. Ids are ≥ 0 and list references ≤ `LIST_BASE`. */
const EMPTY = -1;
const LIST_BASE = -2;
/** 64 slots: the smallest table (a tag gets buckets only past `SCAN_MAX_TEXTS` texts, hundreds of keys). */
const MIN_BITS = 6;
/** Below this, a rebuild saves too little to be worth the copy. */
const COMPACT_MIN_PEAK = 256;

function emptySlots(bits: number): Int32Array {
  return new Int32Array(2 << bits).fill(EMPTY);
}

/** Fewest bits whose table holds `size` keys at a load of at most 1/2 (room to grow before the next rehash). */
function bitsFor(size: number): number {
  let bits = MIN_BITS;
  while (1 << bits < size * 2) bits++;
  return bits;
}

/** Home slot of `key`: Fibonacci hashing (the top bits of key × 2^32/φ), so sequential keys spread too. */
function home(key: number, bits: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - bits);
}
