import { fmix32, hash32 } from './seeded-hash.ts';

const SEED_A = 0x2545f491;
const SEED_B = 0x9e3779b9;

/**
 * MinHash signature of a shingle set: `size` hash functions derived from two seeded hashes
 * (Kirsch–Mitzenmacher) and re-mixed, so the k minima behave as independent permutations.
 */
export function minhashSignature(shingles: ReadonlySet<string>, size: number): number[] {
  const signature = new Array<number>(size).fill(0xffffffff);
  for (const shingle of shingles) {
    const a = hash32(shingle, SEED_A);
    const b = hash32(shingle, SEED_B) | 1;
    for (let i = 0; i < size; i++) {
      const value = fmix32((a + Math.imul(i, b)) ^ Math.imul(i + 1, 0x27d4eb2f));
      if (value < (signature[i] as number)) signature[i] = value;
    }
  }
  return signature;
}

/**
 * b-bit MinHash (Li & König 2010): the lowest 8 bits of each minimum. Two unrelated texts agree
 * on a position by chance 1 time in 256, which lifts a similarity estimate by under 0.004; in
 * exchange a signature is 64 bytes instead of 64 numbers, in memory and in checkpoints.
 */
export function compactSignature(shingles: ReadonlySet<string>, size: number): Uint8Array {
  const full = minhashSignature(shingles, size);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (full[i] as number) & 0xff;
  return out;
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
  const keys: number[] = [];
  for (let band = 0; band < bands; band++) {
    let h = Math.imul(band + 1, 0x85ebca6b);
    for (let r = 0; r < rows; r++) h = fmix32((h ^ (signature[band * rows + r] as number)) + Math.imul(r + 1, 0x9e3779b9));
    // 30 bits: a small integer in V8 (no boxed number per bucket key).
    keys.push(h & 0x3fffffff);
  }
  return keys;
}
