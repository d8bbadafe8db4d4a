import { hash32 } from './string-hash.ts';

const EMPTY = 0;
/** Authors kept in the small array before the hash table takes over. */
const SMALL_MAX = 16;
const EMPTY_TABLE = new Uint32Array(0);
/** Shared empty small set: replaced on the first add, never changed in place. */
const NO_HASHES: number[] = [];
/** Filter bits per author of the exact cap: under 1% false "known" up to four times the cap. */
const BLOOM_BITS_PER_AUTHOR = 64;
const BLOOM_HASHES = 6;

/** JSON form of an AuthorSet. */
export interface AuthorSetState {
  /** Authors added (exact while `bloom` is absent; afterwards counts what the filter saw as new). */
  n: number;
  /** Base64 of the 32-bit author hashes (exact mode) or of the Bloom filter's bits. */
  data: string;
  bloom?: true;
}

/**
 * Authors ever seen on one tag, to tell a new author from a returning one. Stores 32-bit hashes in
 * an open-addressing table (4 bytes per author, a few dozen bytes for a small tag); past
 * `maxExact` authors it turns into a Bloom filter of fixed size (64 bits per capped author), so a tag with millions of
 * authors stays bounded. A collision makes a new author look known: with 32-bit hashes that is
 * one in ~65,000 at 65,536 authors, and the filter is sized for well under 0.1%.
 */
export class AuthorSet {
  /**
   * Small sets (most tags): nothing yet, the one hash itself (a tag with one author needs no
   * array), then a plain exact-size array of doubles (no typed-array overhead). Undefined once
   * the hash table took over.
   */
  #small: number[] | number | undefined = NO_HASHES;
  #table: Uint32Array;
  #size = 0;
  #bloom: Uint32Array | undefined;
  readonly #maxExact: number;

  constructor(maxExact: number) {
    this.#maxExact = maxExact;
    this.#table = EMPTY_TABLE;
  }

  /** Authors added so far (exact until the Bloom filter takes over, a tight lower bound afterwards). */
  get size(): number {
    return this.#size;
  }

  /** Adds an author; true when it was not there before. */
  add(authorId: string): boolean {
    return this.addHash(hash32(authorId) || 1);
  }

  addHash(h: number): boolean {
    const small = this.#small;
    if (typeof small === 'number') {
      if (small === h) return false;
      this.#small = [small, h];
      this.#size++;
      return true;
    }
    if (small !== undefined) {
      if (small.length === 0) {
        this.#small = h;
        this.#size++;
        return true;
      }
      if (small.includes(h)) return false;
      if (small.length < SMALL_MAX) {
        // concat allocates exactly; push and spread reserve 17 slots, which most tags never need.
        this.#small = small.concat(h);
        this.#size++;
        return true;
      }
      this.#small = undefined;
      this.#size = 0;
      this.#table = new Uint32Array(SMALL_MAX * 4);
      for (const x of small) this.addHash(x);
    }
    if (this.#bloom !== undefined) return this.#bloomAdd(h);
    const table = this.#table;
    const mask = table.length - 1;
    let i = h & mask;
    for (;;) {
      const slot = table[i];
      if (slot === EMPTY) break;
      if (slot === h) return false;
      i = (i + 1) & mask;
    }
    table[i] = h;
    this.#size++;
    if (this.#size * 2 > table.length) this.#grow();
    return true;
  }

  /** Bytes held (for the bytes-per-tag figure). */
  get bytes(): number {
    const small = this.#small;
    if (typeof small === 'number') return 72;
    if (small !== undefined) return small.length === 0 ? 72 : 128 + 8 * small.length;
    return (this.#bloom ?? this.#table).byteLength + 120;
  }

  toJSON(): AuthorSetState {
    if (this.#bloom !== undefined) return { n: this.#size, data: toBase64(this.#bloom), bloom: true };
    const hashes = new Uint32Array(this.#size);
    let j = 0;
    const small = this.#small;
    if (typeof small === 'number') hashes[0] = small;
    else if (small !== undefined) hashes.set(small);
    else for (const h of this.#table) if (h !== EMPTY) hashes[j++] = h;
    return { n: this.#size, data: toBase64(hashes) };
  }

  static fromJSON(state: AuthorSetState, maxExact: number): AuthorSet {
    const set = new AuthorSet(maxExact);
    const words = fromBase64(state.data);
    if (state.bloom === true) {
      set.#small = undefined;
      set.#bloom = words;
      set.#size = state.n;
      return set;
    }
    for (const h of words) set.addHash(h);
    return set;
  }

  #grow(): void {
    const old = this.#table;
    if (this.#size > this.#maxExact) {
      this.#toBloom(old);
      return;
    }
    this.#table = new Uint32Array(old.length * 2);
    this.#size = 0;
    for (const h of old) if (h !== EMPTY) this.addHash(h);
  }

  #toBloom(old: Uint32Array): void {
    let bits = 64;
    while (bits < this.#maxExact * BLOOM_BITS_PER_AUTHOR) bits *= 2;
    this.#bloom = new Uint32Array(bits / 32);
    this.#table = new Uint32Array(0);
    const size = this.#size;
    for (const h of old) if (h !== EMPTY) this.#bloomAdd(h);
    this.#size = size;
  }

  #bloomAdd(h: number): boolean {
    const bloom = this.#bloom as Uint32Array;
    const mask = bloom.length * 32 - 1;
    const h2 = (mix(h) | 1) >>> 0;
    let fresh = false;
    for (let k = 0; k < BLOOM_HASHES; k++) {
      const bit = (h + Math.imul(k, h2)) & mask;
      const word = bit >>> 5;
      const m = 1 << (bit & 31);
      const w = bloom[word] as number;
      if ((w & m) === 0) {
        fresh = true;
        bloom[word] = w | m;
      }
    }
    if (fresh) this.#size++;
    return fresh;
  }
}

function mix(h: number): number {
  let x = h ^ 0x5bd1e995;
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 12;
  return x >>> 0;
}

function toBase64(words: Uint32Array): string {
  return Buffer.from(words.buffer, words.byteOffset, words.byteLength).toString('base64');
}

function fromBase64(data: string): Uint32Array {
  const buf = Buffer.from(data, 'base64');
  const out = new Uint32Array(buf.byteLength >>> 2);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.byteLength));
  return out;
}
