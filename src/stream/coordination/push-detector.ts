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
}

/**
 * A push: a small set of accounts producing a large share of a tag's posts at machine-regular
 * cadence (coefficient of variation of inter-post times well below the ~1 of people posting at
 * random). An account is judged from `minPosts` posts in the window, or already from
 * `fastMinPosts` when its gaps are nearly identical, in which case the set must carry the larger
 * `fastMinShare` of the tag. Returns undefined when no such set carries enough of the tag.
 */
export function findPush(book: AccountBook, candidates: Iterable<string>, nowTs: number, options: PushOptions, slotMs: number): PushFinding | undefined {
  const from = nowTs - options.windowMs;
  const fromSlot = Math.floor(from / slotMs);
  const full: PushAccount[] = [];
  const early: PushAccount[] = [];
  for (const id of candidates) {
    const account = book.get(id);
    if (account === undefined || account.lastTs < from) continue;
    const times = account.times.filter((t) => t >= from);
    if (times.length < Math.min(options.minPosts, options.fastMinPosts)) continue;
    const gaps: number[] = [];
    for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    if (mean <= 0) continue;
    const variance = gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length;
    const cv = Math.sqrt(variance) / mean;
    const isFull = times.length >= options.minPosts && cv <= options.maxCv;
    if (!isFull && !(times.length >= options.fastMinPosts && cv <= options.fastMaxCv)) continue;
    // The history holds the latest actions only: when all of it lies in the window, the account's
    // regular cadence tells how many actions the window held.
    const truncated = times.length === account.times.length && account.times[0] !== account.firstTs;
    const actions = truncated ? Math.max(times.length, Math.floor((account.lastTs - Math.max(from, account.firstTs)) / mean) + 1) : times.length;
    const sorted = [...gaps].sort((x, y) => x - y);
    (isFull ? full : early).push({ id, actions, cv, medianGapMs: sorted[Math.floor(sorted.length / 2)] as number });
  }
  const tagActions = book.actionsSince(fromSlot);
  const shareOf = (set: readonly PushAccount[]): number => set.reduce((s, a) => s + a.actions, 0) / Math.max(1, tagActions);
  let regular = [...full, ...early];
  let share = shareOf(regular);
  if (early.length > 0 && share < Math.max(options.minShare, options.fastMinShare)) {
    regular = full;
    share = shareOf(full);
  }
  if (regular.length === 0 || regular.length > options.maxAccounts || share < options.minShare) return undefined;
  regular.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { accounts: regular, share, tagActions };
}
