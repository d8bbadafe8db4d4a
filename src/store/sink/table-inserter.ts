import { isRetriableStoreError, isRowDataError } from '../clickhouse-errors.ts';
import type { Store } from '../store.ts';
import type { TableRow } from '../types.ts';
import type { RejectedRecord } from './types.ts';

/** A row and the index of the batch record it came from. */
export interface PendingRow {
  row: TableRow;
  index: number;
}

export interface InsertOutcome {
  written: number;
  rejected: RejectedRecord[];
}

/**
 * Inserts rows and isolates bad ones: when ClickHouse refuses the data of a batch, it splits the
 * batch and tries the halves, so one malformed row costs about log2(n) extra inserts and the rest
 * of the batch is written. A retriable failure is thrown (the sink retries the whole batch); any
 * other refusal (unknown table, …) rejects every row with the reason.
 */
export class TableInserter {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async insert(table: string, rows: readonly PendingRow[]): Promise<InsertOutcome> {
    if (rows.length === 0) return { written: 0, rejected: [] };
    try {
      await this.#store.insert(table, rows.map((r) => r.row));
      return { written: rows.length, rejected: [] };
    } catch (err) {
      if (isRetriableStoreError(err)) throw err;
      if (rows.length === 1 || !isRowDataError(err)) return { written: 0, rejected: rows.map((r) => ({ index: r.index, err })) };
      const middle = Math.ceil(rows.length / 2);
      const first = await this.insert(table, rows.slice(0, middle));
      const second = await this.insert(table, rows.slice(middle));
      return { written: first.written + second.written, rejected: [...first.rejected, ...second.rejected] };
    }
  }
}
