import type { DeadLetter } from '../../model/index.ts';
import type { TableRow } from '../types.ts';
import { dateTime64 } from './clickhouse-values.ts';

export function toDeadLetterRow(letter: DeadLetter): TableRow {
  return {
    source: letter.source,
    ref: letter.ref,
    code: letter.code,
    reason: letter.reason,
    payload: letter.payload,
    at: dateTime64(letter.at, 'at'),
  };
}
