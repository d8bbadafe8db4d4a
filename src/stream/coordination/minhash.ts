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

/** Estimated Jaccard similarity: the share of equal MinHash positions. */
export function signatureSimilarity(a: readonly number[], b: readonly number[]): number {
  const size = Math.min(a.length, b.length);
  if (size === 0) return 0;
  let equal = 0;
  for (let i = 0; i < size; i++) if (a[i] === b[i]) equal++;
  return equal / size;
}

/** One LSH bucket key per band: texts sharing any band key become candidates. */
export function bandKeys(signature: readonly number[], bands: number, rows: number): string[] {
  const keys: string[] = [];
  for (let band = 0; band < bands; band++) {
    let h = band + 1;
    for (let r = 0; r < rows; r++) h = fmix32((h ^ (signature[band * rows + r] as number)) + Math.imul(r + 1, 0x9e3779b9));
    keys.push(`${band}:${h.toString(36)}`);
  }
  return keys;
}
