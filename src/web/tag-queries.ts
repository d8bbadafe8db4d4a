import { FlagKinds, type TagMinute } from '../model/index.ts';
import { summarizeFlag } from './flag-summary.ts';
import { flagColumns, MINUTE_COLUMNS, ms64, sec, toFlag, toTagMinute, WEB_READ_SETTINGS, type StoreReader } from './store-rows.ts';
import { SeriesResolutions, TagRankings, type FlagBadge, type SeriesQuery, type StoreStatus, type TagRanking, type TagSeries, type TopTags, type TopTagsQuery } from './types.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Default span of a series when the request gives no `from`, per resolution. */
const DEFAULT_SPAN_MS = { minute: 24 * HOUR_MS, hour: 14 * 24 * HOUR_MS } as const;
/** …but it starts this long before the tag's first minute when the tag is younger than that. */
const LEAD_IN_MS = { minute: 15 * MINUTE_MS, hour: 2 * HOUR_MS } as const;

/**
 * The ORDER BY expression per ranking. Only these constants ever reach the SQL text; the
 * request picks one by name after zod validated it.
 */
const RANK_EXPRESSIONS: Record<TagRanking, string> = {
  [TagRankings.velocity]: 'velocity',
  [TagRankings.zscore]: 'zscore',
  [TagRankings.authors]: 'unique_authors',
  [TagRankings.coordination]: 'coordination',
};

export async function queryStatus(store: StoreReader): Promise<StoreStatus> {
  const rows = await store.query<{ latest_minute: number | string; minutes: number | string; latest_flag: number | string; flags: number | string }>(
    `SELECT
       (SELECT toUnixTimestamp(max(minute)) * 1000 FROM ${store.table('tag_minute')}) AS latest_minute,
       (SELECT count() FROM ${store.table('tag_minute')}) AS minutes,
       (SELECT toUnixTimestamp64Milli(max(detected_at)) FROM ${store.table('flags')}) AS latest_flag,
       (SELECT count() FROM ${store.table('flags')}) AS flags`,
    {},
    WEB_READ_SETTINGS,
  );
  const row = rows[0];
  if (row === undefined) return { latestMinute: null, latestFlag: null };
  return {
    latestMinute: Number(row.minutes) === 0 ? null : Number(row.latest_minute),
    latestFlag: Number(row.flags) === 0 ? null : Number(row.latest_flag),
  };
}

/**
 * Tags ranked over the window (at − windowMinutes, at]: window totals from `tag_minute`,
 * distinct authors from `posts`, the coordination score from `flags`, and the latest minute's
 * velocity and z-score.
 */
