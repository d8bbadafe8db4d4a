import type { Migration } from './types.ts';

/**
 * `webhook_deliveries`: one row per attempt to deliver an alert to a webhook subscriber
 * (written by the sink from the `webhook-deliveries` stream). Keyed by (subscriber, event, attempt)
 * so a row the sink writes twice collapses. No personal data: ids and outcomes only, so no TTL.
 *
 * Which alerts never arrived: `SELECT * FROM webhook_deliveries FINAL WHERE status = 'dead'`.
 */
export const webhookDeliveriesTable: Migration = {
  version: 20,
  name: 'webhook_deliveries',
  statements: [
    `CREATE TABLE IF NOT EXISTS {db}.webhook_deliveries (
      subscriber LowCardinality(String) COMMENT 'subscriber name from the alerts config',
      event_id String COMMENT 'alert event id, sent as the Idempotency-Key header',
      flag_id String,
      attempt UInt32 COMMENT '1 for the first attempt of an alert',
      status LowCardinality(String) COMMENT 'delivered | retry (another attempt scheduled) | dead (given up, dead-lettered)',
      http_status UInt16 COMMENT '0 when no response arrived (network error, timeout)',
      latency_ms UInt32,
      error String COMMENT 'why the attempt failed; empty when delivered',
      at DateTime64(3, 'UTC') COMMENT 'wall clock when the attempt started'
    )
    ENGINE = ReplacingMergeTree
    ORDER BY (subscriber, event_id, attempt)`,
  ],
};
