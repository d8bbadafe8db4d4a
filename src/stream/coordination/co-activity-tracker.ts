import type { AccountBook } from './account-book.ts';
import type { CoActivityOptions } from './options.ts';
import { log10PoissonTail } from './poisson-tail.ts';
import { hash32, pairKey, splitPairKey } from './seeded-hash.ts';

const SAMPLE_SEED = 0x6a09e667;

interface CoActivityPair {
  /** Slots in which the pair coincided, ascending. */
  slots: number[];
  lastTs: number;
}

export interface SignificantPair {
  a: string;
  b: string;
  coincidences: number;
  expected: number;
  /** −log10 of the chance of at least this many coincidences under the null model. */
  surprise: number;
  lastTs: number;
}

/**
 * Synchronized co-activity on one tag: pairs of accounts acting within `intervalMs` of each
 * other, counted once per slot so a burst or a conversation is one episode. Each action pairs
 * with at most `maxPartners` recent actors (a consistent hash sample on hot tags, so the same
 * pairs are followed every time), never with all of them.
 *
 * Null model: each account's actions in a slot fall at times drawn like the tag's own actions.
 * In a slot of N actions where an action finds on average D̄ others in the interval before it, a
 * pair with n_a and n_b actions coincides λ = 2·n_a·n_b·D̄/N times by chance. D̄ follows the tag's
 * bursts (a goal in a live match makes everyone coincide: expected, not flagged), while a handful of
 * accounts acting together barely moves it, so they cannot explain themselves away.
 */
export class CoActivityTracker {
  readonly #options: CoActivityOptions;
  readonly #recentTs: number[] = [];
  readonly #recentAuthor: string[] = [];
  readonly #pairs = new Map<string, CoActivityPair>();
  /** Pairs with at least `minCoincidences` slots: the only ones tested. */
  readonly #candidates = new Set<string>();
  /** Actions per second over the last coincidence interval, as [second, count] rings. */
  readonly #secondCounts: number[];
  readonly #secondStamps: number[];

  constructor(options: CoActivityOptions) {
    this.#options = options;
    const seconds = Math.max(1, Math.ceil(options.intervalMs / 1000));
    this.#secondCounts = new Array<number>(seconds).fill(0);
    this.#secondStamps = new Array<number>(seconds).fill(-1);
  }