export async function queryTopTags(store: StoreReader, q: TopTagsQuery, at: number | null): Promise<TopTags> {
  const empty: TopTags = { at, windowMinutes: q.windowMinutes, rank: q.rank, tags: [] };
  if (at === null) return empty;
  const hi = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  const lo = hi - (q.windowMinutes - 1) * MINUTE_MS;
  // At the newest minute, flags the sink wrote ahead of their minutes' rows still count.
  const params = { lo, hi, hiEnd: hi + MINUTE_MS, limit: q.limit, coordinated: FlagKinds.coordinated, latest: q.at === undefined ? 1 : 0 };
  const rows = await store.query<Record<string, unknown>>(
    `SELECT m.tag AS tag, m.w_posts AS posts, m.w_last_posts AS last_posts, m.w_velocity AS velocity, m.w_zscore AS zscore,
            m.w_young_posts AS young_posts, m.w_last_minute AS last_minute, m.w_points AS points,
            a.w_authors AS unique_authors, c.w_coordination AS coordination
     FROM (
       SELECT tag, sum(posts) AS w_posts, argMax(posts, minute) AS w_last_posts, argMax(velocity, minute) AS w_velocity,
              argMax(zscore, minute) AS w_zscore, sum(young_posts) AS w_young_posts,
              toUnixTimestamp(max(minute)) * 1000 AS w_last_minute,
              groupArray((toUnixTimestamp(minute) * 1000, posts)) AS w_points
       FROM ${store.table('tag_minute')}
       WHERE minute >= ${sec('lo')} AND minute <= ${sec('hi')}
       GROUP BY tag
     ) AS m
     LEFT JOIN (
       SELECT tag, uniqExact(author_id) AS w_authors
       FROM ${store.table('posts')} ARRAY JOIN tags AS tag
       WHERE created_at >= ${ms64('lo')} AND created_at < ${ms64('hiEnd')}
       GROUP BY tag
     ) AS a ON a.tag = m.tag
     LEFT JOIN (
       SELECT tag, max(score) AS w_coordination
       FROM ${store.table('flags')}
       WHERE kind = {coordinated:String} AND window_end >= ${ms64('lo')}
         AND ({latest:UInt8} = 1 OR window_start < ${ms64('hiEnd')})
       GROUP BY tag
     ) AS c ON c.tag = m.tag
     ORDER BY ${RANK_EXPRESSIONS[q.rank]} DESC, posts DESC, tag ASC
     LIMIT {limit:UInt32}`,
    params,
    WEB_READ_SETTINGS,
  );
  if (rows.length === 0) return { ...empty, at: hi };
  const tags = rows.map((r) => String(r['tag']));
  const badges = await openFlagBadges(store, tags, lo);
  return {
    at: hi,
    windowMinutes: q.windowMinutes,
    rank: q.rank,
    tags: rows.map((r) => {
      const tag = String(r['tag']);
      const posts = Number(r['posts']);
      const velocity = Number(r['velocity']);
      const zscore = Number(r['zscore']);
      const uniqueAuthors = Number(r['unique_authors'] ?? 0);
      const coordinationScore = Number(r['coordination'] ?? 0);
      const rankValue = { velocity, zscore, authors: uniqueAuthors, coordination: coordinationScore }[q.rank];
      return {
        tag,
        rankValue,
        posts,
        postsPerMin: Number(r['last_posts']),
        uniqueAuthors,
        velocity,
        zscore,
        youngShare: posts === 0 ? 0 : Number(r['young_posts']) / posts,
        coordinationScore,
        lastMinute: Number(r['last_minute']),
        sparkline: sparkline(r['points'], lo, q.windowMinutes),
        openFlags: badges.get(tag) ?? [],
      };
    }),
  };
}

/** Flags on these tags whose window reaches into the board's window, highest score first. */
async function openFlagBadges(store: StoreReader, tags: string[], lo: number): Promise<Map<string, FlagBadge[]>> {
  const rows = await store.query<{ flag_id: string; tag: string; kind: string; score: number }>(
    `SELECT flag_id, tag, kind, score FROM ${store.table('flags')}
     WHERE tag IN {tags:Array(String)} AND window_end >= ${ms64('lo')}
     ORDER BY score DESC, flag_id`,
    { tags, lo },
    WEB_READ_SETTINGS,
  );
  const out = new Map<string, FlagBadge[]>();
  for (const r of rows) {
    const list = out.get(r.tag) ?? [];
    list.push({ flagId: r.flag_id, kind: r.kind, score: Number(r.score) });
    out.set(r.tag, list);
  }
  return out;
}

function sparkline(points: unknown, lo: number, minutes: number): number[] {
  const out = new Array<number>(minutes).fill(0);
  if (!Array.isArray(points)) return out;
  for (const point of points) {
    if (!Array.isArray(point)) continue;
    const i = Math.round((Number(point[0]) - lo) / MINUTE_MS);
    if (i >= 0 && i < minutes) out[i] = Number(point[1]);
  }
  return out;
}

/**
 * A tag's series. Minute resolution reads `tag_minute` and fills silent minutes with zero
 * posts (and no velocity). Hour resolution gives per hour: posts, distinct authors (from the
 * `tag_hour` rollup when the store has it, else counted in `posts`: per-minute counts cannot be
 * added up), the hour's peak velocity and highest z-score, and its mean baseline.
 */
