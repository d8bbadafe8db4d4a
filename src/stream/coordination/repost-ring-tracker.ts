import type { AccountBook } from './account-book.ts';
import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import { samplePartnersInto, sampled } from './co-activity-tracker.ts';
import { accountTraits } from './evidence-clusters.ts';
import type { RepostRingOptions, SwarmOptions, TraitOptions } from './options.ts';
import { PairTable } from './pair-table.ts';
import { StateBytes } from './state-bytes.ts';
import { pairKey, splitPairKey } from './seeded-hash.ts';
import type { AccountRecord } from './types.ts';

interface RingPair {
  /** Distinct reposted posts on which the pair coincided (within the two accounts' histories). */
  objects: number;
  weight: number;
  /** Authors of the reposted posts, when known (the ring's sources). */
  sources: string[];
  lastTs: number;
}

export interface RingPairEvidence {
  a: string;
  b: string;
  objects: number;
  weight: number;
  sources: readonly string[];
  lastTs: number;
}

/** Many accounts reposting one post within a short window of its first repost. */
export interface RepostSwarm {
  parent: string;
  source: string | undefined;
  firstTs: number;
  lastTs: number;
  /** Reposters within the window, in order (at most `maxAccounts`). */
  accounts: string[];
  /** Strict trait score of the reposters, taken as they joined (they may leave the account book later). */
  traitScore: number;
  /** Reposts in the first and the second half of the window (counted beyond `maxAccounts`). */
  early: number;
  late: number;
}

const PAIR_SOURCES = 8;
/** Lists shorter than this grow by exact-size copies. */
const SHORT_LIST = 8;

/** Scratch of `observe` (never held across calls): the post's other reposters, in order, each once. */
const uniqueReposters: string[] = [];
/** Above this many recent reposts, `observe` tells reposters apart with a set (below, a scan of the list is cheaper). */
const SCAN_REPOSTERS = 16;
const seenReposters = new Set<string>();
/** A newly reposted post's reposts until its first is appended (frozen: replaced, never written). */
const NO_REPOSTS = Object.freeze([]) as unknown as Array<[number, string]>;
/** Shared empty results of `swarms` and `ringPairs` (most evaluations find none). */
const NO_SWARMS: readonly RepostSwarm[] = Object.freeze([]);
const NO_RING_PAIRS: readonly RingPairEvidence[] = Object.freeze([]);

/**
 * Repost rings on one tag: pairs of accounts reposting the same post within `intervalMs`, over
 * several distinct posts. Each coincidence weighs 1 / ln(e + k) where k is how many others
 * reposted that post in the interval before, so one post reposted by thousands within minutes (a
 * celebrity) adds little to any pair, while the same few dozen accounts doing it again and again
 * add up. A pair's shared objects are read from the two accounts' repost histories (kept in the
 * account book), so only pairs that already share `minObjects` are stored.
 *
 * Also keeps swarms: the reposters of each recently reposted post within `swarm.windowMs` of its
 * first repost, the first-object evidence of a ring.
 */
export class RepostRingTracker {
  readonly #options: RepostRingOptions;
  readonly #swarmOptions: SwarmOptions;
  readonly #traits: TraitOptions;
  /** Reposted post key → reposts of the last interval [ts, reposter] (least recently reposted first). */
  #recent: Map<string, Array<[number, string]>> | undefined;
  readonly #pairs: PairTable<RingPair>;
  /** Recent original post key → [its author, its time], to name the sources a ring reposts (least recently used first). */
  #sources: Map<string, [string, number]> | undefined;
  /** Reposted post key → its swarm (least recently started first). */
  #swarms: Map<string, RepostSwarm> | undefined;
  /**
   * Swarms with at least `swarm.minAccounts` reposters: `swarms` returns at once while there are
   * none (the usual case; a swarm's list only grows, so it changes where one is joined or dropped).
   */
  #fullSwarms = 0;

  constructor(options: RepostRingOptions, swarm: SwarmOptions, traits: TraitOptions) {
    this.#options = options;
    this.#swarmOptions = swarm;
    this.#traits = traits;
    this.#pairs = new PairTable<RingPair>(options.maxPairs, ...pairRules(options));
  }

  /** Remembers the author and time of an original post that a ring might repost. */
  rememberSource(post: string, author: string, ts: number): void {
    this.#touchSource(post, [author, ts]);
  }

