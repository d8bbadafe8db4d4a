import type { Post } from '../../model/index.ts';
import type { AccountRecord } from './types.ts';

export interface AccountBookLimits {
  maxAccounts: number;
  cadenceSamples: number;
  /** Co-activity slots kept per account. */
  maxSlots: number;
  slotMs: number;
}

const SAMPLE_POSTS = 3;

/**
 * The accounts seen on one tag with what the signals need about them, least recently active
 * dropped first once `maxAccounts` is reached. Also keeps the tag's action count per slot, the
 * denominator of the co-activity null model.
 */
export class AccountBook {
  readonly accounts = new Map<string, AccountRecord>();
  /** [slot, actions, density sum] of the tag, oldest first. */
  readonly slotTotals: Array<[number, number, number]> = [];
  readonly #limits: AccountBookLimits;

  constructor(limits: AccountBookLimits) {
    this.#limits = limits;
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
        createdTs: post.author.createdTs,
        followers: post.author.followers,
        firstTs: post.ts,
        lastTs: post.ts,
        actions: 0,
        recentTs: [],
        samplePosts: [],
        slots: [],
      };
      if (this.accounts.size >= this.#limits.maxAccounts) this.#dropLeastRecent();
    } else {
      // Re-inserting keeps the map in least-recently-active order.
      this.accounts.delete(id);
      if (post.author.createdTs !== undefined) account.createdTs = post.author.createdTs;
      if (post.author.followers !== undefined) account.followers = post.author.followers;
    }
    this.accounts.set(id, account);
    account.lastTs = post.ts;
    account.actions++;
    pushBounded(account.recentTs, post.ts, this.#limits.cadenceSamples);
    pushBounded(account.samplePosts, key, SAMPLE_POSTS);
    const slot = Math.floor(post.ts / this.#limits.slotMs);
    const last = account.slots[account.slots.length - 1];
    if (last !== undefined && last[0] === slot) {
      last[1]++;
      last[2] += density;
    } else {
      account.slots.push([slot, 1, density]);
      if (account.slots.length > this.#limits.maxSlots) account.slots.shift();
    }
    const total = this.slotTotals[this.slotTotals.length - 1];
    if (total !== undefined && total[0] === slot) {
      total[1]++;
      total[2] += density;
    } else {
      this.slotTotals.push([slot, 1, density]);
      if (this.slotTotals.length > this.#limits.maxSlots) this.slotTotals.shift();
    }
    return account;
  }

  /** Actions of the tag in a slot and the sum of the densities they met ([0, 0] when no longer kept). */
  slotTotal(slot: number): [number, number] {
    for (let i = this.slotTotals.length - 1; i >= 0; i--) {
      const entry = this.slotTotals[i] as [number, number, number];
      if (entry[0] === slot) return [entry[1], entry[2]];
      if (entry[0] < slot) break;
    }
    return [0, 0];
  }

  /** The tag's actions in slots from `fromSlot` on. */
  actionsSince(fromSlot: number): number {
    let sum = 0;
    for (let i = this.slotTotals.length - 1; i >= 0; i--) {
      const entry = this.slotTotals[i] as [number, number, number];
      if (entry[0] < fromSlot) break;
      sum += entry[1];
    }
    return sum;
  }

  /** The tag's actions in the slots spanning [fromTs, toTs] (slot granularity). */
  actionsBetween(fromTs: number, toTs: number): number {
    const fromSlot = Math.floor(fromTs / this.#limits.slotMs);
    const toSlot = Math.floor(toTs / this.#limits.slotMs);
    let sum = 0;
    for (let i = this.slotTotals.length - 1; i >= 0; i--) {
      const entry = this.slotTotals[i] as [number, number, number];
      if (entry[0] < fromSlot) break;
      if (entry[0] <= toSlot) sum += entry[1];
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

  snapshot(): AccountBookSnapshot {
    return structuredClone({ accounts: [...this.accounts.values()], slotTotals: this.slotTotals });
  }

  restore(state: AccountBookSnapshot): void {
    this.accounts.clear();
    for (const account of structuredClone(state.accounts)) this.accounts.set(account.id, account);
    this.slotTotals.length = 0;
    for (const [slot, n, d] of state.slotTotals) this.slotTotals.push([slot, n, d]);
  }
}

export interface AccountBookSnapshot {
  accounts: AccountRecord[];
  slotTotals: Array<[number, number, number]>;
}

function pushBounded<T>(list: T[], value: T, max: number): void {
  list.push(value);
  if (list.length > max) list.shift();
}