export async function querySeries(store: StoreReader, q: SeriesQuery, maxPoints: number): Promise<TagSeries | null> {
  const bucket = q.resolution === SeriesResolutions.hour ? HOUR_MS : MINUTE_MS;
  let to = q.to;
  let defaultFrom: number | undefined;
  if (to === undefined) {
    const extent = await store.query<{ first: number | string; latest: number | string; n: number | string }>(
      `SELECT toUnixTimestamp(min(minute)) * 1000 AS first, toUnixTimestamp(max(minute)) * 1000 AS latest, count() AS n
       FROM ${store.table('tag_minute')} WHERE tag = {tag:String}`,
      { tag: q.tag },
      WEB_READ_SETTINGS,
    );
    if (extent[0] === undefined || Number(extent[0].n) === 0) return null;
    to = Number(extent[0].latest) + MINUTE_MS - 1;
    // A young tag is shown from shortly before its first minute, not against hours of nothing.
    defaultFrom = Math.max(to - DEFAULT_SPAN_MS[q.resolution], Number(extent[0].first) - LEAD_IN_MS[q.resolution]);
  }
  const from = Math.floor((q.from ?? defaultFrom ?? to - DEFAULT_SPAN_MS[q.resolution]) / bucket) * bucket;
  const params = { tag: q.tag, from, to };
  const rows =
    q.resolution === SeriesResolutions.hour
      ? await store.query<Record<string, unknown>>(hourSeriesSql(store, await hasTable(store, 'tag_hour')), params, WEB_READ_SETTINGS)
      : await store.query<Record<string, unknown>>(
          `SELECT toUnixTimestamp(minute) * 1000 AS t, posts, unique_authors, velocity, baseline_mean, baseline_std, zscore, young_posts, reposts
           FROM ${store.table('tag_minute')}
           WHERE tag = {tag:String} AND minute >= ${sec('from')} AND minute <= ${sec('to')}
           ORDER BY minute`,
          params,
          WEB_READ_SETTINGS,
        );
  const flagRows = await store.query(
    `SELECT ${flagColumns()} FROM ${store.table('flags')}
     WHERE tag = {tag:String} AND window_end >= ${ms64('from')} AND window_start <= ${ms64('to')}
     ORDER BY detected_at`,
    params,
    WEB_READ_SETTINGS,
  );
  const series: TagSeries = {
    tag: q.tag,
    resolution: q.resolution,
    from,
    to,
    t: [],
    posts: [],
    uniqueAuthors: [],
    velocity: [],
    baselineMean: [],
    baselineStd: [],
    zscore: [],
    youngPosts: [],
    reposts: [],
    flags: flagRows.map((row) => summarizeFlag(toFlag(row))),
  };
  const byTime = new Map(rows.map((r) => [Number(r['t']), r]));
  const buckets = Math.floor((to - from) / bucket) + 1;
  // Fill silent buckets only while the answer stays small; beyond, list the buckets that exist.
  const times = buckets <= maxPoints ? Array.from({ length: buckets }, (_, i) => from + i * bucket) : [...byTime.keys()];
  for (const t of times) {
    const r = byTime.get(t);
    series.t.push(t);
    series.posts.push(r === undefined ? 0 : Number(r['posts']));
    series.uniqueAuthors.push(r === undefined ? 0 : Number(r['unique_authors']));
    series.youngPosts.push(r === undefined ? 0 : Number(r['young_posts']));
    series.reposts.push(r === undefined ? 0 : Number(r['reposts']));
    series.velocity.push(r === undefined ? null : Number(r['velocity']));
    series.baselineMean.push(r === undefined ? null : Number(r['baseline_mean']));
    series.baselineStd.push(r === undefined ? null : Number(r['baseline_std']));
    series.zscore.push(r === undefined ? null : Number(r['zscore']));
  }
  return series;
}