  /** Makes `post` the most recently used source (its [author, time] is never written in place, so a repost keeps the same one). */
  #touchSource(post: string, original: [string, number]): void {
    const sources = (this.#sources ??= new Map());
    sources.delete(post);
    sources.set(post, original);
    if (sources.size > this.#options.maxSources) {
      const oldest = sources.keys().next();
      if (oldest.done !== true) sources.delete(oldest.value);
    }
  }

  /** One repost of `parent` by `account` at `ts`: records it in the account's history and pairs it. */
  observe(account: AccountRecord, parent: string, ts: number, book: AccountBook): void {
    const options = this.#options;
    const author = account.id;
    const original = this.#sources?.get(parent);
    if (original !== undefined) this.#touchSource(parent, original);
    const recent = (this.#recent ??= new Map());
    let reposts = recent.get(parent);
    if (reposts === undefined) {
      // Replaced by an exact-size copy below before anything could write to it.
      reposts = NO_REPOSTS;
      if (recent.size >= options.maxRecentParents) {
        const stalest = recent.keys().next();
        if (stalest.done !== true) recent.delete(stalest.value);
      }
    } else {
      recent.delete(parent);
    }
    recent.set(parent, reposts);
    const from = ts - options.intervalMs;
    let drop = 0;
    while (drop < reposts.length && (reposts[drop] as [number, string])[0] < from) drop++;
    if (drop > 0) reposts.splice(0, drop);
    // The other reposters in order of first repost, each once (a set's order), into a scratch list.
    const partners = uniqueReposters;
    const bySet = reposts.length > SCAN_REPOSTERS;
    let unique = 0;
    for (let i = 0; i < reposts.length; i++) {
      const other = (reposts[i] as [number, string])[1];
      if (other === author) continue;
      if (bySet) {
        if (seenReposters.has(other)) continue;
        seenReposters.add(other);
      } else if (listed(partners, unique, other)) continue;
      partners[unique++] = other;
    }
    if (bySet) seenReposters.clear();
    book.recordRepost(account, parent, ts, unique);
    // Up to `maxPartners` the sample is every partner in order: only a larger crowd is sampled.
    let chosen: readonly string[] = partners;
    let count = unique;
    if (unique > options.maxPartners) {
      partners.length = unique;
      count = samplePartnersInto(author, partners, options.maxPartners);
      chosen = sampled;
    }
    for (let i = 0; i < count; i++) {
      const partner = book.get(chosen[i] as string);
      if (partner !== undefined) this.#pairUp(account, partner, ts);
    }
    if (reposts.length < SHORT_LIST) {
      // Exact-size copies while short (most posts are reposted once or twice on a tag): a pushed-to
      // array reserves 17 slots. Copied by hand: `concat` would need a one-element array too. Same
      // key, so the map keeps its order.
      const n = reposts.length;
      const grown = new Array<[number, string]>(n + 1);
      for (let i = 0; i < n; i++) grown[i] = reposts[i] as [number, string];
      grown[n] = [ts, author];
      reposts = grown;
      recent.set(parent, reposts);
    } else {
      reposts.push([ts, author]);
    }
    if (reposts.length > options.maxRepostsPerParent) reposts.shift();
    this.#joinSwarm(parent, original, author, ts, book);
  }

  #pairUp(a: AccountRecord, b: AccountRecord, ts: number): void {
    const options = this.#options;
    let objects = 0;
    let weight = 0;
    // Made on the first named source: most pairs tried never qualify.
    let sources: string[] | undefined;
    for (const [parent, ta, ka] of a.reposts) {
      for (const [other, tb, kb] of b.reposts) {
        if (other !== parent || Math.abs(ta - tb) > options.intervalMs) continue;
        objects++;
        // The coincidence weighs by the crowd the later of the two reposts met.
        weight += 1 / Math.log(Math.E + (ta >= tb ? ka : kb));
        const source = this.#sources?.get(parent)?.[0];
        if (source !== undefined) {
          if (sources === undefined) sources = [source];
          else if (sources.length < PAIR_SOURCES && !sources.includes(source)) sources.push(source);
        }
        break;
      }
    }
    if (objects >= options.minObjects && weight >= options.minWeight) this.#pairs.set(pairKey(a.id, b.id), { objects, weight, sources: sources ?? [], lastTs: ts });
  }

