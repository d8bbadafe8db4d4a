import { tokenSignature } from './minhash.ts';
import { textTokens } from './text-shingles.ts';

/** Values per signature (copy-pasta and paraphrase bands both read from it). */
export const SIGNATURE_SIZE = 64;

/** Texts whose signature is remembered (the same post reaches every one of its tags in turn). */
const CACHED_TEXTS = 512;

/**
 * Signs original texts for the text signals: tokens → unigram + bigram shingles → 64 b-bit MinHash
 * values, or undefined when the text has fewer than `minTokens` words. A post with k tags is seen
 * by k tags' states one after the other, and copy-pasta repeats texts by nature: the latest texts'
 * signatures are kept (keyed by the text, so it holds whether or not the tags share the post
 * object), and a text is signed once. Signatures are shared read-only between tags.
 */
export class TextSigner {
  readonly #minTokens: number;
  readonly #cache = new Map<string, Uint8Array | null>();

  constructor(minTokens: number) {
    this.#minTokens = minTokens;
  }

  sign(text: string): Uint8Array | undefined {
    const cached = this.#cache.get(text);
    if (cached !== undefined) return cached ?? undefined;
    const tokens = textTokens(text);
    const signature = tokens.length < this.#minTokens ? null : tokenSignature(tokens, SIGNATURE_SIZE);
    if (this.#cache.size >= CACHED_TEXTS) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(text, signature);
    return signature ?? undefined;
  }
}
