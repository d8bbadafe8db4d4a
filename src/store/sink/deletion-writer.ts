import type { BusRecord } from '../../bus/index.ts';
import { Streams } from '../../bus/index.ts';
import type { Deletion } from '../../model/index.ts';
import { postKey } from '../../model/index.ts';
import { toAccountDeletionRow } from './account-deletion-rows.ts';
import { toDeletionRow } from './deletion-rows.ts';
import type { PostDeletionState } from './post-deletion-state.ts';
import { POST_COLUMNS, REDACTED_POST_SELECT } from './post-rows.ts';
import type { PendingRow } from './table-inserter.ts';
import type { RejectedRecord, StreamWriter, WriteOutcome, WriterContext } from './types.ts';

/** Keys per redaction statement: parameters travel in the URL of a server request. */
const REDACT_CHUNK = 1_000;
/** Accounts per redaction statement when each adds a `startsWith` condition. */
const PREFIXED_ACCOUNT_CHUNK = 100;

/**
 * Platforms whose post ids begin with the author id. `author_id` is not in the key of `posts`, so
 * redacting an account scans the table; an id prefix lets the primary key `(platform, id)` find
 * the account's posts instead (measured on a million posts, embedded: a batch of 10 account
 * redactions took 0.9–1.9 s by author id alone, 0.2–0.8 s with the prefix).
 */
const POST_ID_PREFIX: Readonly<Record<string, (authorId: string) => string>> = {
  // AT URIs: at://<did>/<collection>/<rkey>
  bluesky: (did) => `at://${did}/`,
};

/**
 * `deletions` → `post_deletions`, then the deleted posts already stored are re-written redacted
 * with a higher version (ReplacingMergeTree keeps that one). A deletion whose post has not arrived
 * yet is remembered, and the post writer redacts the post when it comes.
 *
 * Account deletions (`scope: 'account'`) → `account_deletions`; the account's stored posts created
 * up to the deletion are re-written redacted, and the account is remembered for posts arriving later.
 */
export class DeletionWriter implements StreamWriter {
  readonly stream = Streams.deletions;
  readonly tables = ['post_deletions', 'account_deletions', 'posts'] as const;
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
    const accountRows: PendingRow[] = [];
    const rejected: RejectedRecord[] = [];
    records.forEach((record, index) => {
      try {
        const deletion = record.value as Deletion;
        if (deletion.scope === 'account') accountRows.push({ row: toAccountDeletionRow(deletion), index });
        else rows.push({ row: toDeletionRow(deletion), index });
      } catch (err) {
        rejected.push({ index, err });
      }
    });
    const accounts = await this.#writeAccountDeletions(records, accountRows, ctx);
    const outcome = await ctx.inserter.insert('post_deletions', rows);
    const latest = latestRecorded(records, rows, outcome.rejected);
    for (const deletion of latest.values()) this.#deletions.recent.add(deletion.platform, deletion.id, deletion.at);
    const all = [...latest.values()];
    for (let start = 0; start < all.length; start += REDACT_CHUNK) await redactStoredPosts(ctx, all.slice(start, start + REDACT_CHUNK));
    return {
      rows: { post_deletions: outcome.written, ...(accountRows.length > 0 ? { account_deletions: accounts.written } : {}) },
      rejected: [...rejected, ...accounts.rejected, ...outcome.rejected],
    };
  }

  async #writeAccountDeletions(records: ReadonlyArray<BusRecord>, rows: PendingRow[], ctx: WriterContext): Promise<{ written: number; rejected: RejectedRecord[] }> {
    if (rows.length === 0) return { written: 0, rejected: [] };
    const outcome = await ctx.inserter.insert('account_deletions', rows);
    const latest = latestRecorded(records, rows, outcome.rejected);
    const recent = this.#deletions.accounts.recent;
    for (const deletion of latest.values()) {
      const known = recent.get(deletion.platform, deletion.id);
      // A redelivered older deletion must not shrink what a later one covers.
      if (known === undefined || known < deletion.at) recent.add(deletion.platform, deletion.id, deletion.at);
    }
    const all = [...latest.values()];
    const prefixed = all.filter((d) => POST_ID_PREFIX[d.platform] !== undefined);
    const others = all.filter((d) => POST_ID_PREFIX[d.platform] === undefined);
    for (let start = 0; start < prefixed.length; start += PREFIXED_ACCOUNT_CHUNK) {
      await redactAccountPosts(ctx, prefixed.slice(start, start + PREFIXED_ACCOUNT_CHUNK), true);
    }
    for (let start = 0; start < others.length; start += REDACT_CHUNK) await redactAccountPosts(ctx, others.slice(start, start + REDACT_CHUNK), false);
    return outcome;
  }
}

/** The latest deletion per (platform, id) — post or account — among the rows the table accepted. */
function latestRecorded(records: ReadonlyArray<BusRecord>, rows: readonly PendingRow[], rejected: readonly RejectedRecord[]): Map<string, Deletion> {
  const refused = new Set(rejected.map((r) => r.index));
  const latest = new Map<string, Deletion>();
  for (const { index } of rows) {
    if (refused.has(index)) continue;
    const deletion = records[index]?.value as Deletion;
    const key = postKey(deletion.platform, deletion.id);
    const seen = latest.get(key);
    if (seen === undefined || seen.at < deletion.at) latest.set(key, deletion);
  }
  return latest;
}

/**
 * Re-writes redacted the stored posts of deleted accounts created up to each deletion. Reads
 * `FINAL` so a post already redacted (by its own deletion) keeps its own deletion time.
 */
async function redactAccountPosts(ctx: WriterContext, deletions: readonly Deletion[], byIdPrefix: boolean): Promise<void> {
  const posts = ctx.store.table('posts');
  const keys = `arrayJoin(arrayZip({platforms:Array(String)}, {authors:Array(String)}, {times:Array(DateTime64(3, 'UTC'))}))`;
  const prefixes: Record<string, string> = {};
  if (byIdPrefix) deletions.forEach((d, i) => (prefixes[`prefix${i}`] = POST_ID_PREFIX[d.platform]?.(d.id) ?? ''));
  const prefixCondition = byIdPrefix ? ` AND (${Object.keys(prefixes).map((name) => `startsWith(p.id, {${name}:String})`).join(' OR ')})` : '';
  await ctx.store.command(
    `INSERT INTO ${posts} (${POST_COLUMNS.join(', ')})
     SELECT ${REDACTED_POST_SELECT}
     FROM ${posts} AS p FINAL
     INNER JOIN (SELECT k.1 AS platform, k.2 AS author_id, k.3 AS deleted_at FROM (SELECT ${keys} AS k)) AS d
       ON p.platform = d.platform AND p.author_id = d.author_id
     WHERE p.deleted = 0 AND p.created_at <= d.deleted_at AND (p.platform, p.author_id) IN (SELECT k.1, k.2 FROM (SELECT ${keys} AS k))${prefixCondition}`,
    {
      platforms: deletions.map((d) => d.platform),
      authors: deletions.map((d) => d.id),
      times: deletions.map((d) => toAccountDeletionRow(d)['deleted_at']),
      ...prefixes,
    },
  );
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