  /** The tag's actions in the coincidence interval before `ts` (then counts this one). */
  #density(ts: number): number {
    const second = Math.floor(ts / 1000);
    const size = this.#secondCounts.length;
    let count = 0;
    for (let i = 0; i < size; i++) {
      const stamp = this.#secondStamps[i] as number;
      if (stamp > second - size && stamp <= second) count += this.#secondCounts[i] as number;
    }
    const at = second % size;
    if (this.#secondStamps[at] !== second) {
      this.#secondStamps[at] = second;
      this.#secondCounts[at] = 0;
    }
    this.#secondCounts[at] = (this.#secondCounts[at] as number) + 1;
    return count;
  }

  /** Records one action; returns the tag's expected action count in one interval around it (the density). */
  observe(author: string, ts: number): number {
    const options = this.#options;
    const density = this.#density(ts);
    const from = ts - options.intervalMs;
    let drop = 0;
    while (drop < this.#recentTs.length && (this.#recentTs[drop] as number) < from) drop++;
    if (drop > 0) {
      this.#recentTs.splice(0, drop);
      this.#recentAuthor.splice(0, drop);
    }
    const partners = new Set<string>();
    for (const other of this.#recentAuthor) if (other !== author) partners.add(other);
    const slot = Math.floor(ts / options.slotMs);
    for (const other of samplePartners(author, partners, options.maxPartners)) this.#coincide(pairKey(author, other), slot, ts);
    this.#recentTs.push(ts);
    this.#recentAuthor.push(author);
    if (this.#recentTs.length > options.maxRecentActions) {
      this.#recentTs.shift();
      this.#recentAuthor.shift();
    }
    return density;
  }

  #coincide(key: string, slot: number, ts: number): void {
    let pair = this.#pairs.get(key);
    if (pair === undefined) {
      pair = { slots: [], lastTs: ts };
      if (this.#pairs.size >= this.#options.maxPairs) this.#dropOldest();
    } else {
      this.#pairs.delete(key);
    }
    this.#pairs.set(key, pair);
    pair.lastTs = ts;
    if (pair.slots[pair.slots.length - 1] !== slot) {
      pair.slots.push(slot);
      if (pair.slots.length > maxPairSlots(this.#options)) pair.slots.shift();
      if (pair.slots.length >= this.#options.minCoincidences) this.#candidates.add(key);
    }
  }

  #dropOldest(): void {
    // Least recently coinciding pairs go first; they are the weakest evidence.
    let toDrop = Math.max(1, Math.floor(this.#options.maxPairs / 10));
    for (const key of this.#pairs.keys()) {
      if (toDrop-- <= 0) break;
      this.#pairs.delete(key);
      this.#candidates.delete(key);
    }
  }

  /** Forgets pairs that have not coincided since `cutoff`. */
  expire(cutoff: number): void {
    for (const [key, pair] of this.#pairs) {
      if (pair.lastTs >= cutoff) break;
      this.#pairs.delete(key);
      this.#candidates.delete(key);
    }
  }

  /** Pairs whose coincidences are unlikely under the null model. */
  significantPairs(book: AccountBook, nowTs: number): SignificantPair[] {
    const options = this.#options;
    const minSlot = Math.floor((nowTs - options.pairTtlMs) / options.slotMs);
    const out: SignificantPair[] = [];
    for (const key of this.#candidates) {
      const pair = this.#pairs.get(key);
      if (pair === undefined) continue;
      const coincidences = pair.slots.filter((s) => s >= minSlot).length;
      if (coincidences < options.minCoincidences) continue;
      const [a, b] = splitPairKey(key);
      const accountA = book.get(a);
      const accountB = book.get(b);
      if (accountA === undefined || accountB === undefined) continue;
      let expected = 0;
      let j = 0;
      const slotsB = accountB.slots;
      for (const [slot, nA] of accountA.slots) {
        if (slot < minSlot) continue;
        while (j < slotsB.length && (slotsB[j] as [number, number, number])[0] < slot) j++;
        const entryB = slotsB[j];
        if (entryB === undefined || entryB[0] !== slot) continue;
        const [total, densitySum] = book.slotTotal(slot);
        if (total === 0) continue;
        const lambda = (2 * nA * entryB[1] * densitySum) / (total * total);
        expected += 1 - Math.exp(-lambda);
      }
      const surprise = -log10PoissonTail(coincidences, expected);
      if (surprise >= options.significance) out.push({ a, b, coincidences, expected, surprise, lastTs: pair.lastTs });
    }
    return out;
  }

  get pairCount(): number {
    return this.#pairs.size;
  }

  snapshot(): CoActivitySnapshot {
    return {
      recent: this.#recentTs.map((ts, i) => [ts, this.#recentAuthor[i] as string]),
      seconds: this.#secondStamps.map((stamp, i) => [stamp, this.#secondCounts[i] as number]),
      pairs: [...this.#pairs].map(([key, pair]) => [key, [...pair.slots], pair.lastTs]),
    };
  }

  restore(state: CoActivitySnapshot): void {
    this.#recentTs.length = 0;
    this.#recentAuthor.length = 0;
    this.#pairs.clear();
    this.#candidates.clear();
    state.seconds.forEach(([stamp, count], i) => {
      if (i < this.#secondStamps.length) {
        this.#secondStamps[i] = stamp;
        this.#secondCounts[i] = count;
      }
    });
    for (const [ts, author] of state.recent) {
      this.#recentTs.push(ts);
      this.#recentAuthor.push(author);
    }
    for (const [key, slots, lastTs] of state.pairs) {
      this.#pairs.set(key, { slots: [...slots], lastTs });
      if (slots.length >= this.#options.minCoincidences) this.#candidates.add(key);
    }
  }
}

export interface CoActivitySnapshot {
  recent: Array<[number, string]>;
  seconds: Array<[number, number]>;
  pairs: Array<[string, number[], number]>;
}

export function maxPairSlots(options: { pairTtlMs: number; slotMs: number }): number {
  return Math.max(1, Math.ceil(options.pairTtlMs / options.slotMs) + 1);
}

/**
 * At most `max` partners: on a hot tag the ones whose pair hash is lowest, so a given pair is
 * followed whenever anyone is (its coincidences are not diluted at random by who else was there).
 */
export function samplePartners(author: string, partners: ReadonlySet<string>, max: number): string[] {
  const list = [...partners];
  if (list.length <= max) return list;
  return list
    .map((other) => ({ other, h: hash32(pairKey(author, other), SAMPLE_SEED) }))
    .sort((x, y) => x.h - y.h || (x.other < y.other ? -1 : 1))
    .slice(0, max)
    .map((x) => x.other);
}
