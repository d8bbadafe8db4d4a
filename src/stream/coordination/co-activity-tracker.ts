import type { AccountBook } from './account-book.ts';
import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import type { CoActivityOptions } from './options.ts';
import { PairTable } from './pair-table.ts';
import { PartnerWindow, keepLowest, sampleDistinctInto } from './partner-window.ts';
import { StateBytes } from './state-bytes.ts';
import { log10PoissonTail } from './poisson-tail.ts';
import { hash32Pair, pairIds, pairKey } from './seeded-hash.ts';
import type { AccountRecord } from './types.ts';

const SAMPLE_SEED = 0x6a09e667;

interface CoActivityPair {
  /** The two accounts, as the pair's key splits into (kept so an evaluation need not split every key). */
  readonly a: string;
  readonly b: string;
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
  /**
   * Recent actions as a queue in two parallel buffers: the live ones are [#head, #tail). Old
   * actions leave by advancing the head, not by splicing (a splice returned the dropped ones as two
   * new arrays at almost every action), and a new one is written at the tail; see `#makeRoom`.
   */
  #recentTs: number[] = [];
  #recentAuthor: string[] = [];
  #head = 0;
  #tail = 0;
  /**
   * The distinct authors of the recent window with their action counts, kept while the window is
   * long (a hot tag): the partners are then listed there, instead of deduplicated from the window
   * at every action.
   */
  #windowAuthors: PartnerWindow | undefined;
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
    while (this.#head < this.#tail && (recentTs[this.#head] as number) < from) this.#leave(recentAuthor[this.#head++] as string);
    const author = account.id;
    // One action coincides with another's in at most `slotsPerAction` distinct slots (the later of
    // the two lies within `intervalMs` after it), so an account with fewer actions than
    // `minCoincidences / slotsPerAction` cannot make a pair: most actions are an account's first on
    // the tag, and neither the sample nor the counting is needed for them.
    const slotsPerAction = Math.ceil(options.intervalMs / options.slotMs) + 1;
    if (this.#head < this.#tail && account.times.length * slotsPerAction >= options.minCoincidences) {
      const minSlot = Math.floor((ts - options.windowMs) / options.slotMs);
      const count = this.#sample(author, options.maxPartners);
      for (let i = 0; i < count; i++) {
        const other = sampled[i] as string;
        const partner = book.get(other);
        if (partner === undefined || partner.times.length * slotsPerAction < options.minCoincidences) continue;
        const coincidences = countCoincidences(account.times, partner.times, options.intervalMs, options.slotMs, minSlot);
        if (coincidences >= options.minCoincidences) this.#store(pairKey(author, other), author, other, coincidences, ts);
      }
    }
    this.#remember(ts, author, options.maxRecentActions);
  }

