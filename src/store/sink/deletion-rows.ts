import type { Deletion } from '../../model/index.ts';
import type { TableRow } from '../types.ts';
import { dateTime64 } from './clickhouse-values.ts';

export function toDeletionRow(deletion: Deletion): TableRow {
  return { platform: deletion.platform, id: deletion.id, deleted_at: dateTime64(deletion.at, 'at') };
}
