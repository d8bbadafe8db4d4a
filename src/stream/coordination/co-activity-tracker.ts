import type { AccountBook } from './account-book.ts';
import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import type { CoActivityOptions } from './options.ts';
import { PairTable } from './pair-table.ts';
import { log10PoissonTail } from './poisson-tail.ts';
import { hash32, pairKey, splitPairKey } from './seeded-hash.ts';
import type { AccountRecord } from './types.ts';

const SAMPLE_SEED = 0x6a09e667;

interface CoActivityPair {
  /** Distinct slots with a coincidence, as last counted from the two accounts' histories. */
  coincidences: number;
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
 * other, counted once per slot so a burst or a conversation is one episode. Each action is paired
 * with at most `maxPartners` of the actors of the last interval (a consistent hash sample on hot
 * tags, so the same pairs are followed every time), never with all of them. A pair's coincidences
 * are counted from the two accounts' recent action times (kept in the account book), so a pair
 * seen once costs nothing here: only pairs that reach `minCoincidences` are stored.
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
  readonly #pairs: PairTable<CoActivityPair>;
  /** Actions per second over the last coincidence interval, as [second, count] rings. */
  readonly #secondCounts: number[];
  readonly #secondStamps: number[];

  constructor(options: CoActivityOptions) {
    this.#options = options;
    this.#pairs = new PairTable<CoActivityPair>(
      options.maxPairs,
      (p) => p.coincidences <= options.minCoincidences,
      (p) => p.lastTs,
    );
    const seconds = Math.max(1, Math.ceil(options.intervalMs / 1000));
    this.#secondCounts = new Array<number>(seconds).fill(0);
    this.#secondStamps = new Array<number>(seconds).fill(-1);
  }

  /** The tag's actions in the coincidence interval before `ts`; counts this one. Call once per action, before `pair`. */
  density(ts: number): number {
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

  /** Pairs the action of `account` at `ts` (already in its history) with recent actors. */
  pair(account: AccountRecord, ts: number, book: AccountBook): void {
    const options = this.#options;
    const from = ts - options.intervalMs;
    let drop = 0;
    while (drop < this.#recentTs.length && (this.#recentTs[drop] as number) < from) drop++;
    if (drop > 0) {
      this.#recentTs.splice(0, drop);
      this.#recentAuthor.splice(0, drop);
    }
    const author = account.id;
    const partners = new Set<string>();
    for (const other of this.#recentAuthor) if (other !== author) partners.add(other);
    const minSlot = Math.floor((ts - options.windowMs) / options.slotMs);
    for (const other of samplePartners(author, partners, options.maxPartners)) {
      const partner = book.get(other);
      if (partner === undefined) continue;
      const coincidences = countCoincidences(account.times, partner.times, options.intervalMs, options.slotMs, minSlot);
      if (coincidences >= options.minCoincidences) this.#pairs.set(pairKey(author, other), { coincidences, lastTs: ts });
    }
    this.#recentTs.push(ts);
    this.#recentAuthor.push(author);
    if (this.#recentTs.length > options.maxRecentActions) {
      this.#recentTs.shift();
      this.#recentAuthor.shift();
    }
  }

  /** Forgets pairs that have not coincided since `cutoff`. */
  expire(cutoff: number): void {
    this.#pairs.expire(cutoff);
  }

  /** Pairs whose coincidences are unlikely under the null model. */
  significantPairs(book: AccountBook, nowTs: number): SignificantPair[] {
    const options = this.#options;
    const minSlot = Math.floor((nowTs - options.windowMs) / options.slotMs);
    const out: SignificantPair[] = [];
    for (const [key, pair] of this.#pairs.entries()) {
      const [a, b] = splitPairKey(key);
      const accountA = book.get(a);
      const accountB = book.get(b);
      if (accountA === undefined || accountB === undefined) continue;
      const coincidences = countCoincidences(accountA.times, accountB.times, options.intervalMs, options.slotMs, minSlot);
      if (coincidences < options.minCoincidences) continue;
      // Expected coincidences over the slots in which both acted, from the same action histories
      // the coincidences were counted in.
      let expected = 0;
      const slotsA = slotCounts(accountA.times, options.slotMs, minSlot);
      const slotsB = slotCounts(accountB.times, options.slotMs, minSlot);
      for (const [slot, nA] of slotsA) {
        const nB = slotsB.get(slot);
        if (nB === undefined) continue;
        const [total, densitySum] = book.slotTotal(slot);
        if (total === 0) continue;
        const lambda = (2 * nA * nB * densitySum) / (total * total);
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

  snapshot(w: CheckpointWriter): CoActivitySnapshot {
    const pairs: number[] = [];
    for (const [key, p] of this.#pairs.entries()) {
      const [a, b] = splitPairKey(key);
      pairs.push(w.id(a), w.id(b), p.coincidences, w.t(p.lastTs));
    }
    const seconds: number[] = [];
    this.#secondStamps.forEach((stamp, i) => {
      if (stamp >= 0) seconds.push(i, stamp, this.#secondCounts[i] as number);
    });
    return { recentTs: w.times(this.#recentTs), recentAuthors: this.#recentAuthor.map((a) => w.id(a)), seconds, pairs };
  }

  restore(state: CoActivitySnapshot, r: CheckpointReader): void {
    this.#recentTs.length = 0;
    this.#recentAuthor.length = 0;
    this.#pairs.clear();
    this.#secondStamps.fill(-1);
    this.#secondCounts.fill(0);
    for (let i = 0; i + 2 < state.seconds.length; i += 3) {
      const at = state.seconds[i] as number;
      if (at < this.#secondStamps.length) {
        this.#secondStamps[at] = state.seconds[i + 1] as number;
        this.#secondCounts[at] = state.seconds[i + 2] as number;
      }
    }
    this.#recentTs.push(...r.times(state.recentTs));
    for (const a of state.recentAuthors) this.#recentAuthor.push(r.id(a));
    for (let i = 0; i + 3 < state.pairs.length; i += 4) {
      const a = r.id(state.pairs[i] as number);
      const b = r.id(state.pairs[i + 1] as number);
      this.#pairs.set(pairKey(a, b), { coincidences: state.pairs[i + 2] as number, lastTs: r.t(state.pairs[i + 3] as number) });
    }
  }
}

export interface CoActivitySnapshot {
  recentTs: number[];
  recentAuthors: number[];
  /** Flattened [ring position, second, count] of the per-second counter. */
  seconds: number[];
  /** Flattened [a, b, coincidences, last] per pair, in order of last update. */
  pairs: number[];
}

/** Slots kept per account: enough to cover the co-activity window. */
export function maxPairSlots(options: { windowMs: number; slotMs: number }): number {
  return Math.max(1, Math.ceil(options.windowMs / options.slotMs) + 1);
}

/** Actions per slot (from `minSlot` on) over ascending action times. */
function slotCounts(times: readonly number[], slotMs: number, minSlot: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const ts of times) {
    const slot = Math.floor(ts / slotMs);
    if (slot >= minSlot) counts.set(slot, (counts.get(slot) ?? 0) + 1);
  }
  return counts;
}

/**
 * Distinct slots (of the later action) in which the two accounts acted within `intervalMs` of
 * each other, over two ascending lists of action times; slots before `minSlot` do not count.
 */
export function countCoincidences(a: readonly number[], b: readonly number[], intervalMs: number, slotMs: number, minSlot: number): number {
  let count = 0;
  let lastSlot = Number.NEGATIVE_INFINITY;
  let lo = 0;
  // Slots of coincidences come out in ascending order of the A action, which may not be
  // ascending in slot (the later action can be B's): collect and count distinct.
  const seen: number[] = [];
  for (const ta of a) {
    while (lo < b.length && (b[lo] as number) < ta - intervalMs) lo++;
    for (let j = lo; j < b.length; j++) {
      const tb = b[j] as number;
      if (tb > ta + intervalMs) break;
      const slot = Math.floor(Math.max(ta, tb) / slotMs);
      if (slot < minSlot || slot === lastSlot) continue;
      lastSlot = slot;
      if (!seen.includes(slot)) {
        seen.push(slot);
        count++;
      }
    }
  }
  return count;
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