  /** A pair's latest count: its stored value is updated in place (one object for the pair's lifetime). */
  #store(key: string, author: string, other: string, coincidences: number, ts: number): void {
    const known = this.#pairs.touch(key);
    if (known !== undefined) {
      known.coincidences = coincidences;
      known.lastTs = ts;
      return;
    }
    const [a, b] = pairIds(author, other);
    this.#pairs.set(key, { a, b, coincidences, lastTs: ts });
  }

  /** Live recent actions. */
  get #recentCount(): number {
    return this.#tail - this.#head;
  }

  #remember(ts: number, author: string, maxRecentActions: number): void {
    if (this.#tail === this.#recentTs.length) this.#makeRoom();
    this.#recentTs[this.#tail] = ts;
    this.#recentAuthor[this.#tail] = author;
    this.#tail++;
    this.#windowAuthors?.add(author);
    if (this.#recentCount > maxRecentActions) this.#leave(this.#recentAuthor[this.#head++] as string);
    const count = this.#recentCount;
    if (this.#windowAuthors === undefined && count >= COUNTED_WINDOW) this.#windowAuthors = this.#countWindow();
    else if (this.#windowAuthors !== undefined && count < COUNTED_WINDOW / 4) this.#windowAuthors = undefined;
  }

  /**
   * Room for one more action at the tail of full buffers: the live actions slide to the front when
   * the head has moved, else the buffers grow. Exact-size buffers while short (most tags never hold
   * more than a few recent actions; a pushed-to array reserves 17 slots), by half beyond; a tag
   * whose window shrank to a quarter of its buffers gets small ones again.
   */
  #makeRoom(): void {
    const live = this.#recentCount;
    const capacity = this.#recentTs.length;
    if (this.#head > 0 && (capacity <= SHORT_WINDOW || live > capacity / 4)) {
      for (let i = 0; i < live; i++) {
        this.#recentTs[i] = this.#recentTs[this.#head + i] as number;
        this.#recentAuthor[i] = this.#recentAuthor[this.#head + i] as string;
      }
    } else {
      const size = live + 1 <= SHORT_WINDOW ? live + 1 : live + 1 + (live >> 1);
      const ts = new Array<number>(size).fill(0);
      const authors = new Array<string>(size).fill('');
      for (let i = 0; i < live; i++) {
        ts[i] = this.#recentTs[this.#head + i] as number;
        authors[i] = this.#recentAuthor[this.#head + i] as string;
      }
      this.#recentTs = ts;
      this.#recentAuthor = authors;
    }
    this.#head = 0;
    this.#tail = live;
  }

  #countWindow(): PartnerWindow {
    const authors = new PartnerWindow();
    for (let i = this.#head; i < this.#tail; i++) authors.add(this.#recentAuthor[i] as string);
    return authors;
  }

  #leave(author: string): void {
    this.#windowAuthors?.remove(author);
  }

  /**
   * The distinct recent actors other than `author` into `sampled`, returning how many: all of them
   * (in order of first appearance in the window) when at most `max`, else the `max` with the
   * lowest pair hash (see `PartnerWindow`).
   */
  #sample(author: string, max: number): number {
    if (sampledHash.length < max) sampledHash = new Uint32Array(max);
    const authors = this.#windowAuthors;
    if (authors !== undefined && authors.size - (authors.has(author) ? 1 : 0) > max) return authors.sampleInto(author, max, sampled, sampledHash);
    // A short window: deduplicate it in order.
    const unique = uniqueScratch;
    const recentAuthor = this.#recentAuthor;
    let n = 0;
    for (let i = this.#head; i < this.#tail; i++) {
      const other = recentAuthor[i] as string;
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
    if (n > max) return sampleDistinctInto(author, unique, n, max, sampled, sampledHash);
    for (let i = 0; i < n; i++) sampled[i] = unique[i] as string;
    return n;
  }

  /** Forgets pairs that have not coincided since `cutoff`. */
  expire(cutoff: number): void {
    this.#pairs.expire(cutoff);
  }

  /** Pairs whose coincidences are unlikely under the null model. */
  significantPairs(book: AccountBook, nowTs: number): SignificantPair[] {
    const out: SignificantPair[] = [];
    // Most tags never store a pair: no entry iterator for them at every evaluation.
    if (this.#pairs.size === 0) return out;
    const options = this.#options;
    const minSlot = Math.floor((nowTs - options.windowMs) / options.slotMs);
    for (const pair of this.#pairs.values()) {
      const { a, b } = pair;
      const accountA = book.get(a);
      const accountB = book.get(b);
      if (accountA === undefined || accountB === undefined) continue;
      const coincidences = countCoincidences(accountA.times, accountB.times, options.intervalMs, options.slotMs, minSlot);
      if (coincidences < options.minCoincidences) continue;
      const expected = expectedCoincidences(accountA.times, accountB.times, options.slotMs, minSlot, book);
      const surprise = -log10PoissonTail(coincidences, expected);
      if (surprise >= options.significance) out.push({ a, b, coincidences, expected, surprise, lastTs: pair.lastTs });
    }
    return out;
  }

  /** Rough bytes held (recent actions, the per-second rings, pairs). */
  get bytes(): number {
    return 2 * StateBytes.array + this.#recentCount * 12 + StateBytes.secondRings + this.#pairs.bytes(StateBytes.pair);
  }

  get pairCount(): number {
    return this.#pairs.size;
  }

  snapshot(w: CheckpointWriter): CoActivitySnapshot {
    const pairs: number[] = [];
    for (const p of this.#pairs.values()) pairs.push(w.id(p.a), w.id(p.b), p.coincidences, w.t(p.lastTs));
    const seconds: number[] = [];
    this.#secondStamps.forEach((stamp, i) => {
      if (stamp >= 0) seconds.push(i, stamp + (this.#secondBase as number), this.#secondCounts[i] as number);
    });
    const recentAuthors: number[] = [];
    for (let i = this.#head; i < this.#tail; i++) recentAuthors.push(w.id(this.#recentAuthor[i] as string));
    return { recentTs: w.times(this.#recentTs.slice(this.#head, this.#tail)), recentAuthors, seconds, pairs };
  }

  restore(state: CoActivitySnapshot, r: CheckpointReader): void {
    this.#windowAuthors = undefined;
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
    this.#recentTs = r.times(state.recentTs);
    this.#recentAuthor = state.recentAuthors.map((a) => r.id(a));
    this.#head = 0;
    this.#tail = this.#recentTs.length;
    if (this.#recentCount >= COUNTED_WINDOW) this.#windowAuthors = this.#countWindow();
    for (let i = 0; i + 3 < state.pairs.length; i += 4) {
      const a = r.id(state.pairs[i] as number);
      const b = r.id(state.pairs[i + 1] as number);
      this.#store(pairKey(a, b), a, b, state.pairs[i + 2] as number, r.t(state.pairs[i + 3] as number));
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

/**
 * Expected coincidences of two accounts over the slots (from `minSlot` on) in which both acted,
 * from the same action histories the coincidences were counted in: per slot where A acted n_A
 * times and B n_B times, 1 − e^−λ with λ = 2·n_A·n_B·D/N² (N the tag's actions in the slot, D the
 * sum of the densities they met). The two ascending histories are merged slot by slot, in
 * ascending slot order (no per-pair maps of slot counts).
 */
function expectedCoincidences(a: readonly number[], b: readonly number[], slotMs: number, minSlot: number, book: AccountBook): number {
  let expected = 0;
  let j = 0;
  for (let i = 0; i < a.length; ) {
    const slot = Math.floor((a[i] as number) / slotMs);
    let nA = 0;
    while (i < a.length && Math.floor((a[i] as number) / slotMs) === slot) {
      nA++;
      i++;
    }
    if (slot < minSlot) continue;
    while (j < b.length && Math.floor((b[j] as number) / slotMs) < slot) j++;
    let nB = 0;
    while (j < b.length && Math.floor((b[j] as number) / slotMs) === slot) {
      nB++;
      j++;
    }
    if (nB === 0) continue;
    const total = book.slotActions(slot);
    if (total === 0) continue;
    const lambda = (2 * nA * nB * book.slotDensitySum(slot)) / (total * total);
    expected += 1 - Math.exp(-lambda);
  }
  return expected;
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
  // ascending in slot (the later action can be B's): collect and count distinct. The scratch is
  // filled up to `count`, never truncated: setting an array's length to 0 gave up its storage, and
  // the first push of each call allocated it again.
  let seen = seenSlots;
  for (const ta of a) {
    while (lo < b.length && (b[lo] as number) < ta - intervalMs) lo++;
    for (let j = lo; j < b.length; j++) {
      const tb = b[j] as number;
      if (tb > ta + intervalMs) break;
      const slot = Math.floor(Math.max(ta, tb) / slotMs);
      if (slot < minSlot || slot === lastSlot) continue;
      lastSlot = slot;
      let known = false;
      for (let k = 0; k < count; k++) {
        if (seen[k] === slot) {
          known = true;
          break;
        }
      }
      if (known) continue;
      if (count === seen.length) seen = seenSlots = growFloat64(seen);
      seen[count++] = slot;
    }
  }
  return count;
}

/** A copy of `list` with twice the room. */
function growFloat64(list: Float64Array): Float64Array {
  const grown = new Float64Array(list.length * 2);
  grown.set(list);
  return grown;
}

/**
 * Scratch of `countCoincidences` and `#sample` (single-threaded, never held across calls), each
 * used up to a count kept by its user. Slots as doubles: any number a time divided by a slot gives.
 */
let seenSlots: Float64Array = new Float64Array(32);
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
  let n = 0;
  for (const other of partners) if (other !== author) n = offerPartner(author, other, n, max);
  return n;
}

/**
 * Offers one partner to the `n` kept in `sampled` (sorted by (pair hash, id), at most `max`):
 * inserted in order when among the `max` lowest. Returns how many are kept.
 */
function offerPartner(author: string, other: string, n: number, max: number): number {
  if (sampledHash.length < max) sampledHash = new Uint32Array(max);
  return keepLowest(hash32Pair(author, other, SAMPLE_SEED), other, n, max, sampled, sampledHash);
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
