import type { Post } from '../../model/index.ts';
import { RecentDeletions } from './recent-deletions.ts';
import type { WriterContext } from './types.ts';

/**
 * The most recent account deletions (platform + author id → deleted-at ms), loaded once from
 * `account_deletions`: a post of a deleted account created up to that time is written redacted,
 * also when it arrives later. Past `capacity` accounts, the post writer also checks the table in SQL.
 */
export class AccountDeletionState {
  readonly recent: RecentDeletions;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.recent = new RecentDeletions(capacity);
  }

  /** When the post's account was deleted, if that deletion covers the post (created at or before it). */
  covering(post: Post): number | undefined {
    const at = this.recent.get(post.platform, post.author.id);
    return at !== undefined && post.ts <= at ? at : undefined;
  }

  async load(ctx: WriterContext): Promise<void> {
    // A store opened with only some migrations (tests of the core store) has no such table.
    const [exists] = await ctx.store.query<{ n: number }>(
      `SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = 'account_deletions'`,
      { db: ctx.store.database },
    );
    if (Number(exists?.n ?? 0) === 0) return;
    const table = ctx.store.table('account_deletions');
    const [total] = await ctx.store.query<{ n: number }>(`SELECT count() AS n FROM ${table} FINAL`);
    const rows = await ctx.store.query<{ platform: string; author_id: string; at: number }>(
      `SELECT platform, author_id, toUnixTimestamp64Milli(deleted_at) AS at FROM ${table} FINAL ORDER BY deleted_at DESC LIMIT {limit:UInt64}`,
      { limit: this.#capacity },
    );
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i];
      if (row !== undefined) this.recent.add(row.platform, row.author_id, Number(row.at));
    }
    if (Number(total?.n ?? 0) > this.#capacity) this.recent.markOverflowed();
    ctx.log.debug({ loaded: rows.length, total: Number(total?.n ?? 0) }, 'recent account deletions loaded');
  }
}
