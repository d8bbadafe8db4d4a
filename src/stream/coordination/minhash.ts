import { fmix32, hash32 } from './seeded-hash.ts';

const SEED_A = 0x2545f491;
const SEED_B = 0x9e3779b9;

/** Per-position salt of the derived hash functions: `imul(i + 1, 0x27d4eb2f)`. */
let salts = new Int32Array(0);
/**
 * Running minima of the signature being built (reused: no allocation per signature), stored with
 * the top bit flipped so that unsigned order is signed int32 order: the loop stays in int32.
 */
let minima = new Int32Array(0);

function prepare(size: number): Int32Array {
  if (salts.length < size) {
    salts = new Int32Array(size);
    for (let i = 0; i < size; i++) salts[i] = Math.imul(i + 1, 0x27d4eb2f);
    minima = new Int32Array(size);
  }
  minima.fill(0x7fffffff, 0, size);
  return minima;
}

/**
 * Folds one shingle, given its two seeded hashes, into the running minima: position i takes
 * fmix32((a + i·b) ^ salt_i), i.e. Kirsch–Mitzenmacher re-mixed so the k minima behave as
 * independent permutations.
 */
function fold(out: Int32Array, size: number, a: number, b: number): void {
  let x = a | 0;
  for (let i = 0; i < size; i++) {
    let h = x ^ (salts[i] as number);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h ^= 0x80000000;
    if (h < (out[i] as number)) out[i] = h;
    x = (x + b) | 0;
  }
}

/**
 * MinHash signature of a shingle set: `size` hash functions derived from two seeded hashes
 * (Kirsch–Mitzenmacher) and re-mixed, so the k minima behave as independent permutations.
 */
export function minhashSignature(shingles: ReadonlySet<string>, size: number): number[] {
  const out = prepare(size);
  for (const shingle of shingles) fold(out, size, hash32(shingle, SEED_A), hash32(shingle, SEED_B) | 1);
  return Array.from(out.subarray(0, size), (v) => (v ^ 0x80000000) >>> 0);
}

/**
 * b-bit MinHash (Li & König 2010): the lowest 8 bits of each minimum. Two unrelated texts agree
 * on a position by chance 1 time in 256, which lifts a similarity estimate by under 0.004; in
 * exchange a signature is 64 bytes instead of 64 numbers, in memory and in checkpoints.
 */
export function compactSignature(shingles: ReadonlySet<string>, size: number): Uint8Array {
  const out = prepare(size);
  for (const shingle of shingles) fold(out, size, hash32(shingle, SEED_A), hash32(shingle, SEED_B) | 1);
  return lowBytes(out, size);
}

/**
 * `compactSignature(textShingles(tokens), size)` without building the shingle strings: each
 * unigram and bigram (`word + ' ' + next`) is hashed in place, both seeds in one pass. A repeated
 * shingle folds twice, which leaves the minima unchanged.
 */
export function tokenSignature(tokens: readonly string[], size: number): Uint8Array {
  const out = prepare(size);
  const n = tokens.length;
  const cached = size === CACHED_SIZE;
  for (let i = 0; i < n; i++) {
    const word = tokens[i] as string;
    shingleHashes(word, '', false);
    if (cached) foldCached(out, hashA, hashB | 1);
    else fold(out, size, hashA, hashB | 1);
    if (i + 1 < n) {
      shingleHashes(word, tokens[i + 1] as string, true);
      if (cached) foldCached(out, hashA, hashB | 1);
      else fold(out, size, hashA, hashB | 1);
    }
  }
  return lowBytes(out, size);
}

/**
 * Words and word pairs recur across texts (function words, a campaign's script, a tag's stock
 * phrases): the 64 derived values of the latest shingles are kept in a direct-mapped cache keyed by
 * the shingle's two hashes, so a recurring shingle costs 64 comparisons instead of 64 hash mixes.
 * Same values either way.
 */
const CACHED_SIZE = 64;
const CACHE_SLOTS = 4096;
/** Allocated on first use (1 MB): keys a and b per slot (b is odd, so an empty slot never matches), values. */
let cacheA: Int32Array | undefined;
let cacheB = new Int32Array(0);
let cacheValues = new Int32Array(0);
const one = new Int32Array(CACHED_SIZE);

