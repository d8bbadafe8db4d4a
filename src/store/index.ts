export { StoreOptionsSchema, type StoreOptions } from './options.ts';
export { openStore, Store, type OpenStoreSettings } from './store.ts';
export { createClickHouseClient, READ_SETTINGS, redactUrl } from './clickhouse-client.ts';
export { isRetriableStoreError, isRowDataError, isReadonlyRefusal, clickHouseCode, toStoreError } from './clickhouse-errors.ts';
export { StoreKinds, type StoreKind, type ClickHouseHandle, type TableRow, type QueryParams } from './types.ts';
export { migrations, runMigrations, applyRetention, RETENTION_TABLES, type Migration, type AppliedMigration } from './migrations/index.ts';
export {
  SinkStage,
  defaultStreamWriters,
  KAFKA_SINK_WRITERS,
  type StreamWriterChoice,
  tableRowWriter,
  type SinkStageSettings,
  type StreamWriter,
  type TableRowMapping,
  type WriterContext,
  type WriteOutcome,
  type SinkFigures,
} from './sink/index.ts';
export { assertReadOnlyStatement } from './read-only-statement.ts';
