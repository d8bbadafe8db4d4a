import type { ParaphraseOptions } from './options.ts';
import { bandKeys, signatureSimilarity } from './minhash.ts';
import { log10PoissonTail } from './poisson-tail.ts';
import { pairKey, splitPairKey } from './seeded-hash.ts';

interface LooseEntry {
  id: number;
  ts: number;
  author: string;
  signature: number[];
  bands: string[];
}

interface ParaphrasePair {
  links: number;
  lastTs: number;
}

export interface ParaphrasePairEvidence {
  a: string;
  b: string;
  links: number;
  lastTs: number;
}

/**
 * Paraphrase networks: texts too different to be copies (Jaccard between `similarity` and the
 * copy-pasta threshold) yet sharing a skeleton. One such pair of posts means little; two accounts
 * whose posts meet this way again and again do. Reuses the copy-pasta MinHash signature; looser
 * LSH bands (fewer rows) find the candidates, bounded per bucket.
 */
export class ParaphraseLinker {
  readonly #options: ParaphraseOptions;
  readonly #copyThreshold: number;
  readonly #entries = new Map<number, LooseEntry>();
  readonly #buckets = new Map<string, number[]>();
  readonly #pairs = new Map<string, ParaphrasePair>();
  readonly #candidates = new Set<string>();
  /** Texts per author among the live entries. */
  readonly #texts = new Map<string, number>();
  #next = 0;

  constructor(options: ParaphraseOptions, copyThreshold: number) {
    this.#options = options;
    this.#copyThreshold = copyThreshold;
  }

  add(signature: readonly number[], author: string, ts: number): void {
    const options = this.#options;
    const size = Math.min(signature.length, options.bands * options.rows);
    const head = signature.slice(0, size);
    const bands = bandKeys(head, options.bands, options.rows);
    const compared = new Set<number>();
    const linked = new Set<string>();
    for (const band of bands) {
      const bucket = this.#buckets.get(band);
      if (bucket === undefined) continue;
      for (const id of bucket) {
        if (compared.has(id)) continue;
        compared.add(id);
        const entry = this.#entries.get(id);
        if (entry === undefined || entry.author === author || linked.has(entry.author)) continue;
        const similarity = signatureSimilarity(signature, entry.signature);
        if (similarity < options.similarity || similarity >= this.#copyThreshold) continue;
        linked.add(entry.author);
        this.#link(pairKey(author, entry.author), ts);
      }
    }
    const entry: LooseEntry = { id: this.#next++, ts, author, signature: [...signature], bands };
    this.#entries.set(entry.id, entry);
    this.#texts.set(author, (this.#texts.get(author) ?? 0) + 1);
    for (const band of bands) {
      let bucket = this.#buckets.get(band);
      if (bucket === undefined) {
        bucket = [];
        this.#buckets.set(band, bucket);
      }
      bucket.push(entry.id);
      if (bucket.length > options.maxBucketEntries) bucket.shift();
    }
    while (this.#entries.size > options.maxSignatures) {
      const oldest = this.#entries.values().next();
      if (oldest.done === true) break;
      this.#remove(oldest.value);
    }
  }

  #link(key: string, ts: number): void {
    let pair = this.#pairs.get(key);
    if (pair === undefined) {
      pair = { links: 0, lastTs: ts };
      if (this.#pairs.size >= this.#options.maxPairs) {
        const oldest = this.#pairs.keys().next();
        if (oldest.done !== true) {
          this.#pairs.delete(oldest.value);
          this.#candidates.delete(oldest.value);
        }
      }
    } else {
      this.#pairs.delete(key);
    }
    this.#pairs.set(key, pair);
    pair.links++;
    pair.lastTs = ts;
    if (pair.links >= this.#options.minLinks) this.#candidates.add(key);
  }

  #remove(entry: LooseEntry): void {
    this.#entries.delete(entry.id);
    const texts = (this.#texts.get(entry.author) ?? 1) - 1;
    if (texts <= 0) this.#texts.delete(entry.author);
    else this.#texts.set(entry.author, texts);
    for (const band of entry.bands) {
      const bucket = this.#buckets.get(band);
      if (bucket === undefined) continue;
      const at = bucket.indexOf(entry.id);
      if (at !== -1) bucket.splice(at, 1);
      if (bucket.length === 0) this.#buckets.delete(band);
    }
  }

  expire(cutoff: number, pairCutoff: number): void {
    for (const entry of this.#entries.values()) {
      if (entry.ts >= cutoff) break;
      this.#remove(entry);
    }
    for (const [key, pair] of this.#pairs) {
      if (pair.lastTs >= pairCutoff) break;
      this.#pairs.delete(key);
      this.#candidates.delete(key);
    }
  }

  /**
   * Pairs whose posts paraphrase each other far more often than unrelated posts do: with n_a and
   * n_b texts, chance alone gives n_a·n_b·backgroundRate links. Two prolific accounts on a busy
   * tag meet now and then by chance; two accounts with a handful of posts each that keep meeting
   * share a script.
   */
  linkedPairs(): ParaphrasePairEvidence[] {
    const out: ParaphrasePairEvidence[] = [];
    for (const key of this.#candidates) {
      const pair = this.#pairs.get(key);
      if (pair === undefined) continue;
      const [a, b] = splitPairKey(key);
      const expected = Math.max(1, this.#texts.get(a) ?? 1) * Math.max(1, this.#texts.get(b) ?? 1) * this.#options.backgroundRate;
      if (-log10PoissonTail(pair.links, expected) < this.#options.significance) continue;
      out.push({ a, b, links: pair.links, lastTs: pair.lastTs });
    }
    return out;
  }

  snapshot(): ParaphraseSnapshot {
    return {
      next: this.#next,
      entries: [...this.#entries.values()].map((e) => [e.id, e.ts, e.author, [...e.signature]]),
      pairs: [...this.#pairs].map(([key, p]) => [key, p.links, p.lastTs]),
    };
  }

  restore(state: ParaphraseSnapshot): void {
    this.#entries.clear();
    this.#buckets.clear();
    this.#pairs.clear();
    this.#candidates.clear();
    this.#texts.clear();
    this.#next = state.next;
    const options = this.#options;
    for (const [id, ts, author, signature] of state.entries) {
      const bands = bandKeys(signature.slice(0, options.bands * options.rows), options.bands, options.rows);
      this.#entries.set(id, { id, ts, author, signature: [...signature], bands });
      this.#texts.set(author, (this.#texts.get(author) ?? 0) + 1);
      for (const band of bands) {
        let bucket = this.#buckets.get(band);
        if (bucket === undefined) {
          bucket = [];
          this.#buckets.set(band, bucket);
        }
        bucket.push(id);
        if (bucket.length > options.maxBucketEntries) bucket.shift();
      }
    }
    for (const [key, links, lastTs] of state.pairs) {
      this.#pairs.set(key, { links, lastTs });
      if (links >= options.minLinks) this.#candidates.add(key);
    }
  }
}

export interface ParaphraseSnapshot {
  next: number;
  entries: Array<[number, number, string, number[]]>;
  pairs: Array<[string, number, number]>;
}