  /**
   * A swarm counts the reposters within `windowMs` of the reposted post's own time when it is
   * known (people find a post minutes to hours later; a ring is there within seconds), else of its
   * first repost on this tag.
   */
  #joinSwarm(parent: string, original: readonly [string, number] | undefined, author: string, ts: number, book: AccountBook): void {
    const o = this.#swarmOptions;
    if (!o.enabled) return;
    const swarms = (this.#swarms ??= new Map());
    let swarm = swarms.get(parent);
    if (swarm === undefined) {
      if (swarms.size >= o.maxSwarms) this.#dropSwarm(swarms);
      const start = original === undefined ? ts : Math.min(ts, original[1]);
      swarm = { parent, source: original?.[0], firstTs: start, lastTs: start, accounts: [], traitScore: 0, early: 0, late: 0 };
      swarms.set(parent, swarm);
    }
    if (ts - swarm.firstTs > o.windowMs || swarm.accounts.includes(author)) return;
    if (ts - swarm.firstTs <= o.windowMs / 2) swarm.early++;
    else swarm.late++;
    if (swarm.accounts.length >= o.maxAccounts) return;
    // Exact-size copies while short, as for the reposts above (most swarms stay a reposter or two).
    if (swarm.accounts.length < SHORT_LIST) swarm.accounts = swarm.accounts.concat(author);
    else swarm.accounts.push(author);
    swarm.lastTs = ts;
    if (swarm.accounts.length === o.minAccounts) this.#fullSwarms++;
    if (swarm.accounts.length >= o.minAccounts) swarm.traitScore = accountTraits(swarm.accounts, book, this.#traits, true).traitScore;
  }

  /** Drops the oldest swarm still below the minimum (a post reposted once or twice), else the oldest. */
  #dropSwarm(swarms: Map<string, RepostSwarm>): void {
    let first: RepostSwarm | undefined;
    for (const swarm of swarms.values()) {
      first ??= swarm;
      if (swarm.accounts.length < this.#swarmOptions.minAccounts) {
        swarms.delete(swarm.parent);
        return;
      }
    }
    if (first !== undefined) this.#deleteSwarm(swarms, first);
  }

  /** Swarms are keyed by their `parent`. */
  #deleteSwarm(swarms: Map<string, RepostSwarm>, swarm: RepostSwarm): void {
    swarms.delete(swarm.parent);
    if (swarm.accounts.length >= this.#swarmOptions.minAccounts) this.#fullSwarms--;
  }

  expire(cutoff: number, now: number): void {
    this.#pairs.expire(cutoff);
    // Least recently reposted first: a source not reposted since and posted before the cutoff is
    // past any ring pair it could name. Without this a tag kept up to `maxSources` originals for as
    // long as it lived (the main growth of a long run at steady load).
    // Keys then a lookup, rather than entries: an entry walk makes a [key, value] array per step.
    const sources = this.#sources;
    if (sources !== undefined) {
      for (const post of sources.keys()) {
        if ((sources.get(post) as [string, number])[1] >= cutoff) break;
        sources.delete(post);
      }
      if (sources.size === 0) this.#sources = undefined;
    }
    const recentFrom = now - this.#options.intervalMs;
    const recent = this.#recent;
    if (recent !== undefined) {
      for (const parent of recent.keys()) {
        const reposts = recent.get(parent) as Array<[number, string]>;
        const last = reposts[reposts.length - 1];
        if (last !== undefined && last[0] >= recentFrom) break;
        recent.delete(parent);
      }
      if (recent.size === 0) this.#recent = undefined;
    }
    const swarms = this.#swarms;
    if (swarms === undefined) return;
    const swarmFrom = now - this.#swarmOptions.ttlMs;
    for (const swarm of swarms.values()) {
      if (swarm.firstTs >= swarmFrom) break;
      this.#deleteSwarm(swarms, swarm);
    }
    if (swarms.size === 0) this.#swarms = undefined;
  }

