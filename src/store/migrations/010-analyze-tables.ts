import type { Migration } from './types.ts';

/** Per-minute counters rolled up into `tag_hour` (column in tag_minute → rollup column). */
const HOUR_COUNTS = ['posts', 'originals', 'reposts', 'replies', 'quotes', 'new_authors', 'reach', 'young_posts', 'late_posts'] as const;

const countColumns = HOUR_COUNTS.map((c) => `${c}_by_minute SimpleAggregateFunction(maxMap, Tuple(Array(UInt8), Array(UInt64)))`).join(',\n      ');
const countValues = HOUR_COUNTS.map((c) => `([toUInt8(toMinute(minute))], [toUInt64(${c})]) AS ${c}_by_minute`).join(',\n      ');
const countSums = HOUR_COUNTS.map((c) => `arraySum(maxMap(${c}_by_minute).2) AS ${c}`).join(',\n      ');

const hourMinutesSelect = `SELECT
      tag,
      toStartOfHour(minute) AS hour,
      ${countValues},
      toUInt64(posts) AS peak_posts_per_minute,
      toUInt64(unique_authors) AS peak_minute_authors,
      velocity AS peak_velocity,
      zscore AS max_zscore
    FROM {db}.tag_minute`;

const hourAuthorsSelect = `SELECT
      tag,
      toStartOfHour(created_at) AS hour,
      uniqState(author_id) AS authors
    FROM {db}.posts
    ARRAY JOIN tags AS tag
    GROUP BY tag, hour`;

/**
 * The analyze stage's tables.
 *
 * `tag_state`: per-tag checkpoints (JSON, opaque to SQL); the latest write of a tag wins, a
 * tombstone (`deleted = 1`) forgets an evicted tag. Read back at start so a restart is not cold.
 *
 * `tag_hour`: an hourly rollup for long time ranges. tag_minute is a ReplacingMergeTree whose
 * rows are re-emitted with a higher revision when late posts arrive, so a plain sum over every
 * inserted row would count a revised minute twice. The rollup keeps, per (tag, hour), each
 * counter as a minute → value map merged with `maxMap`: counts only grow with revisions, so the
 * maximum per minute is the final revision's value, and re-inserting a row (a sink retry, a replay)
 * changes nothing. Hourly unique authors come from `posts` (uniq is insensitive to duplicates).
 * Both fill through materialized views; existing data is backfilled by the same idempotent select.
 */
export const analyzeTables: Migration = {
  version: 10,
  name: 'analyze_tables',
  statements: [
    `CREATE TABLE IF NOT EXISTS {db}.tag_state (
      tag String,
      state String COMMENT 'JSON checkpoint of the analyze stage (opaque to SQL; key ~stage = stage-wide record)',
      deleted UInt8 COMMENT '1 = tombstone: the tag was evicted',
      version UInt64 COMMENT 'write order: the latest checkpoint of a tag wins',
      checkpointed_at DateTime64(3, 'UTC') COMMENT 'wall clock of the write'
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY tag`,

    `CREATE TABLE IF NOT EXISTS {db}.tag_hour_minutes (
      tag String,
      hour DateTime('UTC'),
      ${countColumns},
      peak_posts_per_minute SimpleAggregateFunction(max, UInt64),
      peak_minute_authors SimpleAggregateFunction(max, UInt64),
      peak_velocity SimpleAggregateFunction(max, Float64),
      max_zscore SimpleAggregateFunction(max, Float64)
    )
    ENGINE = AggregatingMergeTree
    ORDER BY (tag, hour)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.tag_hour_minutes_mv TO {db}.tag_hour_minutes AS ${hourMinutesSelect}`,

    `INSERT INTO {db}.tag_hour_minutes ${hourMinutesSelect}`,

    `CREATE TABLE IF NOT EXISTS {db}.tag_hour_authors (
      tag String,
      hour DateTime('UTC'),
      authors AggregateFunction(uniq, String)
    )
    ENGINE = AggregatingMergeTree
    ORDER BY (tag, hour)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.tag_hour_authors_mv TO {db}.tag_hour_authors AS ${hourAuthorsSelect}`,

    `INSERT INTO {db}.tag_hour_authors ${hourAuthorsSelect}`,

    `CREATE VIEW IF NOT EXISTS {db}.tag_hour AS
    SELECT m.tag AS tag, m.hour AS hour, m.* EXCEPT (tag, hour), ifNull(a.unique_authors, 0) AS unique_authors
    FROM (
      SELECT
        tag,
        hour,
        ${countSums},
        max(peak_posts_per_minute) AS peak_posts_per_minute,
        max(peak_minute_authors) AS peak_minute_authors,
        max(peak_velocity) AS peak_velocity,
        max(max_zscore) AS max_zscore
      FROM {db}.tag_hour_minutes
      GROUP BY tag, hour
    ) AS m
    LEFT JOIN (
      SELECT tag, hour, uniqMerge(authors) AS unique_authors FROM {db}.tag_hour_authors GROUP BY tag, hour
    ) AS a ON m.tag = a.tag AND m.hour = a.hour`,
  ],
};
