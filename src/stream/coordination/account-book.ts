import type { Post } from '../../model/index.ts';
import type { CheckpointReader, CheckpointWriter } from './checkpoint-codec.ts';
import { StateBytes } from './state-bytes.ts';
import type { AccountRecord } from './types.ts';

/** Shared by every account that has not reposted / acted yet (replaced, never mutated, on the first one). */
const NO_REPOSTS: Array<[string, number, number]> = [];
const NO_TIMES: number[] = [];
/** Shared by every book before its first action (replaced, never mutated, on the first one). */
const NO_SLOTS: number[] = [];

export interface AccountBookLimits {
  maxAccounts: number;
  /** Action times kept per account. */
  historySize: number;
  /** Reposts kept per account. */
  repostHistorySize: number;
  /** Co-activity slots of the tag kept (its action counts per slot). */
  maxSlots: number;
  slotMs: number;
}

/**
 * The accounts seen on one tag with what the signals need about them: traits, the latest action
 * times and reposts. Bounded: at most `maxAccounts`, least recently active dropped first, and
 * each record holds fixed-size histories (so the worst case is known: see the options). Also
 * keeps the tag's action count per slot, the denominator of the co-activity null model.
 */
export class AccountBook {
  readonly accounts = new Map<string, AccountRecord>();
  /**
   * [slot, actions, density sum, …] of the tag, oldest first, flat: a tag acts in a few slots, and a
   * three-number array per slot cost more than the numbers (shared empty list until the first).
   */
  #slots: number[] = NO_SLOTS;
  readonly #limits: AccountBookLimits;

  constructor(limits: AccountBookLimits) {
    this.#limits = limits;
  }

  get size(): number {
    return this.accounts.size;
  }

  get(id: string): AccountRecord | undefined {
    return this.accounts.get(id);
  }

