/**
 * 32-bit string hash (FNV-1a over UTF-16 code units, then the murmur3 finalizer for avalanche).
 * Synchronous and stable across processes and versions: author sets and flag ids persist in
 * checkpoints, so the hash must never change.
 */
export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A second, independent hash of the same string (for double hashing in Bloom filters). */
export function hash32b(s: string): number {
  return hash32(s, 0x9747b28c);
}