  /** Pairs that reposted the same posts together often and exclusively enough. */
  ringPairs(): readonly RingPairEvidence[] {
    // Runs on every evaluation, and most tags hold no ring pair: then no array nor iterator.
    if (this.#pairs.size === 0) return NO_RING_PAIRS;
    const out: RingPairEvidence[] = [];
    for (const [key, pair] of this.#pairs.entries()) {
      const [a, b] = splitPairKey(key);
      out.push({ a, b, objects: pair.objects, weight: pair.weight, sources: pair.sources, lastTs: pair.lastTs });
    }
    return out;
  }

  /**
   * Swarms with at least `minAccounts` reposters whose traits corroborate them or that are closed
   * at `now` (the evidence), oldest first. An array, not a generator: this runs on every
   * evaluation, and the result is almost always empty (then a shared frozen one).
   */
  swarms(now: number): readonly RepostSwarm[] {
    const o = this.#swarmOptions;
    if (this.#swarms === undefined || this.#fullSwarms === 0) return NO_SWARMS;
    let out: RepostSwarm[] | undefined;
    for (const swarm of this.#swarms.values()) {
      if (swarm.accounts.length >= o.minAccounts && (swarm.traitScore >= o.minTraitScore || this.#closed(swarm, now))) (out ??= []).push(swarm);
    }
    return out ?? NO_SWARMS;
  }

  /**
   * When the next swarm that may close is judged (the end of its window), after `now`: an
   * evaluation must happen then even if the tag falls silent, which a closed swarm's tag does.
   */
  nextClosing(now: number): number | undefined {
    const o = this.#swarmOptions;
    if (o.closedMaxLateShare <= 0 || this.#swarms === undefined) return undefined;
    let next: number | undefined;
    for (const swarm of this.#swarms.values()) {
      const end = swarm.firstTs + o.windowMs;
      if (end > now && swarm.early >= this.#closedMinAccounts && (next === undefined || end < next)) next = end;
    }
    return next;
  }

  /**
   * A closed swarm: its reposts came in the first half of the window and then stopped. A fixed set
   * of accounts answering a signal does that; a popular post's audience keeps finding it for
   * minutes (people's delays spread over minutes, so the second half brings as many or more).
   * Judged once the window is over.
   */
  #closed(swarm: RepostSwarm, now: number): boolean {
    const o = this.#swarmOptions;
    return o.closedMaxLateShare > 0 && now >= swarm.firstTs + o.windowMs && swarm.early >= this.#closedMinAccounts && swarm.late <= o.closedMaxLateShare * swarm.early;
  }

  /** Early reposters a closed swarm needs: never fewer than any swarm needs. */
  get #closedMinAccounts(): number {
    return Math.max(this.#swarmOptions.minAccounts, this.#swarmOptions.closedMinAccounts);
  }

  /** Rough bytes held (recent reposts per post, remembered sources, swarms, pairs). */
  get bytes(): number {
    let total = this.#pairs.bytes(StateBytes.pair + 40);
    if (this.#recent !== undefined) {
      total += StateBytes.map;
      for (const reposts of this.#recent.values()) total += StateBytes.mapEntry + StateBytes.key + StateBytes.array + reposts.length * (StateBytes.array + 16);
    }
    if (this.#sources !== undefined) total += StateBytes.map + this.#sources.size * (StateBytes.mapEntry + StateBytes.key + StateBytes.array + 16);
    if (this.#swarms !== undefined) {
      total += StateBytes.map;
      for (const swarm of this.#swarms.values()) total += StateBytes.mapEntry + 80 + StateBytes.array + swarm.accounts.length * 4;
    }
    return total;
  }

  get pairCount(): number {
    return this.#pairs.size;
  }

  snapshot(w: CheckpointWriter): RepostRingSnapshot {
    const pairs: Array<[number, number, number, number, number, number[]]> = [];
    for (const [key, p] of this.#pairs.entries()) {
      const [a, b] = splitPairKey(key);
      pairs.push([w.id(a), w.id(b), p.objects, p.weight, w.t(p.lastTs), p.sources.map((s) => w.id(s))]);
    }
    // Plain loops over keys and values (no spread copies, entry arrays or callbacks per row); the
    // writer interns ids in first-use order, so the calls keep the order of the rows and fields.
    const recent: RepostRingSnapshot['recent'] = [];
    if (this.#recent !== undefined) {
      for (const parent of this.#recent.keys()) {
        const reposts = this.#recent.get(parent) as Array<[number, string]>;
        const post = w.post(parent);
        const times = new Array<number>(reposts.length);
        for (let i = 0; i < reposts.length; i++) times[i] = (reposts[i] as [number, string])[0];
        const deltas = w.times(times);
        const authors = new Array<number>(reposts.length);
        for (let i = 0; i < reposts.length; i++) authors[i] = w.id((reposts[i] as [number, string])[1]);
        recent.push([post, deltas, authors]);
      }
    }
    const sources: number[] = [];
    if (this.#sources !== undefined) {
      for (const post of this.#sources.keys()) {
        const [author, ts] = this.#sources.get(post) as [string, number];
        sources.push(w.post(post), w.id(author), w.t(ts));
      }
    }
    const swarms: RepostRingSnapshot['swarms'] = [];
    if (this.#swarms !== undefined) {
      for (const s of this.#swarms.values()) {
        const parent = w.post(s.parent);
        const source = s.source === undefined ? -1 : w.id(s.source);
        const accounts = new Array<number>(s.accounts.length);
        for (let i = 0; i < s.accounts.length; i++) accounts[i] = w.id(s.accounts[i] as string);
        swarms.push([parent, source, w.t(s.firstTs), s.lastTs - s.firstTs, accounts, s.traitScore, s.early, s.late]);
      }
    }
    return { recent, pairs, sources, swarms };
  }

  restore(state: RepostRingSnapshot, r: CheckpointReader): void {
    this.#recent = undefined;
    this.#pairs.clear();
    this.#sources = undefined;
    this.#swarms = undefined;
    this.#fullSwarms = 0;
    for (const [parent, times, authors] of state.recent) {
      const ts = r.times(times);
      (this.#recent ??= new Map()).set(
        r.post(parent),
        ts.map((t, i) => [t, r.id(authors[i] as number)]),
      );
    }
    for (const [a, b, objects, weight, lastTs, sources] of state.pairs) {
      this.#pairs.set(pairKey(r.id(a), r.id(b)), { objects, weight, lastTs: r.t(lastTs), sources: sources.map((s) => r.id(s)) });
    }
    for (let i = 0; i + 2 < state.sources.length; i += 3) {
      (this.#sources ??= new Map()).set(r.post(state.sources[i] as number), [r.id(state.sources[i + 1] as number), r.t(state.sources[i + 2] as number)]);
    }
    for (const [parent, source, first, span, accounts, traitScore, early, late] of state.swarms) {
      const firstTs = r.t(first);
      const key = r.post(parent);
      const swarm = { parent: key, source: source === -1 ? undefined : r.id(source), firstTs, lastTs: firstTs + span, accounts: accounts.map((a) => r.id(a)), traitScore };
      // Checkpoints from before the counts: the listed reposters are all early, nothing is closed yet.
      (this.#swarms ??= new Map()).set(key, { ...swarm, early: early ?? accounts.length, late: late ?? accounts.length });
      if (accounts.length >= this.#swarmOptions.minAccounts) this.#fullSwarms++;
    }
  }
}

export interface RepostRingSnapshot {
  /** [parent, reposts' times (deltas), reposters] per recently reposted post. */
  recent: Array<[number, number[], number[]]>;
  /** [a, b, objects, weight, last, sources] per pair, in order of last update. */
  pairs: Array<[number, number, number, number, number, number[]]>;
  /** Flattened [post, author, time] of remembered originals. */
  sources: number[];
  /** [parent, source (-1 unknown), first, span, reposters, trait score, early, late reposts] per swarm. */
  swarms: Array<[number, number, number, number, number[], number, number?, number?]>;
}

const pairRulesByOptions = new WeakMap<RepostRingOptions, [(p: RingPair) => boolean, (p: RingPair) => number]>();

/** The pair table's rules, made once per options object (not once per tag). */
function pairRules(options: RepostRingOptions): [(p: RingPair) => boolean, (p: RingPair) => number] {
  let rules = pairRulesByOptions.get(options);
  if (rules === undefined) {
    rules = [(p) => p.objects <= options.minObjects, (p) => p.lastTs];
    pairRulesByOptions.set(options, rules);
  }
  return rules;
}

/** Whether `value` is among the first `n` entries of `list`. */
function listed(list: readonly string[], n: number, value: string): boolean {
  for (let i = 0; i < n; i++) if (list[i] === value) return true;
  return false;
}
