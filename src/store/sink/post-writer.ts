import type { BusRecord } from '../../bus/index.ts';
import { Streams } from '../../bus/index.ts';
import type { Post } from '../../model/index.ts';
import { dateTime64 } from './clickhouse-values.ts';
import type { PostDeletionState } from './post-deletion-state.ts';
import { POST_COLUMNS, REDACTED_POST_SELECT, redactPostRow, toPostRow } from './post-rows.ts';
import type { PendingRow } from './table-inserter.ts';
import type { RejectedRecord, StreamWriter, WriteOutcome, WriterContext } from './types.ts';

/**
 * `accepted` → `posts`. A post whose deletion (or its account's, covering it) is already known is
 * written redacted. When more deletions exist than memory holds, the batch is also checked
 * against `post_deletions` (and `account_deletions`) in SQL.
 */
export class PostWriter implements StreamWriter {
  readonly stream = Streams.accepted;
  readonly tables = ['posts'] as const;
  readonly writeGroup = 'posts';
  readonly #deletions: PostDeletionState;

  constructor(deletions: PostDeletionState) {
    this.#deletions = deletions;
  }

  open(ctx: WriterContext): Promise<void> {
    return this.#deletions.load(ctx);
  }

  async write(records: ReadonlyArray<BusRecord>, ctx: WriterContext): Promise<WriteOutcome> {
    const ingestedAt = ctx.now();
    const rows: PendingRow[] = [];
    const rejected: RejectedRecord[] = [];
    const recent = this.#deletions.recent;
    const accounts = this.#deletions.accounts;
    records.forEach((record, index) => {
      try {
        const post = record.value as Post;
        const row = toPostRow(post, ingestedAt);
        const deletedAt = recent.get(post.platform, post.id) ?? accounts.covering(post);
        rows.push({ row: deletedAt === undefined ? row : redactPostRow(row, deletedAt), index });
      } catch (err) {
        rejected.push({ index, err });
      }
    });
    const outcome = await ctx.inserter.insert('posts', rows);
    if (recent.overflowed && outcome.written > 0) await redactKnownDeletions(ctx, ingestedAt);
    if (accounts.recent.overflowed && outcome.written > 0) await redactKnownAccountDeletions(ctx, ingestedAt);
    return { rows: { posts: outcome.written }, rejected: [...rejected, ...outcome.rejected] };
  }
}

/** Redacts the posts of this write (same `ingested_at`) whose deletion is in `post_deletions`. */
async function redactKnownDeletions(ctx: WriterContext, ingestedAt: number): Promise<void> {
  const posts = ctx.store.table('posts');
  await ctx.store.command(
    `INSERT INTO ${posts} (${POST_COLUMNS.join(', ')})
     SELECT ${REDACTED_POST_SELECT}
     FROM ${posts} AS p
     INNER JOIN ${ctx.store.table('post_deletions')} AS d ON p.platform = d.platform AND p.id = d.id
     WHERE p.ingested_at = {at:DateTime64(3, 'UTC')} AND p.deleted = 0`,
    { at: dateTime64(ingestedAt, 'ingestedAt') },
  );
}

/** Redacts the posts of this write whose account was deleted after they were created (`account_deletions`). */
async function redactKnownAccountDeletions(ctx: WriterContext, ingestedAt: number): Promise<void> {
  const posts = ctx.store.table('posts');
  await ctx.store.command(
    `INSERT INTO ${posts} (${POST_COLUMNS.join(', ')})
     SELECT ${REDACTED_POST_SELECT}
     FROM ${posts} AS p
     INNER JOIN (SELECT platform, author_id, max(deleted_at) AS deleted_at FROM ${ctx.store.table('account_deletions')} GROUP BY platform, author_id) AS d
       ON p.platform = d.platform AND p.author_id = d.author_id
     WHERE p.ingested_at = {at:DateTime64(3, 'UTC')} AND p.deleted = 0 AND p.created_at <= d.deleted_at`,
    { at: dateTime64(ingestedAt, 'ingestedAt') },
  );
}
