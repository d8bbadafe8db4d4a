import type { Migration } from './types.ts';

/**
 * `account_deletions`: accounts a platform deleted, suspended or took down (Bluesky `account`
 * events, X user compliance). Every post of the author created up to `deleted_at` is stored
 * redacted, also posts that arrive afterwards. Keyed by account: a repeated or later deletion of
 * the same account collapses to the latest. It names accounts, so it expires like `post_deletions`.
 */
export const accountDeletionsTable: Migration = {
  version: 40,
  name: 'account_deletions',
  statements: [
    `CREATE TABLE IF NOT EXISTS {db}.account_deletions (
      platform LowCardinality(String),
      author_id String,
      deleted_at DateTime64(3, 'UTC') COMMENT 'posts of the account created up to this time are redacted',
      stored_at DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree(deleted_at)
    ORDER BY (platform, author_id)
    TTL toDateTime(stored_at) + INTERVAL {retention_days} DAY`,
  ],
};
