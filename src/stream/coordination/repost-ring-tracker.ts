import type { RepostRingOptions } from './options.ts';
import { pairKey, splitPairKey } from './seeded-hash.ts';
import { samplePartners } from './co-activity-tracker.ts';

interface RingPair {
  /** Reposted posts on which the pair coincided (most recent last, bounded). */
  objects: string[];
  /** Distinct coinciding objects seen, including ones that fell off `objects`. */
  distinct: number;
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

const PAIR_OBJECTS = 16;
const PAIR_SOURCES = 8;

/**
 * Repost rings on one tag: pairs of accounts reposting the same post within `intervalMs`, over
 * several distinct posts. Each coincidence weighs 1 / ln(e + k) where k is how many others
 * reposted that post in the same interval, so one post reposted by thousands within minutes (a
 * celebrity) adds little to any pair, while the same few dozen accounts doing it again and again
 * add up.
 */
export class RepostRingTracker {
  readonly #options: RepostRingOptions;
  /** Reposted post key → recent [ts, reposter] (least recently reposted first). */
  readonly #parents = new Map<string, Array<[number, string]>>();
  readonly #pairs = new Map<string, RingPair>();
  readonly #candidates = new Set<string>();

  constructor(options: RepostRingOptions) {
    this.#options = options;
  }

  observe(author: string, parent: string, parentAuthor: string | undefined, ts: number): void {
    const options = this.#options;
    let reposts = this.#parents.get(parent);
    if (reposts === undefined) {
      reposts = [];
      if (this.#parents.size >= options.maxParents) {
        const stalest = this.#parents.keys().next();
        if (stalest.done !== true) this.#parents.delete(stalest.value);
      }
    } else {
      this.#parents.delete(parent);
    }
    this.#parents.set(parent, reposts);
    const from = ts - options.intervalMs;
    let drop = 0;
    while (drop < reposts.length && (reposts[drop] as [number, string])[0] < from) drop++;
    if (drop > 0) reposts.splice(0, drop);
    const partners = new Set<string>();
    for (const [, other] of reposts) if (other !== author) partners.add(other);
    if (partners.size > 0) {
      const weight = 1 / Math.log(Math.E + partners.size);
      for (const other of samplePartners(author, partners, options.maxPartners)) {
        this.#coincide(pairKey(author, other), parent, parentAuthor, weight, ts);
      }
    }
    reposts.push([ts, author]);
    if (reposts.length > options.maxRepostsPerParent) reposts.shift();
  }

  #coincide(key: string, parent: string, parentAuthor: string | undefined, weight: number, ts: number): void {
    let pair = this.#pairs.get(key);
    if (pair === undefined) {
      pair = { objects: [], distinct: 0, weight: 0, sources: [], lastTs: ts };
      if (this.#pairs.size >= this.#options.maxPairs) this.#dropOldest();
    } else {
      this.#pairs.delete(key);
    }
    this.#pairs.set(key, pair);
    pair.lastTs = ts;
    if (pair.objects.includes(parent)) return;
    pair.objects.push(parent);
    if (pair.objects.length > PAIR_OBJECTS) pair.objects.shift();
    pair.distinct++;
    pair.weight += weight;
    if (parentAuthor !== undefined && !pair.sources.includes(parentAuthor) && pair.sources.length < PAIR_SOURCES) pair.sources.push(parentAuthor);
    if (pair.distinct >= this.#options.minObjects && pair.weight >= this.#options.minWeight) this.#candidates.add(key);
  }

  #dropOldest(): void {
    let toDrop = Math.max(1, Math.floor(this.#options.maxPairs / 10));
    for (const key of this.#pairs.keys()) {
      if (toDrop-- <= 0) break;
      this.#pairs.delete(key);
      this.#candidates.delete(key);
    }
  }

  expire(cutoff: number): void {
    for (const [key, pair] of this.#pairs) {
      if (pair.lastTs >= cutoff) break;
      this.#pairs.delete(key);
      this.#candidates.delete(key);
    }
    for (const [parent, reposts] of this.#parents) {
      const last = reposts[reposts.length - 1];
      if (last !== undefined && last[0] >= cutoff) break;
      this.#parents.delete(parent);
    }
  }

  /** Pairs that reposted the same posts together often and exclusively enough. */
  ringPairs(): RingPairEvidence[] {
    const out: RingPairEvidence[] = [];
    for (const key of this.#candidates) {
      const pair = this.#pairs.get(key);
      if (pair === undefined) continue;
      const [a, b] = splitPairKey(key);
      out.push({ a, b, objects: pair.distinct, weight: pair.weight, sources: pair.sources, lastTs: pair.lastTs });
    }
    return out;
  }

  snapshot(): RepostRingSnapshot {
    return structuredClone({ parents: [...this.#parents], pairs: [...this.#pairs] });
  }

  restore(state: RepostRingSnapshot): void {
    this.#parents.clear();
    this.#pairs.clear();
    this.#candidates.clear();
    const copy = structuredClone(state);
    for (const [parent, reposts] of copy.parents) this.#parents.set(parent, reposts);
    for (const [key, pair] of copy.pairs) {
      this.#pairs.set(key, pair);
      if (pair.distinct >= this.#options.minObjects && pair.weight >= this.#options.minWeight) this.#candidates.add(key);
    }
  }
}

export interface RepostRingSnapshot {
  parents: Array<[string, Array<[number, string]>]>;
  pairs: Array<[string, RingPair]>;
}