  /** Records one action; `density` is the tag's actions in the coincidence interval before it. */
  record(post: Post, key: string, density: number): AccountRecord {
    const id = post.author.id;
    let account = this.accounts.get(id);
    if (account === undefined) {
      account = {
        id,
        createdTs: toSeconds(post.author.createdTs),
        followers: post.author.followers,
        firstTs: post.ts,
        lastTs: post.ts,
        times: NO_TIMES,
        reposts: NO_REPOSTS,
        lastPost: key,
      };
      if (this.accounts.size >= this.#limits.maxAccounts) this.#dropLeastRecent();
    } else {
      // Re-inserting keeps the map in least-recently-active order.
      this.accounts.delete(id);
      if (post.author.createdTs !== undefined) account.createdTs = toSeconds(post.author.createdTs);
      if (post.author.followers !== undefined) account.followers = post.author.followers;
    }
    this.accounts.set(id, account);
    account.lastTs = post.ts;
    account.lastPost = key;
    account.times = appendBounded(account.times, post.ts, this.#limits.historySize);
    const slot = Math.floor(post.ts / this.#limits.slotMs);
    const slots = this.#slots;
    const n = slots.length;
    if (n > 0 && slots[n - 3] === slot) {
      slots[n - 2] = (slots[n - 2] as number) + 1;
      slots[n - 1] = (slots[n - 1] as number) + density;
    } else {
      this.#slots = appendSlot(slots, slot, density, this.#limits.maxSlots);
    }
    return account;
  }

  /** Rough bytes held: account records with their histories, and the tag's slot totals. */
  get bytes(): number {
    let total = StateBytes.map + this.accounts.size * StateBytes.account + StateBytes.array + this.#slots.length * 8;
    for (const a of this.accounts.values()) {
      total += StateBytes.array + a.times.length * 8;
      if (a.reposts.length > 0) total += StateBytes.array + a.reposts.length * (StateBytes.array + 20);
    }
    return total;
  }

  /** Adds a repost to an account's history: [reposted post key, time, co-reposters at that moment]. */
  recordRepost(account: AccountRecord, parent: string, ts: number, coReposters: number): void {
    account.reposts = appendBounded(account.reposts, [parent, ts, coReposters], this.#limits.repostHistorySize);
  }

  /** Actions of the tag in a slot (0 when no longer kept). */
  slotActions(slot: number): number {
    const at = this.#slotAt(slot);
    return at < 0 ? 0 : (this.#slots[at + 1] as number);
  }

  /** Sum of the densities the tag's actions in a slot met (0 when no longer kept). */
  slotDensitySum(slot: number): number {
    const at = this.#slotAt(slot);
    return at < 0 ? 0 : (this.#slots[at + 2] as number);
  }

  /** Index of a slot's triple in `#slots`, −1 when not kept (two numbers, no [actions, density] pair per query). */
  #slotAt(slot: number): number {
    const slots = this.#slots;
    for (let i = slots.length - 3; i >= 0; i -= 3) {
      const at = slots[i] as number;
      if (at === slot) return i;
      if (at < slot) break;
    }
    return -1;
  }

  /** The tag's actions in slots from `fromSlot` on. */
  actionsSince(fromSlot: number): number {
    let sum = 0;
    const slots = this.#slots;
    for (let i = slots.length - 3; i >= 0; i -= 3) {
      if ((slots[i] as number) < fromSlot) break;
      sum += slots[i + 1] as number;
    }
    return sum;
  }

  /** The tag's actions in the slots spanning [fromTs, toTs] (slot granularity). */
  actionsBetween(fromTs: number, toTs: number): number {
    const fromSlot = Math.floor(fromTs / this.#limits.slotMs);
    const toSlot = Math.floor(toTs / this.#limits.slotMs);
    let sum = 0;
    const slots = this.#slots;
    for (let i = slots.length - 3; i >= 0; i -= 3) {
      const at = slots[i] as number;
      if (at < fromSlot) break;
      if (at <= toSlot) sum += slots[i + 1] as number;
    }
    return sum;
  }

  /** Drops accounts idle since before `cutoff` (they are at the front of the map). */
  expire(cutoff: number): void {
    for (const [id, account] of this.accounts) {
      if (account.lastTs >= cutoff) break;
      this.accounts.delete(id);
    }
  }

  #dropLeastRecent(): void {
    const first = this.accounts.keys().next();
    if (first.done !== true) this.accounts.delete(first.value);
  }

  /**
   * One row per account, in least-recently-active order:
   * [id, created (s before the base) | null, followers | null, first, last − first, times, reposts, last post]
   * with `first` relative to the checkpoint base, times as deltas from `first`, reposts relative to
   * the base; the tag's slots flattened as [slot before the newest, actions, density, …].
   */
  snapshot(w: CheckpointWriter): AccountBookSnapshot {
    const slots = this.#slots;
    const newest = slots.length > 0 ? (slots[slots.length - 3] as number) : 0;
    // Rows and their lists are made at their final size by plain loops: a checkpoint is written
    // often, and `map` with a closure per account (and `push` growth) doubled what a row costs.
    const accounts = new Array<AccountRow>(this.accounts.size);
    const baseSecond = Math.floor(w.base / 1000);
    let row = 0;
    for (const a of this.accounts.values()) {
      accounts[row++] = [
        w.id(a.id),
        a.createdTs === undefined ? null : baseSecond - a.createdTs / 1000,
        a.followers ?? null,
        w.t(a.firstTs),
        a.lastTs - a.firstTs,
        deltas(a.times, a.firstTs),
        repostRows(a.reposts, w),
        w.post(a.lastPost),
      ];
    }
    const slotTotals: number[] = [];
    for (let i = 0; i < slots.length; i += 3) slotTotals.push(newest - (slots[i] as number), slots[i + 1] as number, slots[i + 2] as number);
    return { newestSlot: newest, accounts, slotTotals };
  }

  restore(state: AccountBookSnapshot, r: CheckpointReader): void {
    this.accounts.clear();
    this.#slots = NO_SLOTS;
    const newest = state.newestSlot;
    const baseSecond = Math.floor(r.base / 1000);
    for (const [id, created, followers, first, lastDelta, times, reposts, lastPost] of state.accounts) {
      const firstTs = r.t(first);
      const record: AccountRecord = {
        id: r.id(id),
        createdTs: created === null ? undefined : (baseSecond - created) * 1000,
        followers: followers ?? undefined,
        firstTs,
        lastTs: firstTs + lastDelta,
        times: undeltas(times, firstTs),
        reposts: reposts.length === 0 ? NO_REPOSTS : reposts.map(([parent, ts, k]) => [r.post(parent), r.t(ts), k]),
        lastPost: r.post(lastPost),
      };
      this.accounts.set(record.id, record);
    }
    this.#slots = unflattenSlots(state.slotTotals, newest);
  }
}

type AccountRow = [
  id: number,
  createdSecondsBefore: number | null,
  followers: number | null,
  first: number,
  lastAfterFirst: number,
  times: number[],
  reposts: Array<[number, number, number]>,
  lastPost: number,
];

export interface AccountBookSnapshot {
  newestSlot: number;
  accounts: AccountRow[];
  slotTotals: number[];
}

function unflattenSlots(flat: readonly number[], newest: number): number[] {
  if (flat.length < 3) return NO_SLOTS;
  const out: number[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) out.push(newest - (flat[i] as number), flat[i + 1] as number, flat[i + 2] as number);
  return out;
}

/**
 * Flat slot triples with [slot, 1, density] appended, the oldest triple dropped beyond `maxSlots`:
 * as `appendBounded`, a new exact-size array below the bound, shifted in place at it.
 */
function appendSlot(slots: number[], slot: number, density: number, maxSlots: number): number[] {
  const n = slots.length;
  if (n >= 3 * maxSlots) {
    for (let i = 3; i < n; i++) slots[i - 3] = slots[i] as number;
    slots[n - 3] = slot;
    slots[n - 2] = 1;
    slots[n - 1] = density;
    // As `appendBounded` does (a list longer than the bound only comes from a checkpoint of other options).
    if (n > 3 * maxSlots) slots.length = 3 * maxSlots;
    return slots;
  }
  const out = new Array<number>(n + 3);
  for (let i = 0; i < n; i++) out[i] = slots[i] as number;
  out[n] = slot;
  out[n + 1] = 1;
  out[n + 2] = density;
  return out;
}

/** Account creation times are kept to the second (what platforms publish): a checkpoint writes ages in seconds. */
function toSeconds(ts: number | undefined): number | undefined {
  return ts === undefined ? undefined : Math.floor(ts / 1000) * 1000;
}

/** Ascending times as gaps, the first from `origin`. */
function deltas(times: readonly number[], origin: number): number[] {
  const out = new Array<number>(times.length);
  let previous = origin;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    out[i] = t - previous;
    previous = t;
  }
  return out;
}

/** An account's reposts as checkpoint rows: [reposted post index, time before the base, co-reposters]. */
function repostRows(reposts: ReadonlyArray<readonly [string, number, number]>, w: CheckpointWriter): Array<[number, number, number]> {
  const out = new Array<[number, number, number]>(reposts.length);
  for (let i = 0; i < reposts.length; i++) {
    const [parent, ts, k] = reposts[i] as readonly [string, number, number];
    out[i] = [w.post(parent), w.t(ts), k];
  }
  return out;
}

function undeltas(encoded: readonly number[], origin: number): number[] {
  let previous = origin;
  return encoded.map((d) => (previous += d));
}

/**
 * `list` with `value` appended, the oldest dropped beyond `max`. Below `max` the result is a new
 * array of the exact size (a push would reserve 16 spare slots in each of thousands of short
 * histories); a full list is shifted in place.
 */
function appendBounded<T>(list: T[], value: T, max: number): T[] {
  const n = list.length;
  if (n >= max) {
    for (let i = 1; i < n; i++) list[i - 1] = list[i] as T;
    list[n - 1] = value;
    if (n > max) list.length = max;
    return list;
  }
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i] as T;
  out[n] = value;
  return out;
}
