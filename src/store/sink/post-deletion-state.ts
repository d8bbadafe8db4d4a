import { AccountDeletionState } from './account-deletion-state.ts';
import { RecentDeletions } from './recent-deletions.ts';
import type { WriterContext } from './types.ts';

/**
 * Deletions shared by the posts writer (redact a post whose deletion came first) and the
 * deletions writer (remember each one). Loaded once from `post_deletions`, most recent first.
 */
export class PostDeletionState {
  readonly recent: RecentDeletions;
  /** Deleted, suspended or taken-down accounts (same capacity). */
  readonly accounts: AccountDeletionState;
  readonly #capacity: number;
  #loaded: Promise<void> | undefined;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.recent = new RecentDeletions(capacity);
    this.accounts = new AccountDeletionState(capacity);
  }

  load(ctx: WriterContext): Promise<void> {
    this.#loaded ??= this.#load(ctx).catch((err: unknown) => {
      this.#loaded = undefined;
      throw err;
    });
    return this.#loaded;
  }

  async #load(ctx: WriterContext): Promise<void> {
    const table = ctx.store.table('post_deletions');
    const [total] = await ctx.store.query<{ n: number }>(`SELECT count() AS n FROM ${table}`);
    const rows = await ctx.store.query<{ platform: string; id: string; at: number }>(
      `SELECT platform, id, toUnixTimestamp64Milli(deleted_at) AS at FROM ${table} ORDER BY deleted_at DESC LIMIT {limit:UInt64}`,
      { limit: this.#capacity },
    );
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i];
      if (row !== undefined) this.recent.add(row.platform, row.id, Number(row.at));
    }
    if (Number(total?.n ?? 0) > this.#capacity) this.recent.markOverflowed();
    ctx.log.debug({ loaded: rows.length, total: Number(total?.n ?? 0) }, 'recent post deletions loaded');
    await this.accounts.load(ctx);
  }
}
