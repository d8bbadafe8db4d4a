import type { BusRecord } from '../../bus/index.ts';
import { Streams } from '../../bus/index.ts';
import type { Deletion } from '../../model/index.ts';
import { postKey } from '../../model/index.ts';
import { toDeletionRow } from './deletion-rows.ts';
import type { PostDeletionState } from './post-deletion-state.ts';
import { POST_COLUMNS, REDACTED_POST_SELECT } from './post-rows.ts';
import type { PendingRow } from './table-inserter.ts';
import type { RejectedRecord, StreamWriter, WriteOutcome, WriterContext } from './types.ts';

/** Keys per redaction statement: parameters travel in the URL of a server request. */
const REDACT_CHUNK = 1_000;

/**
 * `deletions` → `post_deletions`, then the deleted posts already stored are re-written redacted
 * with a higher version (ReplacingMergeTree keeps that one). A deletion whose post has not arrived
 * yet is remembered, and the post writer redacts the post when it comes.
 */
export class DeletionWriter implements StreamWriter {
  readonly stream = Streams.deletions;
  readonly tables = ['post_deletions', 'posts'] as const;
  readonly writeGroup = 'posts';
  readonly #deletions: PostDeletionState;

  constructor(deletions: PostDeletionState) {
    this.#deletions = deletions;
  }

  open(ctx: WriterContext): Promise<void> {
    return this.#deletions.load(ctx);
  }

  async write(records: ReadonlyArray<BusRecord>, ctx: WriterContext): Promise<WriteOutcome> {
    const rows: PendingRow[] = [];
    const rejected: RejectedRecord[] = [];
    records.forEach((record, index) => {
      try {
        rows.push({ row: toDeletionRow(record.value as Deletion), index });
      } catch (err) {
        rejected.push({ index, err });
      }
    });
    const outcome = await ctx.inserter.insert('post_deletions', rows);
    const refused = new Set(outcome.rejected.map((r) => r.index));
    // The latest deletion per post, among those recorded.
    const latest = new Map<string, Deletion>();
    for (const { index } of rows) {
      if (refused.has(index)) continue;
      const deletion = records[index]?.value as Deletion;
      const key = postKey(deletion.platform, deletion.id);
      const seen = latest.get(key);
      if (seen === undefined || seen.at < deletion.at) latest.set(key, deletion);
    }
    for (const deletion of latest.values()) this.#deletions.recent.add(deletion.platform, deletion.id, deletion.at);
    const all = [...latest.values()];
    for (let start = 0; start < all.length; start += REDACT_CHUNK) await redactStoredPosts(ctx, all.slice(start, start + REDACT_CHUNK));
    return { rows: { post_deletions: outcome.written }, rejected: [...rejected, ...outcome.rejected] };
  }
}

async function redactStoredPosts(ctx: WriterContext, deletions: readonly Deletion[]): Promise<void> {
  const posts = ctx.store.table('posts');
  const keys = `arrayJoin(arrayZip({platforms:Array(String)}, {ids:Array(String)}, {times:Array(DateTime64(3, 'UTC'))}))`;
  await ctx.store.command(
    `INSERT INTO ${posts} (${POST_COLUMNS.join(', ')})
     SELECT ${REDACTED_POST_SELECT}
     FROM ${posts} AS p
     INNER JOIN (SELECT k.1 AS platform, k.2 AS id, k.3 AS deleted_at FROM (SELECT ${keys} AS k)) AS d
       ON p.platform = d.platform AND p.id = d.id
     WHERE p.deleted = 0 AND (p.platform, p.id) IN (SELECT k.1, k.2 FROM (SELECT ${keys} AS k))`,
    {
      platforms: deletions.map((d) => d.platform),
      ids: deletions.map((d) => d.id),
      times: deletions.map((d) => toDeletionRow(d)['deleted_at']),
    },
  );
}
