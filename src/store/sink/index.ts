/**
 * The sink: the only writer to ClickHouse. Each stream it reads has a `StreamWriter` in the
 * registry (`writers.ts`); the stage's inputs are exactly the registered streams.
 *
 * Getting a new stream written (e.g. `webhook-deliveries` → `webhook_deliveries`):
 *  1. a migration creating the table (src/store/migrations, your issue's version range),
 *     ReplacingMergeTree keyed so that a re-written record collapses (the sink may retry a batch);
 *  2. `sink/<table>-rows.ts`: a pure `to<Table>Row(value): TableRow` mapping the stream value to
 *     snake_case columns — times through `dateTime64()`, floats through `float64()`, counts through
 *     `uint32()` (clickhouse-values.ts); throw for a value that cannot be stored (it is dead-lettered);
 *  3. one entry in `defaultStreamWriters` (writers.ts):
 *       tableRowWriter({ stream: Streams.deliveries, table: 'webhook_deliveries', toRow: toWebhookDeliveryRow })
 *     (return null from toRow to skip a record, e.g. a tombstone);
 *  4. a unit test of the mapper in test/unit/store/.
 * A stream that needs more than one row per record implements `StreamWriter` itself (see DeletionWriter).
 * Each stream writes independently of the others, except writers sharing a `writeGroup`, which
 * never write at the same time (posts and deletions).
 */
export { SinkStage, type SinkStageSettings } from './sink-stage.ts';
export { defaultStreamWriters, KAFKA_SINK_WRITERS, type StreamWriterChoice } from './writers.ts';
export { tableRowWriter, type TableRowMapping } from './row-writer.ts';
export { TableInserter, type PendingRow, type InsertOutcome } from './table-inserter.ts';
export { RecentDeletions } from './recent-deletions.ts';
export { PostDeletionState } from './post-deletion-state.ts';
export { PostWriter } from './post-writer.ts';
export { DeletionWriter } from './deletion-writer.ts';
export { toPostRow, redactPostRow, PostVersions, POST_COLUMNS } from './post-rows.ts';
export { toTagMinuteRow } from './tag-minute-rows.ts';
export { toFlagRow } from './flag-rows.ts';
export { toDeadLetterRow } from './dead-letter-rows.ts';
export { toDeletionRow } from './deletion-rows.ts';
export { toAccountDeletionRow } from './account-deletion-rows.ts';
export { AccountDeletionState } from './account-deletion-state.ts';
export { dateTime64, dateTime, float64, uint32, uint64 } from './clickhouse-values.ts';
export type { StreamWriter, WriterContext, WriteOutcome, RejectedRecord, SinkFigures } from './types.ts';
