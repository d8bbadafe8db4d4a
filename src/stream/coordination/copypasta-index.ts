import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import { LshBuckets } from './lsh-buckets.ts';
import { bandKeys, signatureSimilarity } from './minhash.ts';
import type { CopypastaOptions } from './options.ts';
import type { TextEntry, TextSignatureStore } from './text-signatures.ts';

/** Near-duplicate texts posted on one tag, with the accounts that posted them. */
export interface NearDuplicateGroup {
  id: number;
  firstTs: number;
  lastTs: number;
  posts: number;
  /** Author id → time of that author's first post of this text, in insertion order. */
  authors: Map<string, number>;
  samplePosts: string[];
  sampleText: string;
}

const GROUP_SAMPLE_POSTS = 6;
const SAMPLE_TEXT_CHARS = 120;

/**
 * Copy-pasta on one tag: LSH bands over each text's signature find earlier texts that may be
 * near-duplicates, and a text joins the group of the most similar one above the threshold. A
 * group exists only once a second text matched (a lone text is just a stored signature), and at
 * most `maxGroups` are kept. Comparisons per post are bounded by bands × bucket size, never by
 * the tag's volume.
 */
export class CopypastaIndex {
  readonly groups = new Map<number, NearDuplicateGroup>();
  readonly #buckets: LshBuckets;
  readonly #options: CopypastaOptions;
  readonly #store: TextSignatureStore;
  #nextGroup = 0;

  constructor(options: CopypastaOptions, store: TextSignatureStore) {
    this.#options = options;
    this.#store = store;
    this.#buckets = new LshBuckets(options.maxBucketEntries);
  }

  /** Matches a newly stored text against earlier ones; returns its group when it has one. */
  add(entry: TextEntry, text: string): NearDuplicateGroup | undefined {
    const options = this.#options;
    const bands = bandKeys(entry.signature, options.bands, options.rows);
    const from = entry.ts - options.windowMs;
    let best: TextEntry | undefined;
    let bestSimilarity = options.similarity;
    const compared = new Set<number>();
    for (const band of bands) {
      const bucket = this.#buckets.get(band);
      for (let i = bucket.length - 1; i >= 0; i--) {
        const id = bucket[i] as number;
        if (compared.has(id)) continue;
        compared.add(id);
        const other = this.#store.get(id);
        if (other === undefined || other.ts < from) continue;
        const similarity = signatureSimilarity(entry.signature, other.signature);
        if (similarity >= bestSimilarity && (best === undefined || similarity > bestSimilarity || other.id > best.id)) {
          best = other;
          bestSimilarity = similarity;
        }
      }
    }
    this.#index(entry, bands);
    if (best === undefined) return undefined;
    let group = this.groups.get(best.group);
    if (group === undefined) {
      group = { id: this.#nextGroup++, firstTs: best.ts, lastTs: best.ts, posts: 1, authors: new Map([[best.author, best.ts]]), samplePosts: [best.post], sampleText: text.slice(0, SAMPLE_TEXT_CHARS) };
      best.group = group.id;
      if (this.groups.size >= options.maxGroups) {
        const stalest = this.groups.keys().next();
        if (stalest.done !== true) this.groups.delete(stalest.value);
      }
    } else {
      // Most recently posted groups last, so expiry walks from the front.
      this.groups.delete(group.id);
    }
    this.groups.set(group.id, group);
    entry.group = group.id;
    group.lastTs = entry.ts;
    group.posts++;
    if (!group.authors.has(entry.author) && group.authors.size < options.maxGroupAuthors) group.authors.set(entry.author, entry.ts);
    if (group.samplePosts.length < GROUP_SAMPLE_POSTS) group.samplePosts.push(entry.post);
    return group;
  }

  #index(entry: TextEntry, bands: readonly number[]): void {
    for (const band of bands) this.#buckets.add(band, entry.id);
  }

  /** Removes texts the store dropped from the buckets. */
  forget(entries: readonly TextEntry[]): void {
    for (const entry of entries) {
      for (const band of bandKeys(entry.signature, this.#options.bands, this.#options.rows)) {
        this.#buckets.remove(band, entry.id);
      }
    }
  }

  /** Forgets groups nobody posted since `cutoff`. */
  expire(cutoff: number): void {
    for (const group of this.groups.values()) {
      if (group.lastTs >= cutoff) break;
      this.groups.delete(group.id);
    }
  }

  /** Groups with at least `minAccounts` authors (the evidence), least recently posted first. */
  *evidence(): IterableIterator<NearDuplicateGroup> {
    for (const group of this.groups.values()) if (group.authors.size >= this.#options.minAccounts) yield group;
  }

  snapshot(w: CheckpointWriter): CopypastaSnapshot {
    return {
      nextGroup: this.#nextGroup,
      groups: [...this.groups.values()].map((g) => [
        g.id,
        w.t(g.firstTs),
        g.lastTs - g.firstTs,
        g.posts,
        [...g.authors].flatMap(([author, ts]) => [w.id(author), ts - g.firstTs]),
        g.samplePosts.map((p) => w.post(p)),
        g.sampleText,
      ]),
    };
  }

  /** Restores the groups and rebuilds the buckets from the store (which must be restored first). */
  restore(state: CopypastaSnapshot, r: CheckpointReader): void {
    this.groups.clear();
    this.#buckets.clear();
    this.#nextGroup = state.nextGroup;
    for (const [id, first, span, posts, authors, samplePosts, sampleText] of state.groups) {
      const firstTs = r.t(first);
      const map = new Map<string, number>();
      for (let i = 0; i + 1 < authors.length; i += 2) map.set(r.id(authors[i] as number), firstTs + (authors[i + 1] as number));
      this.groups.set(id, { id, firstTs, lastTs: firstTs + span, posts, authors: map, samplePosts: samplePosts.map((p) => r.post(p)), sampleText });
    }
    // Buckets keep the latest entries per band and lose entries oldest-first: re-adding the
    // survivors in order gives the same buckets.
    for (const entry of this.#store.values()) this.#index(entry, bandKeys(entry.signature, this.#options.bands, this.#options.rows));
  }
}

type GroupRow = [id: number, first: number, span: number, posts: number, authors: number[], samplePosts: number[], sampleText: string];

export interface CopypastaSnapshot {
  nextGroup: number;
  groups: GroupRow[];
}