/**
 * Hourly buckets. Counts and peaks come from `tag_hour` when it exists, else from `tag_minute`
 * and `posts`; the baseline (mean of the hour's minutes) always from `tag_minute`.
 */
function hourSeriesSql(store: StoreReader, rollup: boolean): string {
  const minutes = `
    SELECT toUnixTimestamp(toStartOfHour(minute)) * 1000 AS t, sum(posts) AS h_posts, max(velocity) AS h_velocity,
           avg(baseline_mean) AS h_baseline_mean, avg(baseline_std) AS h_baseline_std, max(zscore) AS h_zscore,
           sum(young_posts) AS h_young_posts, sum(reposts) AS h_reposts
    FROM ${store.table('tag_minute')}
    WHERE tag = {tag:String} AND minute >= ${sec('from')} AND minute <= ${sec('to')}
    GROUP BY t`;
  if (rollup) {
    return `SELECT toUnixTimestamp(r.hour) * 1000 AS t, r.posts AS posts, r.unique_authors AS unique_authors, r.peak_velocity AS velocity,
                   b.h_baseline_mean AS baseline_mean, b.h_baseline_std AS baseline_std, r.max_zscore AS zscore,
                   r.young_posts AS young_posts, r.reposts AS reposts
            FROM ${store.table('tag_hour')} AS r
            LEFT JOIN (${minutes}) AS b ON b.t = toUnixTimestamp(r.hour) * 1000
            WHERE r.tag = {tag:String} AND r.hour >= toStartOfHour(${sec('from')}) AND r.hour <= ${sec('to')}
            ORDER BY t`;
  }
  return `SELECT h.t AS t, h.h_posts AS posts, a.h_authors AS unique_authors, h.h_velocity AS velocity,
                 h.h_baseline_mean AS baseline_mean, h.h_baseline_std AS baseline_std, h.h_zscore AS zscore,
                 h.h_young_posts AS young_posts, h.h_reposts AS reposts
          FROM (${minutes}) AS h
          LEFT JOIN (
            SELECT toUnixTimestamp(toStartOfHour(created_at)) * 1000 AS t, uniqExact(author_id) AS h_authors
            FROM ${store.table('posts')}
            WHERE has(tags, {tag:String}) AND created_at >= ${ms64('from')} AND created_at <= ${ms64('to')}
            GROUP BY t
          ) AS a ON a.t = h.t
          ORDER BY t`;
}

/** Tables (or views) appear through migrations; a web process may start before them. Cached per minute. */
const tableCache = new WeakMap<StoreReader, Map<string, { exists: boolean; at: number }>>();

async function hasTable(store: StoreReader, name: string): Promise<boolean> {
  const cache = tableCache.get(store) ?? new Map<string, { exists: boolean; at: number }>();
  tableCache.set(store, cache);
  const hit = cache.get(name);
  if (hit !== undefined && Date.now() - hit.at < MINUTE_MS) return hit.exists;
  const rows = await store.query<{ n: number | string }>(
    "SELECT count() AS n FROM system.tables WHERE concat(database, '.', name) = {qualified:String}",
    { qualified: store.table(name) },
    WEB_READ_SETTINGS,
  );
  const exists = Number(rows[0]?.n ?? 0) > 0;
  cache.set(name, { exists, at: Date.now() });
  return exists;
}

/** Minutes at or after `since`, oldest first. */
export async function queryMinutesSince(store: StoreReader, since: number, limit: number): Promise<TagMinute[]> {
  const rows = await store.query(
    `SELECT ${MINUTE_COLUMNS} FROM ${store.table('tag_minute')}
     WHERE minute >= ${sec('since')}
     ORDER BY minute, tag LIMIT {limit:UInt32}`,
    { since, limit },
    WEB_READ_SETTINGS,
  );
  return rows.map(toTagMinute);
}
