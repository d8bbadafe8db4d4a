import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import type { LshBuckets } from './lsh-buckets.ts';
import { signatureSimilarity } from './minhash.ts';
import type { ParaphraseOptions } from './options.ts';
import { PairTable } from './pair-table.ts';
import { StateBytes } from './state-bytes.ts';
import { log10PoissonTail } from './poisson-tail.ts';
import { pairKey, splitPairKey } from './seeded-hash.ts';
import { SCAN_MAX_TEXTS, forgetTexts, indexStoredTexts, offerCandidates } from './signature-scan.ts';
import type { TextEntry, TextSignatureStore } from './text-signatures.ts';

interface ParaphrasePair {
  /** Per link, the id of its older text (ascending): the link lives while that text is stored. */
  links: number[];
  lastTs: number;
}

/** Links remembered per pair. */
const PAIR_LINKS = 16;

export interface ParaphrasePairEvidence {
  a: string;
  b: string;
  links: number;
  lastTs: number;
}

/** One text that paraphrases many recent texts by others at once (first-episode evidence). */
export interface ParaphraseBurst {
  author: string;
  /** Authors of the recent texts it paraphrases. */
  partners: string[];
  /** The text's post and the linked texts' posts. */
  posts: string[];
  ts: number;
  /** −log10 of the chance of so many links among the recent texts under the tag's rate. */
  surprise: number;
}

/**
 * Shared initial values (frozen: replaced, never written in place): most tags never link a
 * paraphrase, and three tallies, a burst list and a minute list of their own cost ~300 bytes a tag.
 */
const NO_TALLIES = Object.freeze([0, 0]) as unknown as [number, number];
const NO_BURSTS = Object.freeze([]) as unknown as ParaphraseBurst[];
const NO_MINUTES = Object.freeze([]) as unknown as Array<[number, number, number]>;
/** Minute lists shorter than this grow by exact-size copies. */
const SHORT_MINUTES = 8;

/** Partners remembered per burst. */
const BURST_PARTNERS = 16;
const MINUTE_MS = 60_000;

/**
 * The `add` in progress, for `ParaphraseLinker.#consider`. Module scratch rather than a closure
 * and lists per text (which were most of what `add` allocated): `add` is synchronous and never
 * re-entered. Valid only during one `add`.
 */
const adding = {
  linker: undefined as ParaphraseLinker | undefined,
  entry: undefined as TextEntry | undefined,
  from: 0,
  burstFrom: 0,
  /** Authors linked so far (`linkedAuthors`), and those of them with a text in the burst window (`recentAuthors`). */
  linked: 0,
  recent: 0,
};
/** Linked authors in link order, each once (the first text of each other author that qualifies makes the link). */
const linkedAuthors: string[] = [];
/** Linked authors with texts in the burst window, in link order, and one post of each. */
const recentAuthors: string[] = [];
const recentPosts: string[] = [];
const NO_PAIR_EVIDENCE: readonly ParaphrasePairEvidence[] = Object.freeze([]);

/**
 * Paraphrase networks: texts too different to be copies (Jaccard between `similarity` and the
 * copy-pasta threshold) yet sharing a skeleton. One such pair of posts means little; two accounts
 * whose posts meet this way again and again do. Looser LSH bands (fewer rows) over the head of
 * the shared signature find the candidates, bounded per bucket.
 *
 * Null model: a pair of posts by unrelated authors is a paraphrase with the tag's own background
 * rate. A tag whose people write alike (a fan tag with stock phrases) has a high one; a fresh tag
 * starts from the prior. The rate is learned from every post's links over its comparisons, with a
 * lag: tallies become part of the estimate only once their `backgroundLagMs` epoch is over and the
 * next one too, so a campaign's own first waves cannot teach the model, within the hour in which it
 * is detected, that campaigns are normal on this tag.
 */
