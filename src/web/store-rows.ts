import type { ClickHouseSettings } from '@clickhouse/client';
import { z } from 'zod';
import type { Flag, TagMinute } from '../model/index.ts';

/**
 * What the read model needs from the store: parameterized SELECTs and qualified table names.
 * `Store` (src/store) provides both; every value from a request travels as a `{name:Type}`
 * parameter, never inside the SQL text.
 */
export interface StoreReader {
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>, settings?: ClickHouseSettings): Promise<T[]>;
  table(name: string): string;
}

/**
 * Every read deduplicates (the tables are ReplacingMergeTrees whose duplicates collapse only on
 * merge) and returns 64-bit integers as JSON numbers.
 */
export const WEB_READ_SETTINGS: ClickHouseSettings = { final: 1, output_format_json_quote_64bit_integers: 0 };

const num = z.coerce.number();

/**
 * The SELECT list of a `flags` row with instants as epoch ms. The aliases must differ from the
 * column names: ClickHouse resolves a name in WHERE to a SELECT alias first, so
 * `toUnixTimestamp64Milli(detected_at) AS detected_at` would turn `detected_at >= …` into a
 * comparison of milliseconds. `t` is the table alias (or empty).
 */
export function flagColumns(t = ''): string {
  const p = t === '' ? '' : `${t}.`;
  return [
    `${p}flag_id AS flag_id`,
    `${p}tag AS tag`,
    `${p}kind AS kind`,
    `toUnixTimestamp64Milli(${p}detected_at) AS detected_at_ms`,
    `toUnixTimestamp64Milli(${p}window_start) AS window_start_ms`,
    `toUnixTimestamp64Milli(${p}window_end) AS window_end_ms`,
    `${p}score AS score`,
    `${p}authors AS authors`,
    `${p}post_ids AS post_ids`,
    `${p}signals AS signals`,
    `${p}evidence AS evidence`,
    `${p}revision AS revision`,
  ].join(', ');
}

const FlagRowSchema = z.object({
  flag_id: z.string(),
  tag: z.string(),
  kind: z.string(),
  detected_at_ms: num,
  window_start_ms: num,
  window_end_ms: num,
  score: num,
  authors: z.array(z.string()),
  post_ids: z.array(z.string()),
  signals: z.record(z.string(), z.union([z.number(), z.string()]).transform(Number)),
  evidence: z.string(),
  revision: num,
});

export function toFlag(row: unknown): Flag {
  const r = FlagRowSchema.parse(row);
  return {
    flagId: r.flag_id,
    tag: r.tag,
    kind: r.kind,
    detectedAt: r.detected_at_ms,
    windowStart: r.window_start_ms,
    windowEnd: r.window_end_ms,
    score: r.score,
    authors: r.authors,
    postIds: r.post_ids,
    signals: r.signals,
    evidence: r.evidence,
    revision: r.revision,
  };
}

/** The SELECT list of a `tag_minute` row with `minute` as epoch ms. */
export const MINUTE_COLUMNS = [
  'tag',
  'toUnixTimestamp(minute) * 1000 AS minute_ms',
  'posts',
  'originals',
  'reposts',
  'replies',
  'quotes',
  'unique_authors',
  'new_authors',
  'reach',
  'young_posts',
  'languages',
  'platforms',
  'top10_share',
  'gini',
  'late_posts',
  'velocity',
  'acceleration',
  'baseline_mean',
  'baseline_std',
  'zscore',
  'revision',
].join(', ');

const MinuteRowSchema = z.object({
  tag: z.string(),
  minute_ms: num,
  posts: num,
  originals: num,
  reposts: num,
  replies: num,
  quotes: num,
  unique_authors: num,
  new_authors: num,
  reach: num,
  young_posts: num,
  languages: num,
  platforms: num,
  top10_share: num,
  gini: num,
  late_posts: num,
  velocity: num,
  acceleration: num,
  baseline_mean: num,
  baseline_std: num,
  zscore: num,
  revision: num,
});

export function toTagMinute(row: unknown): TagMinute {
  const r = MinuteRowSchema.parse(row);
  return {
    tag: r.tag,
    minute: r.minute_ms,
    posts: r.posts,
    originals: r.originals,
    reposts: r.reposts,
    replies: r.replies,
    quotes: r.quotes,
    uniqueAuthors: r.unique_authors,
    newAuthors: r.new_authors,
    reach: r.reach,
    youngPosts: r.young_posts,
    languages: r.languages,
    platforms: r.platforms,
    top10Share: r.top10_share,
    gini: r.gini,
    latePosts: r.late_posts,
    velocity: r.velocity,
    acceleration: r.acceleration,
    baselineMean: r.baseline_mean,
    baselineStd: r.baseline_std,
    zscore: r.zscore,
    revision: r.revision,
  };
}

/** The SELECT list of a `posts` row as a sample post. */
export const SAMPLE_POST_COLUMNS = [
  'platform',
  'id',
  'author_id',
  'author_handle',
  'toUnixTimestamp64Milli(created_at) AS ts',
  'kind',
  'text',
  'tags',
  'parent_id',
].join(', ');

const SamplePostRowSchema = z.object({
  platform: z.string(),
  id: z.string(),
  author_id: z.string(),
  author_handle: z.string(),
  ts: num,
  kind: z.string(),
  text: z.string(),
  tags: z.array(z.string()),
  parent_id: z.string(),
});

export function toSamplePost(row: unknown) {
  const r = SamplePostRowSchema.parse(row);
  return {
    platform: r.platform,
    id: r.id,
    authorId: r.author_id,
    authorHandle: r.author_handle === '' ? null : r.author_handle,
    ts: r.ts,
    kind: r.kind,
    text: r.text,
    tags: r.tags,
    parentId: r.parent_id === '' ? null : r.parent_id,
  };
}

/**
 * Instants travel as epoch-ms `Int64` parameters and are converted in SQL, so no time zone or
 * text format is ever involved: `{from:Int64}` → `ms64('from')`.
 */
export function ms64(param: string): string {
  return `fromUnixTimestamp64Milli({${param}:Int64}, 'UTC')`;
}

/** The same for `DateTime` (second precision) columns such as `tag_minute.minute`. */
export function sec(param: string): string {
  return `toDateTime(intDiv({${param}:Int64}, 1000), 'UTC')`;
}
