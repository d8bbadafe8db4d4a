import { LshBuckets } from './lsh-buckets.ts';
import { bandKeysInto } from './minhash.ts';
import type { TextEntry, TextSignatureStore } from './text-signatures.ts';

/**
 * A tag holding at most this many other texts compares a new text by scanning them instead of
 * keeping LSH bucket maps: on small tags (most of them) the scan is cheaper than 16 map lookups and
 * updates, and the maps were the largest part of a small tag's memory.
 */
export const SCAN_MAX_TEXTS = 32;

/** Per band, the newer texts found so far whose band equals the new text's (a bucket's fill). */
let fill = new Int32Array(16);
/** Candidates of the last scan (valid until the next one) and the first band that returns each. */
const scanned: TextEntry[] = [];
const scannedBand: number[] = [];

/** The candidates of the last scan (read-only view for callers outside the text indexes). */
export function scannedCandidates(): readonly TextEntry[] {
  return scanned;
}

/**
 * The texts that LSH buckets of `maxPerBucket` entries would return for `entry` (stored last, not
 * yet indexed): a stored text is in band b's bucket of the new text when its band b equals the new
 * one and fewer than `maxPerBucket` newer texts share it (buckets keep their latest entries, and
 * the store drops texts oldest first). Returns how many; `scanned[i]` in ascending band order of
 * first appearance, oldest first within a band, i.e. the order the buckets are read in.
 *
 * Bands are compared value by value, where buckets compare 30-bit band hashes: the two differ only
 * when two different bands hash alike (about 2^-30 per pair of bands).
 */
export function scanCandidates(store: TextSignatureStore, entry: TextEntry, bands: number, rows: number, maxPerBucket: number): number {
  if (fill.length < bands) fill = new Int32Array(bands);
  fill.fill(0, 0, bands);
  const signature = entry.signature;
  let count = 0;
  for (let i = store.size - 1; i >= 0; i--) {
    const other = store.at(i);
    if (other.id >= entry.id) continue;
    const values = other.signature;
    let first = -1;
    for (let b = 0, base = 0; b < bands; b++, base += rows) {
      let r = 0;
      while (r < rows && signature[base + r] === values[base + r]) r++;
      if (r < rows) continue;
      const filled = fill[b] as number;
      if (first < 0 && filled < maxPerBucket) first = b;
      fill[b] = filled + 1;
    }
    if (first >= 0) {
      scanned[count] = other;
      scannedBand[count] = first;
      count++;
    }
  }
  // Found newest first: order by band, then oldest first (insertion sort: a handful of candidates).
  for (let i = 1; i < count; i++) {
    const e = scanned[i] as TextEntry;
    const b = scannedBand[i] as number;
    let j = i - 1;
    while (j >= 0 && ((scannedBand[j] as number) > b || ((scannedBand[j] as number) === b && (scanned[j] as TextEntry).id > e.id))) {
      scanned[j + 1] = scanned[j] as TextEntry;
      scannedBand[j + 1] = scannedBand[j] as number;
      j--;
    }
    scanned[j + 1] = e;
    scannedBand[j + 1] = b;
  }
  return count;
}

/** Stamps of the ids compared by the current banded lookup (index: id − the store's oldest id). */
let seen = new Int32Array(512);
let stamp = 0;

/** Starts a new set of compared ids for a store of `size` texts. */
function resetSeen(size: number): void {
  if (seen.length < size) seen = new Int32Array(size * 2);
  if (++stamp >= 0x7fffffff) {
    seen.fill(0);
    stamp = 1;
  }
}

/** True the first time `index` is offered since `resetSeen`. */
function firstSeen(index: number): boolean {
  if (seen[index] === stamp) return false;
  seen[index] = stamp;
  return true;
}

let keys = new Int32Array(16);

/** Scratch for one text's band keys (valid until the next call). */
function keyScratch(bands: number): Int32Array {
  if (keys.length < bands) keys = new Int32Array(bands);
  return keys.length === bands ? keys : keys.subarray(0, bands);
}

/** How a text index cuts signatures into LSH bands and how many texts a bucket keeps. */
export interface BandLayout {
  bands: number;
  rows: number;
  maxBucketEntries: number;
}

/**
 * The buckets incremental indexing would have built from the stored texts before `beforeId`, in
 * order: buckets keep their latest entries and lose entries oldest first.
 */
export function indexStoredTexts(store: TextSignatureStore, beforeId: number, layout: BandLayout): LshBuckets {
  const buckets = new LshBuckets(layout.maxBucketEntries);
  for (const entry of store.values()) {
    if (entry.id >= beforeId) break;
    for (const key of bandKeysInto(entry.signature, layout.bands, layout.rows, keyScratch(layout.bands))) buckets.add(key, entry.id);
  }
  return buckets;
}

/**
 * Offers `consider` every stored text LSH proposes for `entry` (stored last, not indexed yet), each
 * once: from a scan while there are no buckets, else bucket by bucket in band order — within a
 * bucket oldest first, or newest first down to the first text the store dropped (`newestFirst`, for
 * a caller whose choice does not depend on the order) — and then indexes `entry` in the buckets.
 */
export function offerCandidates(
  store: TextSignatureStore,
  buckets: LshBuckets | undefined,
  entry: TextEntry,
  layout: BandLayout,
  newestFirst: boolean,
  consider: (other: TextEntry) => void,
): void {
  if (buckets === undefined) {
    const count = scanCandidates(store, entry, layout.bands, layout.rows, layout.maxBucketEntries);
    for (let i = 0; i < count; i++) consider(scanned[i] as TextEntry);
    return;
  }
  const keys = bandKeysInto(entry.signature, layout.bands, layout.rows, keyScratch(layout.bands));
  const oldest = store.oldestId;
  resetSeen(store.size);
  const offer = (id: number): void => {
    if (!firstSeen(id - oldest)) return;
    const other = store.get(id);
    if (other !== undefined) consider(other);
  };
  for (const key of keys) {
    const bucket = buckets.raw(key);
    if (bucket === undefined) continue;
    if (typeof bucket === 'number') {
      if (bucket >= oldest) offer(bucket);
    } else if (newestFirst) {
      for (let i = bucket.length - 1; i >= 0; i--) {
        const id = bucket[i] as number;
        if (id < oldest) break;
        offer(id);
      }
    } else {
      for (const id of bucket) if (id >= oldest) offer(id);
    }
  }
  for (const key of keys) buckets.add(key, entry.id);
}

/**
 * Texts the store dropped (oldest first): their ids are trimmed from the buckets of their band keys,
 * so the buckets hold only the live texts' keys. Returns the buckets to keep: none once the store
 * is small again (a scan is cheaper there).
 */
export function forgetTexts(store: TextSignatureStore, buckets: LshBuckets | undefined, entries: readonly TextEntry[], layout: BandLayout): LshBuckets | undefined {
  if (buckets === undefined || entries.length === 0) return buckets;
  if (store.size <= SCAN_MAX_TEXTS / 2) return undefined;
  const oldest = store.oldestId;
  for (const entry of entries) for (const key of bandKeysInto(entry.signature, layout.bands, layout.rows, keyScratch(layout.bands))) buckets.trim(key, oldest);
  buckets.compact();
  return buckets;
}