export class ParaphraseLinker {
  readonly #options: ParaphraseOptions;
  readonly #copyThreshold: number;
  readonly #store: TextSignatureStore;
  /** Built only while the store holds more than `SCAN_MAX_TEXTS` other texts (below, a scan). */
  #buckets: LshBuckets | undefined;
  readonly #pairs: PairTable<ParaphrasePair>;
  /** Background tallies in use (exponentially forgotten per epoch): [links, comparisons]. */
  #committed: [number, number] = NO_TALLIES;
  /** Tallies of the previous and the current epoch, not in use yet. */
  #previous: [number, number] = NO_TALLIES;
  #current: [number, number] = NO_TALLIES;
  #epoch: number | null = null;
  /** Oldest stored text id at the last sweep of dead pairs. */
  #sweptAt = 0;
  /**
   * False once `linkedPairs` found no pair with `minLinks` links, until `#link` or `restore` makes
   * one: a pair's link list never shrinks, so until then no pair can qualify and the walk is skipped.
   */
  #mayLink = false;
  /** First-episode bursts, oldest first. */
  #bursts: ParaphraseBurst[] = NO_BURSTS;
  /** The previous and current epochs' tallies per minute: [minute, links, comparisons], oldest first. */
  #minutes: Array<[number, number, number]> = NO_MINUTES;

  constructor(options: ParaphraseOptions, copyThreshold: number, store: TextSignatureStore) {
    this.#options = options;
    this.#copyThreshold = copyThreshold;
    this.#store = store;
    this.#pairs = new PairTable<ParaphrasePair>(options.maxPairs, ...pairRules(options));
  }

