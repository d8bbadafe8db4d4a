import type { AccountBook } from './account-book.ts';
import type { PushOptions } from './options.ts';

export interface PushAccount {
  id: string;
  actions: number;
  cv: number;
  medianGapMs: number;
}

export interface PushFinding {
  accounts: PushAccount[];
  /** Share of the tag's actions in the window made by these accounts (0..1). */
  share: number;
  tagActions: number;
  /**
   * Found by the shared-cadence path: the accounts repeat one gap between them; `share` is then
   * counted since the set's first post, not over the whole window.
   */
  shared?: true;
}

/**
 * A push: a small set of accounts producing a large share of a tag's posts at machine-regular
 * cadence (coefficient of variation of inter-post times well below the ~1 of people posting at
 * random). An account is judged from `minPosts` posts in the window, or already from
 * `fastMinPosts` when its gaps are nearly identical, in which case the set must carry the larger
 * `fastMinShare` of the tag. When no two such accounts qualify, accounts that each showed one gap
 * (or a few regular ones) count together when they share it (`findSharedCadence`). Returns
 * undefined when no such set carries enough of the tag.
 */
export function findPush(book: AccountBook, candidates: Iterable<string>, nowTs: number, options: PushOptions, slotMs: number): PushFinding | undefined {
  const from = nowTs - options.windowMs;
  const fromSlot = Math.floor(from / slotMs);
  const full: PushAccount[] = [];
  const early: PushAccount[] = [];
  const paced: PacedAccount[] = [];
  for (const id of candidates) {
    const account = book.get(id);
    if (account === undefined || account.lastTs < from) continue;
    // The window's times (those `>= from`) and their gaps are walked in place, with no filtered
    // copy or gap list per candidate at every evaluation; the sums run in the order they always did.
    const history = account.times;
    let posts = 0;
    let firstTs = 0;
    let previous = 0;
    let gapSum = 0;
    for (const t of history) {
      if (!(t >= from)) continue;
      if (posts === 0) firstTs = t;
      else gapSum += t - previous;
      previous = t;
      posts++;
    }
    if (posts < 2) continue;
    const gapCount = posts - 1;
    const mean = gapSum / gapCount;
    if (mean <= 0) continue;
    const variance = squaredDeviations(history, from, mean) / gapCount;
    const cv = Math.sqrt(variance) / mean;
    if (mean <= options.sharedMaxGapMs && (gapCount < 2 || cv <= options.sharedMaxCv)) paced.push({ id, firstTs, meanGapMs: mean, posts, cv });
    if (posts < Math.min(options.minPosts, options.fastMinPosts)) continue;
    const isFull = posts >= options.minPosts && cv <= options.maxCv;
    if (!isFull && !(posts >= options.fastMinPosts && cv <= options.fastMaxCv)) continue;
    // The history holds the latest actions only: when all of it lies in the window, the account's
    // regular cadence tells how many actions the window held.
    const truncated = posts === history.length && history[0] !== account.firstTs;
    const actions = truncated ? Math.max(posts, Math.floor((account.lastTs - Math.max(from, account.firstTs)) / mean) + 1) : posts;
    (isFull ? full : early).push({ id, actions, cv, medianGapMs: medianGap(history, from) });
  }
  // No account keeps a cadence of its own: only the shared-cadence path can find a push.
  if (full.length === 0 && early.length === 0) return findSharedCadence(book, paced, options, slotMs);
  const tagActions = book.actionsSince(fromSlot);
  const shareOf = (set: readonly PushAccount[]): number => set.reduce((s, a) => s + a.actions, 0) / Math.max(1, tagActions);
  let regular = [...full, ...early];
  let share = shareOf(regular);
  if (early.length > 0 && share < Math.max(options.minShare, options.fastMinShare)) {
    regular = full;
    share = shareOf(full);
  }
  if (regular.length >= 2 && share >= options.minShare) {
    // One account carrying the push alone is a spammer, whatever regular posters happen to be
    // around it: without its largest contributor the set must still carry half the minimum share.
    const top = regular.reduce((a, b) => (b.actions > a.actions || (b.actions === a.actions && b.id < a.id) ? b : a));
    const rest = regular.filter((a) => a !== top);
    if (shareOf(rest) < options.minShare / 2) {
      regular = [top];
      share = shareOf(regular);
    }
  }
  if (regular.length === 0 || regular.length > options.maxAccounts || share < options.minShare) return findSharedCadence(book, paced, options, slotMs);
  // One regular account is spam, unless it keeps a cadence that others share.
  if (regular.length === 1) return findSharedCadence(book, paced, options, slotMs) ?? { accounts: regular, share, tagActions };
  regular.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { accounts: regular, share, tagActions };
}

