import type { AccountBook } from './account-book.ts';
import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import type { CoActivityOptions } from './options.ts';
import { PairTable } from './pair-table.ts';
import { PartnerWindow, sampleDistinctInto } from './partner-window.ts';
import { StateBytes } from './state-bytes.ts';
import { log10PoissonTail } from './poisson-tail.ts';
import { hash32Pair, pairKey, splitPairKey } from './seeded-hash.ts';
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
  #recentTs: number[] = [];
  #recentAuthor: string[] = [];
  /**
   * The distinct accounts of the recent window, kept while the window is long (a hot tag), instead
   * of a set rebuilt from the window at every action.
   */
  #windowAccounts: PartnerWindow | undefined;
  readonly #pairs: PairTable<CoActivityPair>;
  /** Actions per second over the last coincidence interval, as [second, count] rings. */
  readonly #secondCounts: number[];
  /** Seconds relative to `#secondBase` (small integers, not boxed doubles), -1 for an unused slot. */
  readonly #secondStamps: number[];
  #secondBase: number | undefined;

  constructor(options: CoActivityOptions) {
    this.#options = options;
    this.#pairs = new PairTable<CoActivityPair>(options.maxPairs, ...pairRules(options));
    const seconds = Math.max(1, Math.ceil(options.intervalMs / 1000));
    this.#secondCounts = new Array<number>(seconds).fill(0);
    this.#secondStamps = new Array<number>(seconds).fill(-1);
  }

  /** The tag's actions in the coincidence interval before `ts`; counts this one. Call once per action, before `pair`. */
  density(ts: number): number {
    const absolute = Math.floor(ts / 1000);
    // A tag's times never go back (late posts are taken at its clock): the first second is a base.
    this.#secondBase ??= absolute;
    const second = absolute - this.#secondBase;
    const size = this.#secondCounts.length;
    let count = 0;
    for (let i = 0; i < size; i++) {
      const stamp = this.#secondStamps[i] as number;
      if (stamp > second - size && stamp <= second) count += this.#secondCounts[i] as number;
    }
    // Ring positions follow the absolute second (as checkpoints record them).
    const at = absolute % size;
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
    const recentTs = this.#recentTs;
    const recentAuthor = this.#recentAuthor;
    let drop = 0;
    while (drop < recentTs.length && (recentTs[drop] as number) < from) drop++;
    if (drop > 0) {
      recentTs.splice(0, drop);
      for (const gone of recentAuthor.splice(0, drop)) this.#leave(gone);
    }
    const author = account.id;
    if (recentAuthor.length > 0) {
      const minSlot = Math.floor((ts - options.windowMs) / options.slotMs);
      const count = this.#sample(author, options.maxPartners);
      for (let i = 0; i < count; i++) {
        const other = sampled[i] as string;
        const partner = book.get(other);
        if (partner === undefined) continue;
        const coincidences = countCoincidences(account.times, partner.times, options.intervalMs, options.slotMs, minSlot);
        if (coincidences >= options.minCoincidences) this.#pairs.set(pairKey(author, other), { coincidences, lastTs: ts });
      }
    }
    this.#remember(ts, author, options.maxRecentActions);
  }

  #remember(ts: number, author: string, maxRecentActions: number): void {
    if (this.#recentTs.length < SHORT_WINDOW) {
      // Exact-size copies while short: most tags never hold more than a few recent actions, and a
      // pushed-to array reserves 17 slots. `concat`, not a spread literal: a spread reserves them too.
      this.#recentTs = this.#recentTs.concat(ts);
      this.#recentAuthor = this.#recentAuthor.concat(author);
    } else {
      this.#recentTs.push(ts);
      this.#recentAuthor.push(author);
    }
    const recentTs = this.#recentTs;
    const recentAuthor = this.#recentAuthor;
    this.#windowAccounts?.add(author);
    if (recentTs.length > maxRecentActions) {
      recentTs.shift();
      this.#leave(recentAuthor.shift() as string);
    }
    if (this.#windowAccounts === undefined && recentAuthor.length >= COUNTED_WINDOW) {
      const counts = new PartnerWindow();
      for (const other of recentAuthor) counts.add(other);
      this.#windowAccounts = counts;
    } else if (this.#windowAccounts !== undefined && recentAuthor.length < COUNTED_WINDOW / 4) {
      this.#windowAccounts = undefined;
    }
  }

  #leave(author: string): void {
    this.#windowAccounts?.remove(author);
  }

  /**
   * The distinct recent actors other than `author` into `sampled`, returning how many: all of them
   * (in order of first appearance in the window) when at most `max`, else the `max` with the
   * lowest pair hash (see `PartnerWindow`).
   */
  #sample(author: string, max: number): number {
    if (sampledHash.length < max) sampledHash = new Uint32Array(max);
    const accounts = this.#windowAccounts;
    if (accounts !== undefined && accounts.size - (accounts.has(author) ? 1 : 0) > max) return accounts.sampleInto(author, max, sampled, sampledHash);
    // A short window: deduplicate it in order.
    const unique = uniqueScratch;
    let n = 0;
    for (const other of this.#recentAuthor) {
      if (other === author) continue;
      let seen = false;
      for (let j = 0; j < n; j++) {
        if (unique[j] === other) {
          seen = true;
          break;
        }
      }
      if (!seen) unique[n++] = other;
    }
    unique.length = n;
    if (n <= max) {
      for (let i = 0; i < n; i++) sampled[i] = unique[i] as string;
      return n;
    }
    return sampleDistinctInto(author, unique, n, max, sampled, sampledHash);
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

  /** Rough bytes held (recent actions, the per-second rings, pairs). */
  get bytes(): number {
    return 2 * StateBytes.array + this.#recentTs.length * 12 + StateBytes.secondRings + this.#pairs.bytes(StateBytes.pair);
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
      if (stamp >= 0) seconds.push(i, stamp + (this.#secondBase as number), this.#secondCounts[i] as number);
    });
    return { recentTs: w.times(this.#recentTs), recentAuthors: this.#recentAuthor.map((a) => w.id(a)), seconds, pairs };
  }

  restore(state: CoActivitySnapshot, r: CheckpointReader): void {
    this.#recentTs.length = 0;
    this.#recentAuthor.length = 0;
    this.#windowAccounts = undefined;
    this.#pairs.clear();
    this.#secondStamps.fill(-1);
    this.#secondCounts.fill(0);
    this.#secondBase = undefined;
    for (let i = 0; i + 2 < state.seconds.length; i += 3) {
      const stamp = state.seconds[i + 1] as number;
      if ((state.seconds[i] as number) < this.#secondStamps.length && (this.#secondBase === undefined || stamp < this.#secondBase)) this.#secondBase = stamp;
    }
    for (let i = 0; i + 2 < state.seconds.length; i += 3) {
      const at = state.seconds[i] as number;
      if (at < this.#secondStamps.length) {
        this.#secondStamps[at] = (state.seconds[i + 1] as number) - (this.#secondBase as number);
        this.#secondCounts[at] = state.seconds[i + 2] as number;
      }
    }
    this.#recentTs.push(...r.times(state.recentTs));
    for (const a of state.recentAuthors) this.#recentAuthor.push(r.id(a));
    if (this.#recentAuthor.length >= COUNTED_WINDOW) {
      const counts = new PartnerWindow();
      for (const other of this.#recentAuthor) counts.add(other);
      this.#windowAccounts = counts;
    }
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
  const seen = seenSlots;
  seen.length = 0;
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

/** Scratch of `countCoincidences` and `pair` (single-threaded, never held across calls). */
const seenSlots: number[] = [];
const uniqueScratch: string[] = [];
/** Window length from which the distinct authors are counted incrementally. */
const COUNTED_WINDOW = 64;
/** Recent-action windows shorter than this grow by exact-size copies. */
const SHORT_WINDOW = 8;

/**
 * At most `max` partners: on a hot tag the ones whose pair hash is lowest, so a given pair is
 * followed whenever anyone is (its coincidences are not diluted at random by who else was there).
 */
export function samplePartners(author: string, partners: ReadonlySet<string>, max: number): string[] {
  const count = samplePartnersInto(author, partners, max);
  return sampled.slice(0, count);
}

/** The sample of the last `samplePartnersInto` (valid until the next call). */
export const sampled: string[] = [];
let sampledHash = new Uint32Array(32);

/**
 * `samplePartners` into `sampled`, without sorting every partner: the partners in order when
 * there are at most `max`, else the `max` lowest (pair hash, id), kept sorted as they come.
 * `partners` are distinct; `author` among them is skipped. Returns how many.
 */
export function samplePartnersInto(author: string, partners: Iterable<string> & { readonly size?: number; readonly length?: number }, max: number): number {
  const size = partners.size ?? partners.length ?? Number.POSITIVE_INFINITY;
  if (size <= max) {
    let n = 0;
    for (const other of partners) if (other !== author) sampled[n++] = other;
    return n;
  }
  if (sampledHash.length < max) sampledHash = new Uint32Array(max);
  let n = 0;
  for (const other of partners) {
    if (other === author) continue;
    const h = hash32Pair(author, other, SAMPLE_SEED);
    if (n === max) {
      const lastH = sampledHash[n - 1] as number;
      if (h > lastH || (h === lastH && other > (sampled[n - 1] as string))) continue;
    }
    let j = n === max ? n - 1 : n;
    while (j > 0) {
      const ph = sampledHash[j - 1] as number;
      if (ph < h || (ph === h && (sampled[j - 1] as string) < other)) break;
      sampledHash[j] = ph;
      sampled[j] = sampled[j - 1] as string;
      j--;
    }
    sampledHash[j] = h;
    sampled[j] = other;
    if (n < max) n++;
  }
  return n;
}

const pairRulesByOptions = new WeakMap<CoActivityOptions, [(p: CoActivityPair) => boolean, (p: CoActivityPair) => number]>();

/** The pair table's rules, made once per options object (not once per tag). */
function pairRules(options: CoActivityOptions): [(p: CoActivityPair) => boolean, (p: CoActivityPair) => number] {
  let rules = pairRulesByOptions.get(options);
  if (rules === undefined) {
    rules = [(p) => p.coincidences <= options.minCoincidences, (p) => p.lastTs];
    pairRulesByOptions.set(options, rules);
  }
  return rules;
}
