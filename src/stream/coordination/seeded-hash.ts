/**
 * Seeded 32-bit hashing (MurmurHash3 x86_32 over UTF-16 code units). Pure and synchronous, so
 * MinHash signatures, pair sampling and flag ids are the same on every run and every machine.
 */
export function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
  const length = text.length;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    h = mixBlock(h, (text.charCodeAt(i) & 0xffff) | ((text.charCodeAt(i + 1) & 0xffff) << 16));
  }
  if (i < length) h ^= scrambleBlock(text.charCodeAt(i) & 0xffff);
  h ^= length;
  return fmix32(h);
}

/** MurmurHash3's scramble of one 32-bit block. */
function scrambleBlock(block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

/** One body round of MurmurHash3: the block scrambled into the running hash. */
function mixBlock(hash: number, block: number): number {
  let h = hash ^ scrambleBlock(block);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Final avalanche of MurmurHash3: spreads every input bit over the output. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** An order-independent key for an unordered pair of account ids. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export function splitPairKey(key: string): [string, string] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
}

/**
 * What `splitPairKey(pairKey(a, b))` gives, as the ids themselves (no new strings) whenever that is
 * what the split gives: unless the lower id holds a NUL, which the split takes for the separator.
 */
export function pairIds(a: string, b: string): [string, string] {
  const low = a < b ? a : b;
  if (low.includes('\u0000')) return splitPairKey(pairKey(a, b));
  return [low, low === a ? b : a];
}

/** A short, stable hex id for a set of parts (flag ids). */
export function stableId(parts: readonly string[]): string {
  const text = parts.join('\u0001');
  const a = hash32(text, 0x9747b28c);
  const b = hash32(text, 0x5bd1e995);
  const c = hash32(text, 0x1b873593);
  const d = hash32(text, 0x27d4eb2f);
  return [a, b, c, d].map((n) => n.toString(16).padStart(8, '0')).join('');
}

/** `hash32(pairKey(a, b), seed)` without building the key. */
export function hash32Pair(a: string, b: string, seed: number): number {
  const first = a < b ? a : b;
  const second = a < b ? b : a;
  const n1 = first.length;
  const total = n1 + 1 + second.length;
  let h = seed >>> 0;
  let i = 0;
  for (; i + 1 < total; i += 2) {
    const c0 = i < n1 ? first.charCodeAt(i) : i === n1 ? 0 : second.charCodeAt(i - n1 - 1);
    const j = i + 1;
    const c1 = j < n1 ? first.charCodeAt(j) : j === n1 ? 0 : second.charCodeAt(j - n1 - 1);
    h = mixBlock(h, (c0 & 0xffff) | ((c1 & 0xffff) << 16));
  }
  if (i < total) {
    const c0 = i < n1 ? first.charCodeAt(i) : i === n1 ? 0 : second.charCodeAt(i - n1 - 1);
    h ^= scrambleBlock(c0 & 0xffff);
  }
  h ^= total;
  return fmix32(h);
}
