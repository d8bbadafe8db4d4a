import type { Migration } from './types.ts';

/**
 * The core tables. Tables holding personal data (posts, dead-lettered payloads, deletion records)
 * expire `{retention_days}` after tagwatch stored them (`ingested_at`, `stored_at`), never by
 * event time: an event-time TTL makes ClickHouse drop a replayed archive older than the
 * retention as soon as it is inserted.
 *
 * posts/tag_minute/flags are ReplacingMergeTree: writes are idempotent on the ORDER BY key and the
 * highest version wins. Duplicates only collapse on merge, so every read uses `final = 1`.
 */
export const coreTables: Migration = {
  version: 1,
  name: 'core_tables',
  statements: [
    `CREATE TABLE IF NOT EXISTS {db}.posts (
      platform LowCardinality(String),
      id String,
      author_id String,
      author_handle String,
      author_created_at Nullable(DateTime64(3, 'UTC')),
      author_followers Nullable(UInt64),
      created_at DateTime64(3, 'UTC') COMMENT 'event time: when the post was created on its platform',
      text String,
      tags Array(String) COMMENT 'normalized: lower-case, without #',
      tag_display Array(String) COMMENT 'spelling as written, same order as tags',
      lang LowCardinality(String),
      kind LowCardinality(String) COMMENT 'original | repost | reply | quote',
      parent_id String,
      urls Array(String),
      ingested_at DateTime64(3, 'UTC'),
      deleted UInt8 COMMENT '1 = deleted on its platform: text and handle redacted',
      deleted_at Nullable(DateTime64(3, 'UTC')),
      version UInt64 COMMENT '1 = as collected, 2 = redacted after a deletion',
      INDEX created_at_minmax created_at TYPE minmax GRANULARITY 4,
      INDEX tags_bloom tags TYPE bloom_filter(0.01) GRANULARITY 4
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY (platform, id)
    TTL toDateTime(ingested_at) + INTERVAL {retention_days} DAY`,

    `CREATE TABLE IF NOT EXISTS {db}.post_deletions (
      platform LowCardinality(String),
      id String,
      deleted_at DateTime64(3, 'UTC'),
      stored_at DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree(deleted_at)
    ORDER BY (platform, id)
    TTL toDateTime(stored_at) + INTERVAL {retention_days} DAY`,

    `CREATE TABLE IF NOT EXISTS {db}.tag_minute (
      tag String,
      minute DateTime('UTC'),
      posts UInt32,
      originals UInt32,
      reposts UInt32,
      replies UInt32,
      quotes UInt32,
      unique_authors UInt32,
      new_authors UInt32,
      reach UInt64 COMMENT 'followers of the authors new to this tag in this minute',
      young_posts UInt32 COMMENT 'posts by accounts younger than 30 days',
      languages UInt32,
      platforms UInt32,
      top10_share Float64,
      gini Float64,
      late_posts UInt32,
      velocity Float64 COMMENT 'EWMA of posts per minute',
      acceleration Float64,
      baseline_mean Float64,
      baseline_std Float64,
      zscore Float64,
      revision UInt32
    )
    ENGINE = ReplacingMergeTree(revision)
    ORDER BY (tag, minute)`,

    `CREATE TABLE IF NOT EXISTS {db}.flags (
      flag_id String,
      tag String,
      kind LowCardinality(String),
      detected_at DateTime64(3, 'UTC'),
      window_start DateTime64(3, 'UTC'),
      window_end DateTime64(3, 'UTC'),
      score Float64,
      authors Array(String),
      post_ids Array(String),
      signals Map(String, Float64),
      evidence String COMMENT 'JSON: a plain-language summary and the details behind it',
      revision UInt32
    )
    ENGINE = ReplacingMergeTree(revision)
    ORDER BY (tag, kind, flag_id)`,

    `CREATE TABLE IF NOT EXISTS {db}.dead_letters (
      source LowCardinality(String),
      ref String,
      code LowCardinality(String),
      reason String,
      payload String,
      payload_hash UInt64 MATERIALIZED cityHash64(payload),
      at DateTime64(3, 'UTC'),
      stored_at DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree(at)
    ORDER BY (source, ref, code, payload_hash)
    TTL toDateTime(stored_at) + INTERVAL {retention_days} DAY`,
  ],
};