/** Sum of the squared deviations from `mean` of the gaps between the times from `from` on, in order. */
function squaredDeviations(times: readonly number[], from: number, mean: number): number {
  let sum = 0;
  let previous: number | undefined;
  for (const t of times) {
    if (!(t >= from)) continue;
    if (previous !== undefined) sum += (t - previous - mean) ** 2;
    previous = t;
  }
  return sum;
}

/** The median (upper of the middle two) gap between the times from `from` on. */
function medianGap(times: readonly number[], from: number): number {
  let n = 0;
  let previous: number | undefined;
  for (const t of times) {
    if (!(t >= from)) continue;
    if (previous !== undefined) {
      if (n === gapScratch.length) gapScratch = growGaps(gapScratch);
      gapScratch[n++] = t - previous;
    }
    previous = t;
  }
  // Numeric ascending, as the comparator `(x, y) => x - y` sorted the gap list.
  const gaps = gapScratch.subarray(0, n).sort();
  return gaps[Math.floor(n / 2)] as number;
}

function growGaps(list: Float64Array): Float64Array {
  const grown = new Float64Array(list.length * 2);
  grown.set(list);
  return grown;
}

/** Scratch of `medianGap` (single-threaded, never held across calls); an account keeps a few times. */
let gapScratch: Float64Array = new Float64Array(64);

interface PacedAccount {
  id: string;
  /** First action in the window. */
  firstTs: number;
  meanGapMs: number;
  posts: number;
  cv: number;
}

/**
 * The shared-cadence path: the largest set of accounts whose mean gaps lie within
 * `sharedMaxGapRatio` of each other, whose first posts are not bunched (spread over
 * `sharedMinSpread` of the set's median gap) and which carry `sharedMinShare` of the tag's actions
 * since the set's first post (slot granularity). Accounts with one gap count as one action per gap.
 */
function findSharedCadence(book: AccountBook, paced: PacedAccount[], options: PushOptions, slotMs: number): PushFinding | undefined {
  if (paced.length < options.sharedMinAccounts) return undefined;
  paced.sort((x, y) => x.meanGapMs - y.meanGapMs || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  let best: { set: PacedAccount[]; share: number; tagActions: number } | undefined;
  let lo = 0;
  for (let hi = 0; hi < paced.length; hi++) {
    const top = paced[hi] as PacedAccount;
    while ((paced[lo] as PacedAccount).meanGapMs * options.sharedMaxGapRatio < top.meanGapMs) lo++;
    // Only the maximal band ending at each account: its largest sets.
    const next = paced[hi + 1];
    if (next !== undefined && (paced[lo] as PacedAccount).meanGapMs * options.sharedMaxGapRatio >= next.meanGapMs) continue;
    const set = paced.slice(lo, hi + 1);
    if (set.length < options.sharedMinAccounts || set.length > options.maxAccounts || (best !== undefined && set.length <= best.set.length)) continue;
    const medianGap = (set[Math.floor(set.length / 2)] as PacedAccount).meanGapMs;
    let first = Infinity;
    let last = -Infinity;
    for (const a of set) {
      first = Math.min(first, a.firstTs);
      last = Math.max(last, a.firstTs);
    }
    // A set that reacted together shares its gaps by the clock of outside events, not of its own;
    // one account already repeating its gap (three posts) says the cadence is its own.
    if (last - first < options.sharedMinSpread * medianGap && !set.some((a) => a.posts >= 3)) continue;
    const tagActions = book.actionsSince(Math.floor(first / slotMs));
    const share = set.reduce((s, a) => s + a.posts, 0) / Math.max(1, tagActions);
    if (share >= options.sharedMinShare) best = { set, share, tagActions };
  }
  if (best === undefined) return undefined;
  const accounts = best.set.map((a) => ({ id: a.id, actions: a.posts, cv: a.cv, medianGapMs: Math.round(a.meanGapMs) })).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { accounts, share: Math.min(1, best.share), tagActions: best.tagActions, shared: true };
}
