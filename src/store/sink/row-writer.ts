import type { BusRecord, StreamName, StreamValues } from '../../bus/index.ts';
import type { TableRow } from '../types.ts';
import type { PendingRow } from './table-inserter.ts';
import type { RejectedRecord, StreamWriter, WriteOutcome, WriterContext } from './types.ts';

export interface TableRowMapping<S extends StreamName> {
  stream: S;
  /** Unqualified table name (the store's database is added). */
  table: string;
  /**
   * Pure: one stream value → one row, or null to skip it (a tombstone). Throw (a ValidationError)
   * for a value that cannot be stored: that record is dead-lettered, the rest written.
   */
  toRow(value: StreamValues[S], key: string, now: number): TableRow | null;
}

/** A StreamWriter that maps each record to one row of one table. */
export function tableRowWriter<S extends StreamName>(mapping: TableRowMapping<S>): StreamWriter {
  return {
    stream: mapping.stream,
    tables: [mapping.table],
    async write(records: ReadonlyArray<BusRecord>, ctx: WriterContext): Promise<WriteOutcome> {
      const now = ctx.now();
      const rows: PendingRow[] = [];
      const rejected: RejectedRecord[] = [];
      records.forEach((record, index) => {
        try {
          const row = mapping.toRow(record.value as StreamValues[S], record.key, now);
          if (row !== null) rows.push({ row, index });
        } catch (err) {
          rejected.push({ index, err });
        }
      });
      const outcome = await ctx.inserter.insert(mapping.table, rows);
      return { rows: { [mapping.table]: outcome.written }, rejected: [...rejected, ...outcome.rejected] };
    },
  };
}
