import type { Deletion } from '../../model/index.ts';
import type { TableRow } from '../types.ts';
import { dateTime64 } from './clickhouse-values.ts';

/** An account-level deletion (`scope: 'account'`, `id` = the author id) → `account_deletions`. */
export function toAccountDeletionRow(deletion: Deletion): TableRow {
  return { platform: deletion.platform, author_id: deletion.id, deleted_at: dateTime64(deletion.at, 'at') };
}
