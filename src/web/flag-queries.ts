import type { Flag } from '../model/index.ts';
import { summarizeFlag } from './flag-summary.ts';
import { flagColumns, ms64, SAMPLE_POST_COLUMNS, toFlag, toSamplePost, WEB_READ_SETTINGS, type StoreReader } from './store-rows.ts';
import type { FlagEvidence, FlagsQuery, FlagSummary, ImplicatedAccount, SamplePost } from './types.ts';

/** Accounts detailed with a flag's evidence (a flag may implicate thousands). */
const MAX_ACCOUNTS = 500;

/**
 * Flags, newest first. The WHERE clause is assembled from fixed fragments, one per filter
 * present; every value is a bound parameter.
 */
export async function queryFlags(store: StoreReader, q: FlagsQuery): Promise<FlagSummary[]> {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit, offset: q.offset ?? 0 };
  if (q.kind !== undefined) {
    where.push('kind = {kind:String}');
    params['kind'] = q.kind;
  }
  if (q.tag !== undefined) {
    where.push('tag = {tag:String}');
    params['tag'] = q.tag;
  }
  if (q.minScore !== undefined) {
    where.push('score >= {minScore:Float64}');
    params['minScore'] = q.minScore;
  }
  if (q.from !== undefined) {
    where.push(`detected_at >= ${ms64('from')}`);
    params['from'] = q.from;
  }
  if (q.to !== undefined) {
    where.push(`detected_at <= ${ms64('to')}`);
    params['to'] = q.to;
  }
  if (q.after !== undefined) {
    where.push(`(detected_at < ${ms64('afterTs')} OR (detected_at = ${ms64('afterTs')} AND flag_id < {afterId:String}))`);
    params['afterTs'] = q.after.detectedAt;
    params['afterId'] = q.after.flagId;
  }
  const rows = await store.query(
    `SELECT ${flagColumns()} FROM ${store.table('flags')}
     ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
     ORDER BY detected_at DESC, flag_id DESC
     LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params,
    WEB_READ_SETTINGS,
  );
  return rows.map((row) => summarizeFlag(toFlag(row)));
}

export async function queryFlag(store: StoreReader, flagId: string): Promise<Flag | null> {
  const rows = await store.query(
    `SELECT ${flagColumns()} FROM ${store.table('flags')} WHERE flag_id = {flagId:String} ORDER BY revision DESC LIMIT 1`,
    { flagId },
    WEB_READ_SETTINGS,
  );
  return rows.length === 0 ? null : toFlag(rows[0]);
}

/** Flags updated at or after `since`, oldest first. */
export async function queryFlagsSince(store: StoreReader, since: number, limit: number): Promise<Flag[]> {
  const rows = await store.query(
    `SELECT ${flagColumns()} FROM ${store.table('flags')}
     WHERE detected_at >= ${ms64('since')}
     ORDER BY detected_at, flag_id LIMIT {limit:UInt32}`,
    { since, limit },
    WEB_READ_SETTINGS,
  );
  return rows.map(toFlag);
}

/**
 * The accounts a flag implicates, with what each posted on the tag during the flag's window, and
 * its sample posts (the flag's `post_ids`, else the window's first posts by its authors).
 */
export async function queryEvidence(store: StoreReader, flag: Flag, samplePosts: number): Promise<Omit<FlagEvidence, 'flag' | 'evidence'>> {
  const authors = flag.authors.slice(0, MAX_ACCOUNTS);
  const window = { tag: flag.tag, from: flag.windowStart, to: flag.windowEnd };
  const accountRows =
    authors.length === 0
      ? []
      : await store.query<Record<string, unknown>>(
          `SELECT author_id,
                  argMax(author_handle, created_at) AS handle,
                  max(author_followers) AS followers,
                  toUnixTimestamp64Milli(min(author_created_at)) AS account_created,
                  countIf(created_at >= ${ms64('from')} AND created_at <= ${ms64('to')}) AS posts,
                  toUnixTimestamp64Milli(min(created_at)) AS first_post,
                  toUnixTimestamp64Milli(max(created_at)) AS last_post
           FROM ${store.table('posts')}
           WHERE author_id IN {authors:Array(String)} AND has(tags, {tag:String})
           GROUP BY author_id`,
          { ...window, authors },
          WEB_READ_SETTINGS,
        );
  const byAuthor = new Map(accountRows.map((r) => [String(r['author_id']), r]));
  const accounts: ImplicatedAccount[] = authors.map((authorId) => {
    const r = byAuthor.get(authorId);
    if (r === undefined) return { authorId, handle: null, followers: null, accountCreated: null, posts: 0, firstPost: null, lastPost: null };
    const handle = String(r['handle'] ?? '');
    return {
      authorId,
      handle: handle === '' ? null : handle,
      followers: nullableNumber(r['followers']),
      accountCreated: nullableNumber(r['account_created']),
      posts: Number(r['posts']),
      firstPost: nullableNumber(r['first_post']),
      lastPost: nullableNumber(r['last_post']),
    };
  });
  accounts.sort((a, b) => b.posts - a.posts || (a.authorId < b.authorId ? -1 : 1));
  return { accounts, samplePosts: await samplePostsOf(store, flag, authors, samplePosts) };
}

async function samplePostsOf(store: StoreReader, flag: Flag, authors: string[], limit: number): Promise<SamplePost[]> {
  if (flag.postIds.length > 0) {
    const wanted = flag.postIds.slice(0, limit);
    // Detectors name posts by `platform:id` (postKey) or by bare id; match either.
    const ids = [...new Set(wanted.flatMap((key) => [key, key.slice(key.indexOf(':') + 1)]))];
    const rows = await store.query(
      `SELECT ${SAMPLE_POST_COLUMNS} FROM ${store.table('posts')} WHERE id IN {ids:Array(String)}`,
      { ids },
      WEB_READ_SETTINGS,
    );
    const posts = rows.map(toSamplePost);
    const rank = new Map(wanted.map((key, i) => [key, i]));
    const position = (p: SamplePost): number => rank.get(`${p.platform}:${p.id}`) ?? rank.get(p.id) ?? Number.POSITIVE_INFINITY;
    const found = posts.filter((p) => Number.isFinite(position(p))).sort((a, b) => position(a) - position(b));
    if (found.length > 0) return found;
  }
  const rows = await store.query(
    `SELECT ${SAMPLE_POST_COLUMNS} FROM ${store.table('posts')}
     WHERE has(tags, {tag:String}) AND created_at >= ${ms64('from')} AND created_at <= ${ms64('to')}
       ${authors.length > 0 ? 'AND author_id IN {authors:Array(String)}' : ''}
     ORDER BY created_at, platform, id LIMIT {limit:UInt32}`,
    { tag: flag.tag, from: flag.windowStart, to: flag.windowEnd, authors, limit },
    WEB_READ_SETTINGS,
  );
  return rows.map(toSamplePost);
}

function nullableNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
