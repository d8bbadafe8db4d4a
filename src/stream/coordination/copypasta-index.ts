import type { CopypastaOptions } from './options.ts';
import { bandKeys, minhashSignature, signatureSimilarity } from './minhash.ts';
import { textShingles, textTokens } from './text-shingles.ts';

interface SignatureEntry {
  id: number;
  ts: number;
  group: number;
  signature: number[];
  bands: string[];
}

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

const GROUP_SAMPLE_POSTS = 12;
const SAMPLE_TEXT_CHARS = 160;

/**
 * Copy-pasta on one tag: each original text becomes a MinHash signature, LSH bands find earlier
 * texts that may be near-duplicates, and a text joins the group of the most similar one above the
 * threshold. Comparisons per post are bounded by bands × bucket size, never by the tag's volume.
 */
export class CopypastaIndex {
  readonly groups = new Map<number, NearDuplicateGroup>();
  readonly #entries = new Map<number, SignatureEntry>();
  readonly #buckets = new Map<string, number[]>();
  readonly #options: CopypastaOptions;
  #nextEntry = 0;
  #nextGroup = 0;

  constructor(options: CopypastaOptions) {
    this.#options = options;
  }

  /** Adds one original text; returns its group and signature, or undefined when the text is too short to compare. */
  add(text: string, author: string, postKey: string, ts: number): { group: NearDuplicateGroup; signature: number[] } | undefined {
    const options = this.#options;
    const tokens = textTokens(text);
    if (tokens.length < options.minTokens) return undefined;
    const signature = minhashSignature(textShingles(tokens), options.bands * options.rows);
    const bands = bandKeys(signature, options.bands, options.rows);
    let best: SignatureEntry | undefined;
    let bestSimilarity = options.similarity;
    const compared = new Set<number>();
    for (const band of bands) {
      const bucket = this.#buckets.get(band);
      if (bucket === undefined) continue;
      for (let i = bucket.length - 1; i >= 0; i--) {
        const id = bucket[i] as number;
        if (compared.has(id)) continue;
        compared.add(id);
        const entry = this.#entries.get(id);
        if (entry === undefined) continue;
        const similarity = signatureSimilarity(signature, entry.signature);
        if (similarity >= bestSimilarity && (best === undefined || similarity > bestSimilarity || entry.id > best.id)) {
          best = entry;
          bestSimilarity = similarity;
        }
      }
    }
    let group = best === undefined ? undefined : this.groups.get(best.group);
    if (group === undefined) {
      group = { id: this.#nextGroup++, firstTs: ts, lastTs: ts, posts: 0, authors: new Map(), samplePosts: [], sampleText: text.slice(0, SAMPLE_TEXT_CHARS) };
      this.groups.set(group.id, group);
      if (this.groups.size > this.#options.maxSignatures) {
        const stalest = this.groups.keys().next();
        if (stalest.done !== true) this.groups.delete(stalest.value);
      }
    } else {
      // Most recently active groups last, so expiry walks from the front.
      this.groups.delete(group.id);
      this.groups.set(group.id, group);
    }
    group.lastTs = ts;
    group.posts++;
    if (!group.authors.has(author) && group.authors.size < options.maxGroupAuthors) group.authors.set(author, ts);
    if (group.samplePosts.length < GROUP_SAMPLE_POSTS) group.samplePosts.push(postKey);
    this.#insert({ id: this.#nextEntry++, ts, group: group.id, signature, bands });
    return { group, signature };
  }

  #insert(entry: SignatureEntry): void {
    this.#entries.set(entry.id, entry);
    for (const band of entry.bands) {
      let bucket = this.#buckets.get(band);
      if (bucket === undefined) {
        bucket = [];
        this.#buckets.set(band, bucket);
      }
      bucket.push(entry.id);
      if (bucket.length > this.#options.maxBucketEntries) bucket.shift();
    }
    while (this.#entries.size > this.#options.maxSignatures) {
      const oldest = this.#entries.values().next();
      if (oldest.done === true) break;
      this.#remove(oldest.value);
    }
  }

  #remove(entry: SignatureEntry): void {
    this.#entries.delete(entry.id);
    for (const band of entry.bands) {
      const bucket = this.#buckets.get(band);
      if (bucket === undefined) continue;
      const at = bucket.indexOf(entry.id);
      if (at !== -1) bucket.splice(at, 1);
      if (bucket.length === 0) this.#buckets.delete(band);
    }
  }

  /** Forgets texts and groups older than `cutoff`. */
  expire(cutoff: number): void {
    for (const entry of this.#entries.values()) {
      if (entry.ts >= cutoff) break;
      this.#remove(entry);
    }
    for (const group of this.groups.values()) {
      if (group.lastTs >= cutoff) break;
      this.groups.delete(group.id);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  snapshot(): CopypastaSnapshot {
    return {
      nextEntry: this.#nextEntry,
      nextGroup: this.#nextGroup,
      entries: [...this.#entries.values()].map((e) => [e.id, e.ts, e.group, [...e.signature]]),
      groups: [...this.groups.values()].map((g) => ({ ...g, authors: [...g.authors], samplePosts: [...g.samplePosts] })),
    };
  }

  restore(state: CopypastaSnapshot): void {
    this.#entries.clear();
    this.#buckets.clear();
    this.groups.clear();
    this.#nextEntry = state.nextEntry;
    this.#nextGroup = state.nextGroup;
    const options = this.#options;
    // Re-inserting in order rebuilds every bucket as it was: buckets keep the latest entries.
    for (const [id, ts, group, signature] of state.entries) {
      this.#insert({ id, ts, group, signature: [...signature], bands: bandKeys(signature, options.bands, options.rows) });
    }
    for (const g of state.groups) {
      this.groups.set(g.id, { ...g, authors: new Map(g.authors), samplePosts: [...g.samplePosts] });
    }
  }
}

export interface CopypastaSnapshot {
  nextEntry: number;
  nextGroup: number;
  entries: Array<[number, number, number, number[]]>;
  groups: Array<Omit<NearDuplicateGroup, 'authors'> & { authors: Array<[string, number]> }>;
}
