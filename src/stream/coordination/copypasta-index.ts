import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import type { LshBuckets } from './lsh-buckets.ts';
import { signatureSimilarity } from './minhash.ts';
import type { CopypastaOptions } from './options.ts';
import { StateBytes } from './state-bytes.ts';
import { SCAN_MAX_TEXTS, forgetTexts, indexStoredTexts, offerCandidates } from './signature-scan.ts';
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
 * The `add` in progress, for `CopypastaIndex.#consider`: module scratch rather than a closure per
 * text (`add` is synchronous and never re-entered). Valid only during one `add`.
 */
const matching = {
  entry: undefined as TextEntry | undefined,
  from: 0,
  best: undefined as TextEntry | undefined,
  bestSimilarity: 0,
};

/**
 * Copy-pasta on one tag: LSH bands over each text's signature find earlier texts that may be
 * near-duplicates, and a text joins the group of the most similar one above the threshold. A
 * group exists only once a second text matched (a lone text is just a stored signature), and at
 * most `maxGroups` are kept. Comparisons per post are bounded by bands × bucket size, never by
 * the tag's volume.
 */
export class CopypastaIndex {
  #groups: Map<number, NearDuplicateGroup> | undefined;
  /** Built only while the store holds more than `SCAN_MAX_TEXTS` other texts (below, a scan). */
  #buckets: LshBuckets | undefined;
  readonly #options: CopypastaOptions;
  readonly #store: TextSignatureStore;
  #nextGroup = 0;

  constructor(options: CopypastaOptions, store: TextSignatureStore) {
    this.#options = options;
    this.#store = store;
  }

  /** Near-duplicate groups, least recently posted first (read-only). */
  get groups(): ReadonlyMap<number, NearDuplicateGroup> {
    return this.#groups ?? NO_GROUPS;
  }

  /** Matches a newly stored text against earlier ones; returns its group when it has one. */
  add(entry: TextEntry, text: string): NearDuplicateGroup | undefined {
    const options = this.#options;
    matching.entry = entry;
    matching.from = entry.ts - options.windowMs;
    matching.best = undefined;
    matching.bestSimilarity = options.similarity;
    if (this.#buckets === undefined && this.#store.size - 1 > SCAN_MAX_TEXTS) this.#buildBuckets(entry.id);
    offerCandidates(this.#store, this.#buckets, entry, options, true, CopypastaIndex.#consider);
    // (TypeScript narrows `matching.best` to the `undefined` set above: the callback changed it.)
    const match = matching.best as TextEntry | undefined;
    matching.entry = undefined;
    matching.best = undefined;
    if (match === undefined) return undefined;
    const groups = (this.#groups ??= new Map());
    let group = groups.get(match.group);
    if (group === undefined) {
      group = { id: this.#nextGroup++, firstTs: match.ts, lastTs: match.ts, posts: 1, authors: new Map<string, number>().set(match.author, match.ts), samplePosts: [match.post], sampleText: text.slice(0, SAMPLE_TEXT_CHARS) };
      match.group = group.id;
      if (groups.size >= options.maxGroups) {
        const stalest = groups.keys().next();
        if (stalest.done !== true) groups.delete(stalest.value);
      }
    } else {
      // Most recently posted groups last, so expiry walks from the front.
      groups.delete(group.id);
    }
    groups.set(group.id, group);
    entry.group = group.id;
    group.lastTs = entry.ts;
    group.posts++;
    if (!group.authors.has(entry.author) && group.authors.size < options.maxGroupAuthors) group.authors.set(entry.author, entry.ts);
    if (group.samplePosts.length < GROUP_SAMPLE_POSTS) group.samplePosts.push(entry.post);
    return group;
  }

  /**
   * One candidate of the `add` in progress (see `matching`). The best match (highest similarity,
   * then latest) does not depend on the order candidates come in.
   */
  static #consider(other: TextEntry): void {
    if (other.ts < matching.from) return;
    const similarity = signatureSimilarity((matching.entry as TextEntry).signature, other.signature);
    const best = matching.best;
    if (similarity >= matching.bestSimilarity && (best === undefined || similarity > matching.bestSimilarity || other.id > best.id)) {
      matching.best = other;
      matching.bestSimilarity = similarity;
    }
  }

  /**
   * Indexes the stored texts before `beforeId` in order: buckets keep their latest entries and lose
   * entries oldest-first, so this gives the buckets incremental indexing would have built.
   */
  #buildBuckets(beforeId: number): void {
    this.#buckets = indexStoredTexts(this.#store, beforeId, this.#options);
  }

  /**
   * Texts the store dropped: their ids are trimmed from the buckets of their band keys (so the
   * buckets hold only the live texts' keys, see `LshBuckets`), and the buckets are dropped once the
   * store is small again.
   */
  forget(entries: readonly TextEntry[]): void {
    this.#buckets = forgetTexts(this.#store, this.#buckets, entries, this.#options);
  }

  /** Forgets groups nobody posted since `cutoff`. */
  expire(cutoff: number): void {
    const groups = this.#groups;
    if (groups === undefined) return;
    for (const group of groups.values()) {
      if (group.lastTs >= cutoff) break;
      groups.delete(group.id);
    }
    if (groups.size === 0) this.#groups = undefined;
  }

  /**
   * Groups with at least `minAccounts` authors (the evidence), least recently posted first. An
   * array, not a generator: this runs on every evaluation and is almost always empty (then a
   * shared frozen one).
   */
  evidence(): readonly NearDuplicateGroup[] {
    const groups = this.#groups;
    if (groups === undefined) return NO_EVIDENCE;
    let out: NearDuplicateGroup[] | undefined;
    for (const group of groups.values()) if (group.authors.size >= this.#options.minAccounts) (out ??= []).push(group);
    return out ?? NO_EVIDENCE;
  }

  /** Keys in the LSH bucket map (0 while the tag is small enough to scan): memory figures and tests. */
  get bucketKeys(): number {
    return this.#buckets?.size ?? 0;
  }

  /** Rough bytes held (groups and buckets; the signatures belong to the store). */
  get bytes(): number {
    let total = 0;
    if (this.#groups !== undefined) {
      total += StateBytes.map;
      for (const g of this.#groups.values()) total += 200 + g.sampleText.length + StateBytes.map + g.authors.size * (StateBytes.mapEntry + StateBytes.heapNumber) + g.samplePosts.length * 4;
    }
    if (this.#buckets !== undefined) total += this.#buckets.bytes;
    return total;
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
    this.#groups = undefined;
    this.#buckets = undefined;
    this.#nextGroup = state.nextGroup;
    for (const [id, first, span, posts, authors, samplePosts, sampleText] of state.groups) {
      const firstTs = r.t(first);
      const map = new Map<string, number>();
      for (let i = 0; i + 1 < authors.length; i += 2) map.set(r.id(authors[i] as number), firstTs + (authors[i + 1] as number));
      (this.#groups ??= new Map()).set(id, { id, firstTs, lastTs: firstTs + span, posts, authors: map, samplePosts: samplePosts.map((p) => r.post(p)), sampleText });
    }
    if (this.#store.size > SCAN_MAX_TEXTS) this.#buildBuckets(Number.POSITIVE_INFINITY);
  }
}

const NO_GROUPS: ReadonlyMap<number, NearDuplicateGroup> = new Map();
const NO_EVIDENCE: readonly NearDuplicateGroup[] = Object.freeze([]);

type GroupRow = [id: number, first: number, span: number, posts: number, authors: number[], samplePosts: number[], sampleText: string];

export interface CopypastaSnapshot {
  nextGroup: number;
  groups: GroupRow[];
}
