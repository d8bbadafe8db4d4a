import { cascadeFigures } from './cascade-figures.ts';
import { WEB_READ_SETTINGS, type StoreReader } from './store-rows.ts';
import type { TagSpread } from './types.ts';

/** Posts read to build a tag's cascades; beyond this the figures cover the earliest posts only. */
const MAX_CASCADE_POSTS = 500_000;

/**
 * Spread figures of a tag computed from `posts` (used when the analyze stage's live state is not
 * in this process): totals, time to 100 and 1,000 posts, the first ten posters, the ten most
 * frequent co-occurring tags and cascade figures.
 */
export async function querySpread(store: StoreReader, tag: string): Promise<TagSpread | null> {
  const posts = store.table('posts');
  const totals = await store.query<Record<string, unknown>>(
    `SELECT count() AS n, uniqExact(author_id) AS authors, toUnixTimestamp64Milli(min(created_at)) AS first
     FROM ${posts} WHERE has(tags, {tag:String})`,
    { tag },
    WEB_READ_SETTINGS,
  );
  const total = Number(totals[0]?.['n'] ?? 0);
  if (total === 0) return null;
  const first = Number(totals[0]?.['first']);
  const nth = async (n: number): Promise<number | null> => {
    if (total < n) return null;
    const rows = await store.query<{ ts: number }>(
      `SELECT toUnixTimestamp64Milli(created_at) AS ts FROM ${posts} WHERE has(tags, {tag:String})
       ORDER BY created_at, platform, id LIMIT 1 OFFSET {offset:UInt64}`,
      { tag, offset: n - 1 },
      WEB_READ_SETTINGS,
    );
    return rows[0] === undefined ? null : Number(rows[0].ts) - first;
  };
  const firstPosters = await store.query<Record<string, unknown>>(
    `SELECT author_id, argMin(author_handle, (created_at, id)) AS handle, argMin(id, (created_at, id)) AS post_id,
            toUnixTimestamp64Milli(min(created_at)) AS ts
     FROM ${posts} WHERE has(tags, {tag:String})
     GROUP BY author_id ORDER BY ts, author_id LIMIT 10`,
    { tag },
    WEB_READ_SETTINGS,
  );
  const coTags = await store.query<{ tag: string; n: number }>(
    `SELECT co AS tag, count() AS n FROM ${posts} ARRAY JOIN tags AS co
     WHERE has(tags, {tag:String}) AND co != {tag:String}
     GROUP BY co ORDER BY n DESC, co LIMIT 10`,
    { tag },
    WEB_READ_SETTINGS,
  );
  const links = await store.query<{ id: string; parent_id: string }>(
    `SELECT id, parent_id FROM ${posts} WHERE has(tags, {tag:String})
     ORDER BY created_at, id LIMIT {limit:UInt32}`,
    { tag, limit: MAX_CASCADE_POSTS },
    WEB_READ_SETTINGS,
  );
  return {
    tag,
    source: 'store',
    totalPosts: total,
    uniqueAuthors: Number(totals[0]?.['authors'] ?? 0),
    firstPost: first,
    timeTo100Ms: await nth(100),
    timeTo1000Ms: await nth(1000),
    firstPosters: firstPosters.map((r) => {
      const handle = String(r['handle'] ?? '');
      return { authorId: String(r['author_id']), handle: handle === '' ? null : handle, postId: String(r['post_id']), ts: Number(r['ts']) };
    }),
    coTags: coTags.map((r) => ({ tag: r.tag, count: Number(r.n) })),
    cascades: cascadeFigures(links.map((l) => ({ id: l.id, parentId: l.parent_id }))),
  };
}