function foldCached(out: Int32Array, a: number, b: number): void {
  if (cacheA === undefined) {
    cacheA = new Int32Array(CACHE_SLOTS);
    cacheB = new Int32Array(CACHE_SLOTS);
    cacheValues = new Int32Array(CACHE_SLOTS * CACHED_SIZE);
  }
  const slot = ((a ^ Math.imul(b, 0x9e3779b1)) >>> 20) & (CACHE_SLOTS - 1);
  const base = slot * CACHED_SIZE;
  if (cacheA[slot] !== (a | 0) || cacheB[slot] !== (b | 0)) {
    one.fill(0x7fffffff);
    fold(one, CACHED_SIZE, a, b);
    cacheValues.set(one, base);
    cacheA[slot] = a | 0;
    cacheB[slot] = b | 0;
  }
  for (let i = 0; i < CACHED_SIZE; i++) {
    const v = cacheValues[base + i] as number;
    if (v < (out[i] as number)) out[i] = v;
  }
}

function lowBytes(minimaOut: Int32Array, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (minimaOut[i] as number) & 0xff;
  return bytes;
}

let hashA = 0;
let hashB = 0;

/**
 * `hash32(s, SEED_A)` and `hash32(s, SEED_B)` of s = `first` (+ ' ' + `second` when `pair`), in one
 * pass over the UTF-16 code units, into `hashA` / `hashB`.
 */
function shingleHashes(first: string, second: string, pair: boolean): void {
  const n1 = first.length;
  const total = pair ? n1 + 1 + second.length : n1;
  let ha = SEED_A;
  let hb = SEED_B;
  let i = 0;
  for (; i + 1 < total; i += 2) {
    const c0 = i < n1 ? first.charCodeAt(i) : i === n1 ? 32 : second.charCodeAt(i - n1 - 1);
    const j = i + 1;
    const c1 = j < n1 ? first.charCodeAt(j) : j === n1 ? 32 : second.charCodeAt(j - n1 - 1);
    let k = (c0 & 0xffff) | ((c1 & 0xffff) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    ha ^= k;
    ha = (ha << 13) | (ha >>> 19);
    ha = (Math.imul(ha, 5) + 0xe6546b64) | 0;
    hb ^= k;
    hb = (hb << 13) | (hb >>> 19);
    hb = (Math.imul(hb, 5) + 0xe6546b64) | 0;
  }
  if (i < total) {
    const c0 = i < n1 ? first.charCodeAt(i) : i === n1 ? 32 : second.charCodeAt(i - n1 - 1);
    let k = c0 & 0xffff;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    ha ^= k;
    hb ^= k;
  }
  ha ^= total;
  hb ^= total;
  hashA = fmix32(ha);
  hashB = fmix32(hb);
}

/** Estimated Jaccard similarity: the share of equal MinHash positions. */
export function signatureSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const size = Math.min(a.length, b.length);
  if (size === 0) return 0;
  let equal = 0;
  for (let i = 0; i < size; i++) if (a[i] === b[i]) equal++;
  return equal / size;
}

/**
 * One LSH bucket key per band over the first bands × rows values: texts sharing any band key
 * become candidates. Keys mix the band number in, so equal values in different bands do not meet.
 */
export function bandKeys(signature: ArrayLike<number>, bands: number, rows: number): number[] {
  return Array.from(bandKeysInto(signature, bands, rows, new Int32Array(bands)));
}

/** `bandKeys` into `out` (no allocation); returns `out`. */
export function bandKeysInto(signature: ArrayLike<number>, bands: number, rows: number, out: Int32Array): Int32Array {
  for (let band = 0; band < bands; band++) {
    let h = Math.imul(band + 1, 0x85ebca6b);
    for (let r = 0; r < rows; r++) h = fmix32((h ^ (signature[band * rows + r] as number)) + Math.imul(r + 1, 0x9e3779b9));
    // 30 bits: a small integer in V8 (no boxed number per bucket key).
    out[band] = h & 0x3fffffff;
  }
  return out;
}
