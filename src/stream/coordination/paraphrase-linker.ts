import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import { bandKeys, signatureSimilarity } from './minhash.ts';
import type { ParaphraseOptions } from './options.ts';
import { PairTable } from './pair-table.ts';
import { log10PoissonTail } from './poisson-tail.ts';
import { pairKey, splitPairKey } from './seeded-hash.ts';
import type { TextEntry, TextSignatureStore } from './text-signatures.ts';

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
 * whose posts meet this way again and again do. Looser LSH bands (fewer rows) over the head of
 * the shared signature find the candidates, bounded per bucket.
 *
 * Null model: a pair of posts by unrelated authors is a paraphrase with the tag's own background
 * rate. A tag whose people write alike (a fan tag with stock phrases) has a high one, a fresh tag
 * starts from the prior. The rate is learned from every post's links over its comparisons, except
 * posts that link far beyond the current rate (a campaign's wave must not teach the model that
 * campaigns are normal).
 */
export class ParaphraseLinker {
  readonly #options: ParaphraseOptions;
  readonly #copyThreshold: number;
  readonly #store: TextSignatureStore;
  readonly #buckets = new Map<number, number[]>();
  readonly #pairs: PairTable<ParaphrasePair>;
  /** Background tallies, exponentially forgotten: links and post-pair comparisons, as of `#learnedAt`. */
  #links = 0;
  #comparisons = 0;
  #learnedAt: number | null = null;

  constructor(options: ParaphraseOptions, copyThreshold: number, store: TextSignatureStore) {
    this.#options = options;
    this.#copyThreshold = copyThreshold;
    this.#store = store;
    this.#pairs = new PairTable<ParaphrasePair>(
      options.maxPairs,
      (p) => p.links < options.minLinks,
      (p) => p.lastTs,
    );
  }

  /** The tag's background paraphrase rate: the prior blended with what the tag has shown. */
  get backgroundRate(): number {
    const o = this.#options;
    return (this.#links + o.backgroundRate * o.priorComparisons) / (this.#comparisons + o.priorComparisons);
  }

  /** Links a newly stored text (already in the store) to earlier paraphrases by other authors. */
  add(entry: TextEntry): void {
    const options = this.#options;
    const bands = this.#bands(entry);
    const from = entry.ts - options.windowMs;
    const compared = new Set<number>();
    const linked = new Set<string>();
    for (const band of bands) {
      const bucket = this.#buckets.get(band);
      if (bucket === undefined) continue;
      for (const id of bucket) {
        if (compared.has(id)) continue;
        compared.add(id);
        const other = this.#store.get(id);
        if (other === undefined || other.ts < from || other.author === entry.author || linked.has(other.author)) continue;
        const similarity = signatureSimilarity(entry.signature, other.signature);
        if (similarity < options.similarity || similarity >= this.#copyThreshold) continue;
        linked.add(other.author);
        this.#link(pairKey(entry.author, other.author), entry.ts);
      }
    }
    // Comparisons: every live text by someone else (the store holds this one and the author's others).
    this.#learn(linked.size, this.#store.size - this.#store.textsBy(entry.author), entry.ts);
    this.#index(entry, bands);
  }

  #learn(links: number, comparisons: number, ts: number): void {
    if (comparisons <= 0) return;
    const rate = this.backgroundRate;
    if (links > 0 && -log10PoissonTail(links, comparisons * rate) >= this.#options.significance) return;
    if (this.#learnedAt !== null && ts > this.#learnedAt) {
      const keep = Math.exp(-(ts - this.#learnedAt) / this.#options.backgroundHorizonMs);
      this.#links *= keep;
      this.#comparisons *= keep;
    }
    this.#learnedAt = this.#learnedAt === null ? ts : Math.max(this.#learnedAt, ts);
    this.#links += links;
    this.#comparisons += comparisons;
  }

  #bands(entry: TextEntry): number[] {
    return bandKeys(entry.signature, this.#options.bands, this.#options.rows);
  }

  #index(entry: TextEntry, bands: readonly number[]): void {
    for (const band of bands) {
      let bucket = this.#buckets.get(band);
      if (bucket === undefined) {
        bucket = [];
        this.#buckets.set(band, bucket);
      }
      bucket.push(entry.id);
      if (bucket.length > this.#options.maxBucketEntries) bucket.shift();
    }
  }

  #link(key: string, ts: number): void {
    const pair = this.#pairs.get(key) ?? { links: 0, lastTs: ts };
    pair.links++;
    pair.lastTs = ts;
    this.#pairs.set(key, pair);
  }

  /** Removes texts the store dropped from the buckets. */
  forget(entries: readonly TextEntry[]): void {
    for (const entry of entries) {
      for (const band of this.#bands(entry)) {
        const bucket = this.#buckets.get(band);
        if (bucket === undefined) continue;
        const at = bucket.indexOf(entry.id);
        if (at !== -1) bucket.splice(at, 1);
        if (bucket.length === 0) this.#buckets.delete(band);
      }
    }
  }

  expire(pairCutoff: number): void {
    this.#pairs.expire(pairCutoff);
  }

  /**
   * Pairs whose posts paraphrase each other far more often than unrelated posts do: with n_a and
   * n_b texts, chance alone gives n_a·n_b·rate links. Two prolific accounts on a busy tag meet
   * now and then by chance; two accounts with a handful of posts each that keep meeting share a script.
   */
  linkedPairs(): ParaphrasePairEvidence[] {
    const options = this.#options;
    const rate = this.backgroundRate;
    const out: ParaphrasePairEvidence[] = [];
    for (const [key, pair] of this.#pairs.entries()) {
      if (pair.links < options.minLinks) continue;
      const [a, b] = splitPairKey(key);
      const expected = Math.max(1, this.#store.textsBy(a)) * Math.max(1, this.#store.textsBy(b)) * rate;
      if (-log10PoissonTail(pair.links, expected) < options.significance) continue;
      out.push({ a, b, links: pair.links, lastTs: pair.lastTs });
    }
    return out;
  }

  get pairCount(): number {
    return this.#pairs.size;
  }

  snapshot(w: CheckpointWriter): ParaphraseSnapshot {
    const pairs: number[] = [];
    for (const [key, p] of this.#pairs.entries()) {
      const [a, b] = splitPairKey(key);
      pairs.push(w.id(a), w.id(b), p.links, w.t(p.lastTs));
    }
    return { pairs, background: [this.#links, this.#comparisons, this.#learnedAt === null ? null : w.t(this.#learnedAt)] };
  }

  /** Restores pairs and the background rate, and rebuilds the buckets from the store (restored first). */
  restore(state: ParaphraseSnapshot, r: CheckpointReader): void {
    this.#pairs.clear();
    this.#buckets.clear();
    for (let i = 0; i + 3 < state.pairs.length; i += 4) {
      const a = r.id(state.pairs[i] as number);
      const b = r.id(state.pairs[i + 1] as number);
      this.#pairs.set(pairKey(a, b), { links: state.pairs[i + 2] as number, lastTs: r.t(state.pairs[i + 3] as number) });
    }
    const [links, comparisons, learnedAt] = state.background;
    this.#links = links;
    this.#comparisons = comparisons;
    this.#learnedAt = learnedAt === null ? null : r.t(learnedAt);
    for (const entry of this.#store.values()) this.#index(entry, this.#bands(entry));
  }
}

export interface ParaphraseSnapshot {
  /** Flattened [a, b, links, last] per pair, in order of last update. */
  pairs: number[];
  background: [links: number, comparisons: number, learnedAt: number | null];
}