  /** The tag's background paraphrase rate: the prior blended with what the tag has shown. */
  get backgroundRate(): number {
    const o = this.#options;
    return (this.#committed[0] + o.backgroundRate * o.priorComparisons) / (this.#committed[1] + o.priorComparisons);
  }

  /** Links a newly stored text (already in the store) to earlier paraphrases by other authors. */
  add(entry: TextEntry): void {
    const options = this.#options;
    adding.linker = this;
    adding.entry = entry;
    adding.from = entry.ts - options.windowMs;
    adding.burstFrom = entry.ts - options.burstWindowMs;
    adding.linked = 0;
    adding.recent = 0;
    if (this.#buckets === undefined && this.#store.size - 1 > SCAN_MAX_TEXTS) this.#buildBuckets(entry.id);
    offerCandidates(this.#store, this.#buckets, entry, options, false, ParaphraseLinker.#consider);
    const linked = adding.linked;
    const recent = adding.recent;
    adding.linker = undefined;
    adding.entry = undefined;
    if (options.burstMinLinks > 0 && recent >= options.burstMinLinks) this.#burst(entry, recent);
    // Comparisons: every live text by someone else (the store holds this one and the author's others).
    this.#learn(linked, this.#store.size - this.#store.textsBy(entry.author), entry.ts);
  }

  /**
   * One candidate of the `add` in progress (see `adding`), in the order the buckets are read (band
   * by band, oldest first): the first text of each other author that qualifies makes the link.
   */
  static #consider(other: TextEntry): void {
    const linker = adding.linker as ParaphraseLinker;
    const entry = adding.entry as TextEntry;
    if (other.ts < adding.from || other.author === entry.author || listed(linkedAuthors, adding.linked, other.author)) return;
    const similarity = signatureSimilarity(entry.signature, other.signature);
    if (similarity < linker.#options.similarity || similarity >= linker.#copyThreshold) return;
    linkedAuthors[adding.linked++] = other.author;
    if (other.ts >= adding.burstFrom) {
      recentAuthors[adding.recent] = other.author;
      recentPosts[adding.recent] = other.post;
      adding.recent++;
    }
    linker.#link(entry.author, other.author, other.id, entry.ts);
  }


  /** Indexes the stored texts before `beforeId` in order (the buckets incremental indexing would have built). */
  #buildBuckets(beforeId: number): void {
    this.#buckets = indexStoredTexts(this.#store, beforeId, this.#options);
  }

  /**
   * A text linked to `recent.size` of the texts posted in the burst window: under the tag's rate
   * the window's other texts would give texts × rate links. The rate is what the tag showed before
   * the window (`#rateBefore`), so the burst cannot raise its own bar.
   */
  #burst(entry: TextEntry, recent: number): void {
    const o = this.#options;
    const from = entry.ts - o.burstWindowMs;
    const texts = Math.max(recent, this.#textsSince(from) - 1);
    const surprise = -log10PoissonTail(recent, texts * this.#rateBefore(from));
    if (surprise < o.burstSignificance || recent < o.burstMinShare * texts) return;
    // The first partners in link order (`recentAuthors`), and the posts of the first two.
    const partners = recentAuthors.slice(0, Math.min(recent, BURST_PARTNERS));
    const posts = [entry.post];
    for (let i = 0; i < Math.min(partners.length, 2); i++) posts.push(recentPosts[i] as string);
    if (this.#bursts === NO_BURSTS) this.#bursts = [];
    this.#bursts.push({ author: entry.author, partners, posts, ts: entry.ts, surprise });
    if (this.#bursts.length > o.maxBursts) this.#bursts.shift();
  }

  /**
   * The rate in use, with what the tag showed before `from` and has not committed yet: a burst is
   * judged against everything before its own window, so a tag whose people write alike is known
   * as such within minutes, while the network's own window never counts against it (its next
   * episodes do, when the pair test takes over).
   */
  #rateBefore(from: number): number {
    const o = this.#options;
    let links = this.#committed[0];
    let comparisons = this.#committed[1];
    for (const [minute, l, c] of this.#minutes) {
      if ((minute + 1) * MINUTE_MS > from) break;
      links += l;
      comparisons += c;
    }
    return (links + o.backgroundRate * o.priorComparisons) / (comparisons + o.priorComparisons);
  }

  /** Stored texts posted at or after `from` (ids are contiguous and in time order). */
  #textsSince(from: number): number {
    let lo = this.#store.oldestId;
    const end = lo + this.#store.size;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#store.get(mid)?.ts ?? Infinity) >= from) hi = mid;
      else lo = mid + 1;
    }
    return end - lo;
  }

  /** Bursts still in force, oldest first. */
  bursts(): readonly ParaphraseBurst[] {
    return this.#bursts;
  }

  #learn(links: number, comparisons: number, ts: number): void {
    const o = this.#options;
    const epoch = Math.floor(ts / o.backgroundLagMs);
    if (this.#epoch === null) this.#epoch = epoch;
    const keep = Math.exp(-o.backgroundLagMs / o.backgroundHorizonMs);
    // Each epoch that ends moves the previous one into use; an idle stretch ages what is in use.
    for (let steps = 0; this.#epoch < epoch && steps < 64; steps++) {
      this.#committed = [this.#committed[0] * keep + this.#previous[0], this.#committed[1] * keep + this.#previous[1]];
      this.#previous = this.#current;
      this.#current = NO_TALLIES;
      this.#epoch++;
    }
    this.#epoch = epoch;
    const firstKept = Math.floor(((epoch - 1) * o.backgroundLagMs) / MINUTE_MS);
    let stale = 0;
    while (stale < this.#minutes.length && (this.#minutes[stale] as [number, number, number])[0] < firstKept) stale++;
    if (stale > 0) this.#minutes = this.#minutes.slice(stale);
    if (comparisons <= 0) return;
    if (this.#current === NO_TALLIES) this.#current = [0, 0];
    this.#current[0] += links;
    this.#current[1] += comparisons;
    const minute = Math.floor(ts / MINUTE_MS);
    const last = this.#minutes[this.#minutes.length - 1];
    if (last !== undefined && last[0] === minute) {
      last[1] += links;
      last[2] += comparisons;
    } else if (this.#minutes.length < SHORT_MINUTES) {
      // Exact-size copies while short (a quiet tag has a minute or two): a pushed-to array reserves 17 slots.
      this.#minutes = this.#minutes.concat([[minute, links, comparisons]]);
    } else this.#minutes.push([minute, links, comparisons]);
  }

  #link(author: string, other: string, olderText: number, ts: number): void {
    const key = pairKey(author, other);
    let pair = this.#pairs.get(key);
    if (pair === undefined) {
      // An exact-size list: most pairs are linked once (an empty pushed-to array reserves 17 slots).
      pair = { links: [olderText], lastTs: ts };
    } else {
      pair.links.push(olderText);
      if (pair.links.length > PAIR_LINKS) pair.links.shift();
    }
    if (pair.links.length >= this.#options.minLinks) this.#mayLink = true;
    pair.lastTs = ts;
    this.#pairs.set(key, pair);
  }

  /** Links of a pair whose texts are both still stored (the older one is the first to go). */
  #liveLinks(pair: ParaphrasePair): number {
    const oldest = this.#store.oldestId;
    let live = 0;
    for (const id of pair.links) if (id >= oldest) live++;
    return live;
  }

  /**
   * Texts the store dropped: their ids are trimmed from the buckets of their band keys (so the
   * buckets hold only the live texts' keys, see `LshBuckets`), and the buckets are dropped once the
   * store is small again.
   */
  forget(entries: readonly TextEntry[]): void {
    this.#buckets = forgetTexts(this.#store, this.#buckets, entries, this.#options);
  }

  /**
   * Forgets pairs unseen since `pairCutoff`, and (once the store has dropped another eighth of its
   * capacity since the last sweep) pairs whose linked texts have all left the store.
   */
  expire(pairCutoff: number, storeCapacity: number, burstCutoff = Number.NEGATIVE_INFINITY): void {
    this.#pairs.expire(pairCutoff);
    let stale = 0;
    while (stale < this.#bursts.length && (this.#bursts[stale] as ParaphraseBurst).ts < burstCutoff) stale++;
    if (stale > 0) this.#bursts = this.#bursts.slice(stale);
    const oldest = this.#store.oldestId;
    if (oldest - this.#sweptAt < Math.max(1, Math.floor(storeCapacity / 8))) return;
    this.#sweptAt = oldest;
    const dead: string[] = [];
    for (const [key, pair] of this.#pairs.entries()) if (this.#liveLinks(pair) === 0) dead.push(key);
    for (const key of dead) this.#pairs.delete(key);
  }

  /**
   * Pairs whose posts paraphrase each other far more often than unrelated posts do: with n_a and
   * n_b texts stored, chance alone gives n_a·n_b·rate links among them. Two prolific accounts on
   * a busy tag meet now and then by chance; two accounts with a handful of posts each that keep
   * meeting share a script. Links and texts are counted over the same stored texts.
   */
  linkedPairs(): readonly ParaphrasePairEvidence[] {
    if (!this.#mayLink) return NO_PAIR_EVIDENCE;
    const options = this.#options;
    const rate = this.backgroundRate;
    let out: ParaphrasePairEvidence[] | undefined;
    let mayLink = false;
    for (const [key, pair] of this.#pairs.entries()) {
      if (pair.links.length < options.minLinks) continue;
      mayLink = true;
      const links = this.#liveLinks(pair);
      if (links < options.minLinks) continue;
      const [a, b] = splitPairKey(key);
      const expected = Math.max(1, this.#store.textsBy(a)) * Math.max(1, this.#store.textsBy(b)) * rate;
      if (-log10PoissonTail(links, expected) < options.significance) continue;
      (out ??= []).push({ a, b, links, lastTs: pair.lastTs });
    }
    this.#mayLink = mayLink;
    return out ?? NO_PAIR_EVIDENCE;
  }

  /** Keys in the LSH bucket map (0 while the tag is small enough to scan): memory figures and tests. */
  get bucketKeys(): number {
    return this.#buckets?.size ?? 0;
  }

  /** Rough bytes held (pairs with their links, buckets). */
  get bytes(): number {
    return (
      this.#pairs.bytes(StateBytes.pair + PAIR_LINKS * 2) +
      (this.#buckets === undefined ? 0 : this.#buckets.bytes) +
      this.#bursts.length * (StateBytes.pair + StateBytes.array + BURST_PARTNERS * 8) +
      this.#minutes.length * (StateBytes.array + 3 * StateBytes.heapNumber)
    );
  }

  get pairCount(): number {
    return this.#pairs.size;
  }

  snapshot(w: CheckpointWriter): ParaphraseSnapshot {
    const pairs: Array<[number, number, number, number[]]> = [];
    for (const [key, p] of this.#pairs.entries()) {
      const [a, b] = splitPairKey(key);
      pairs.push([w.id(a), w.id(b), w.t(p.lastTs), [...p.links]]);
    }
    const bursts = this.#bursts.map((b) => [w.id(b.author), b.partners.map((p) => w.id(p)), b.posts.map((p) => w.post(p)), w.t(b.ts), b.surprise] as BurstRow);
    return { pairs, sweptAt: this.#sweptAt, background: [this.#epoch, ...this.#committed, ...this.#previous, ...this.#current], bursts, minutes: this.#minutes.flat() };
  }

  /** Restores pairs and the background rate, and rebuilds the buckets from the store (restored first). */
  restore(state: ParaphraseSnapshot, r: CheckpointReader): void {
    this.#pairs.clear();
    this.#buckets = undefined;
    for (const [a, b, lastTs, links] of state.pairs) this.#pairs.set(pairKey(r.id(a), r.id(b)), { links: [...links], lastTs: r.t(lastTs) });
    // Checked by the next `linkedPairs`.
    this.#mayLink = this.#pairs.size > 0;
    const [epoch, committedLinks, committedComparisons, previousLinks, previousComparisons, currentLinks, currentComparisons] = state.background;
    this.#epoch = epoch;
    this.#committed = [committedLinks, committedComparisons];
    this.#previous = [previousLinks, previousComparisons];
    this.#current = [currentLinks, currentComparisons];
    this.#sweptAt = state.sweptAt;
    if (this.#store.size > SCAN_MAX_TEXTS) this.#buildBuckets(Number.POSITIVE_INFINITY);
    this.#minutes = [];
    const minutes = state.minutes ?? [];
    for (let i = 0; i + 2 < minutes.length; i += 3) this.#minutes.push([minutes[i] as number, minutes[i + 1] as number, minutes[i + 2] as number]);
    this.#bursts = (state.bursts ?? []).map(([author, partners, posts, ts, surprise]) => ({
      author: r.id(author),
      partners: partners.map((p) => r.id(p)),
      posts: posts.map((p) => r.post(p)),
      ts: r.t(ts),
      surprise,
    }));
  }
}

export interface ParaphraseSnapshot {
  /** [a, b, last, ids of the links' older texts] per pair, in order of last update. */
  pairs: Array<[number, number, number, number[]]>;
  /** Oldest stored text id at the last sweep of dead pairs. */
  sweptAt: number;
  /** [epoch | null, links and comparisons in use, of the previous epoch, of the current epoch]. */
  background: [epoch: number | null, number, number, number, number, number, number];
  /** First-episode bursts (absent in checkpoints written before they existed). */
  bursts?: BurstRow[];
  /** Flattened [minute, links, comparisons] of the epochs not committed yet. */
  minutes?: number[];
}

const pairRulesByOptions = new WeakMap<ParaphraseOptions, [(p: ParaphrasePair) => boolean, (p: ParaphrasePair) => number]>();

/** The pair table's rules, made once per options object (not once per tag). */
function pairRules(options: ParaphraseOptions): [(p: ParaphrasePair) => boolean, (p: ParaphrasePair) => number] {
  let rules = pairRulesByOptions.get(options);
  if (rules === undefined) {
    rules = [(p) => p.links.length < options.minLinks, (p) => p.lastTs];
    pairRulesByOptions.set(options, rules);
  }
  return rules;
}

type BurstRow = [author: number, partners: number[], posts: number[], ts: number, surprise: number];

/** Whether `value` is among the first `n` entries of `list`. */
function listed(list: readonly string[], n: number, value: string): boolean {
  for (let i = 0; i < n; i++) if (list[i] === value) return true;
  return false;
}
