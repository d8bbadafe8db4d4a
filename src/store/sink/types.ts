import type { Logger } from 'pino';
import type { BusRecord, StreamName } from '../../bus/index.ts';
import type { Store } from '../store.ts';
import type { TableInserter } from './table-inserter.ts';

/** A record of the batch the sink could not write, with why (it becomes a dead letter). */
export interface RejectedRecord {
  /** Index in the batch's records. */
  index: number;
  err: unknown;
}

export interface WriteOutcome {
  /** Rows written per table. */
  rows: Record<string, number>;
  rejected: RejectedRecord[];
}

/** What a writer gets to do its job. */
export interface WriterContext {
  readonly store: Store;
  readonly inserter: TableInserter;
  readonly log: Logger;
  /** Wall clock (epoch ms); injected so tests control `ingested_at`. */
  now(): number;
}

/**
 * Writes one stream's batches to ClickHouse. Most writers are a pure row mapper wrapped by
 * `tableRowWriter` (see `row-writer.ts`); a stream needing more (deletions) implements this directly.
 *
 * `write` must be idempotent (the sink retries a whole batch after a retriable failure: write to
 * ReplacingMergeTree tables keyed so a repeated row collapses), throw retriable errors, and return
 * records it refuses as `rejected` rather than throwing for them.
 */
export interface StreamWriter {
  readonly stream: StreamName;
  /** Tables it fills (figures, docs). */
  readonly tables: readonly string[];
  /**
   * Writers sharing a group never write at the same time (posts and deletions: a deletion must not
   * race the post it deletes). Default: the stream name, so each stream writes on its own.
   */
  readonly writeGroup?: string;
  /** Once, before the first batch, under the sink's retry (load state from the store). */
  open?(ctx: WriterContext): Promise<void>;
  write(records: ReadonlyArray<BusRecord>, ctx: WriterContext): Promise<WriteOutcome>;
}

/** Plain counters now; exported as Prometheus metrics when /metrics lands. */
export interface SinkFigures {
  /** Rows written, per table. */
  rowsWritten: Record<string, number>;
  batchesWritten: number;
  /** Write attempts that failed and were tried again. */
  retries: number;
  /** Records refused by the store and sent to the dead-letter stream. */
  deadLettered: number;
  /** Dead letters that could not be written either (logged). */
  deadLettersLost: number;
  /** Milliseconds spent writing batches (sum, last, max), retries included. */
  writeMsTotal: number;
  writeMsLast: number;
  writeMsMax: number;
}
