import { fmix32, hash32 } from './seeded-hash.ts';

const ACCOUNT_SEED = 0x6a09e667;

/**
 * The distinct accounts of a hot tag's recent-action window, each with how many of the window's
 * actions are its own and a hash of its id, for sampling an action's partners.
 *
 * Why: an action on a hot tag is paired with a consistent sample of the window's other accounts,
 * the `max` with the lowest pair hash. Hashing every (author, other) key string made each action
 * cost O(window × id length) in string hashing — the largest cost of the analyze stage on a dense
 * stream. Here an account's id is hashed once, when it enters the window, and a pair's hash is an
 * integer mix of the two account hashes (symmetric, so a pair is sampled alike from either side).
 */
export class PartnerWindow {
  /** Slot of each account in the window. */
  readonly #slots = new Map<string, number>();
  #ids: string[] = [];
  #counts: number[] = [];
  #hashes = new Int32Array(64);

  get size(): number {
    return this.#ids.length;
  }

  has(id: string): boolean {
    return this.#slots.has(id);
  }

  /** One more action of `id` in the window. */
  add(id: string): void {
    const slot = this.#slots.get(id);
    if (slot !== undefined) {
      this.#counts[slot] = (this.#counts[slot] as number) + 1;
      return;
    }
    const at = this.#ids.length;
    if (at === this.#hashes.length) {
      const grown = new Int32Array(at * 2);
      grown.set(this.#hashes);
      this.#hashes = grown;
    }
    this.#ids.push(id);
    this.#counts.push(1);
    this.#hashes[at] = accountHash(id);
    this.#slots.set(id, at);
  }

  /** One action of `id` left the window (the account leaves with its last one). */
  remove(id: string): void {
    const slot = this.#slots.get(id);
    if (slot === undefined) return;
    const left = (this.#counts[slot] as number) - 1;
    if (left > 0) {
      this.#counts[slot] = left;
      return;
    }
    // Swap-remove: the sample is ordered by hash, never by slot, so slot order does not matter.
    const last = this.#ids.length - 1;
    if (slot !== last) {
      const moved = this.#ids[last] as string;
      this.#ids[slot] = moved;
      this.#counts[slot] = this.#counts[last] as number;
      this.#hashes[slot] = this.#hashes[last] as number;
      this.#slots.set(moved, slot);
    }
    this.#ids.pop();
    this.#counts.pop();
    this.#slots.delete(id);
  }

  /**
   * Into `into`: the `max` accounts other than `author` with the lowest (pair hash, id), ascending
   * (`hashes` is scratch of at least `max`). Returns how many.
   */
  sampleInto(author: string, max: number, into: string[], hashes: Uint32Array): number {
    const slot = this.#slots.get(author);
    const own = slot === undefined ? accountHash(author) : (this.#hashes[slot] as number);
    return lowestPairs(own, this.#ids, this.#hashes, this.#ids.length, slot ?? -1, max, into, hashes);
  }
}

let scratchHashes = new Int32Array(64);

/**
 * The same sample over a short list of distinct accounts (a window too short for a
 * `PartnerWindow`): their ids are hashed here, once each.
 */
export function sampleDistinctInto(author: string, others: readonly string[], count: number, max: number, into: string[], hashes: Uint32Array): number {
  if (scratchHashes.length < count) scratchHashes = new Int32Array(count * 2);
  for (let i = 0; i < count; i++) scratchHashes[i] = accountHash(others[i] as string);
  return lowestPairs(accountHash(author), others, scratchHashes, count, -1, max, into, hashes);
}

/** The `max` lowest (pairHash(own, h_i), id_i) for i < count, i ≠ skip, kept sorted by insertion. */
function lowestPairs(own: number, ids: readonly string[], accountHashes: Int32Array, count: number, skip: number, max: number, into: string[], hashes: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (i !== skip) n = keepLowest(pairHash(own, accountHashes[i] as number), ids[i] as string, n, max, into, hashes);
  }
  return n;
}

/**
 * Offers `other` with pair hash `h` to the `n` kept in `into` (ascending by (hash, id), hashes in
 * `hashes`, at most `max`): inserted in order when among the `max` lowest. Returns how many are
 * kept. Sampling k of N this way costs about N comparisons plus the few insertions, not a sort of N.
 */
export function keepLowest(h: number, other: string, n: number, max: number, into: string[], hashes: Uint32Array): number {
  if (n === max) {
    const lastH = hashes[n - 1] as number;
    if (h > lastH || (h === lastH && other > (into[n - 1] as string))) return n;
  }
  let j = n === max ? n - 1 : n;
  while (j > 0) {
    const ph = hashes[j - 1] as number;
    if (ph < h || (ph === h && (into[j - 1] as string) < other)) break;
    hashes[j] = ph;
    into[j] = into[j - 1] as string;
    j--;
  }
  hashes[j] = h;
  into[j] = other;
  return n < max ? n + 1 : n;
}

/** An account id's sampling hash. */
export function accountHash(id: string): number {
  return hash32(id, ACCOUNT_SEED) | 0;
}

/** A pair's sampling hash from its two account hashes: symmetric, re-mixed so it orders pairs at random. */
export function pairHash(a: number, b: number): number {
  return fmix32((a ^ b) + Math.imul(a & b, 0x9e3779b1));
}
