import type { TagStateSnapshot } from '../../bus/index.ts';
import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import type { TableRow } from '../types.ts';
import { dateTime64 } from './clickhouse-values.ts';

/**
 * `analyze-state` → `tag_state`. A null value is a tombstone (the tag was evicted). The version
 * orders writes so the latest checkpoint of a tag wins: wall-clock µs, strictly increasing within
 * the process (two checkpoints of one tag can share a batch and a millisecond).
 */
export function createTagStateRowMapper(): (value: TagStateSnapshot | null, key: string, now: number) => TableRow {
  let last = 0;
  return (value, key, now) => {
    const version = Math.max(now * 1000, last + 1);
    last = version;
    if (value === null) return { tag: key, state: '', deleted: 1, version, checkpointed_at: dateTime64(now, 'now') };
    if (typeof value.tag !== 'string' || value.tag.length === 0) {
      throw new ValidationError(ErrorCodes.STORE_ROW_INVALID, 'tag state snapshot without a tag', { input: key });
    }
    return { tag: value.tag, state: JSON.stringify(value.state), deleted: 0, version, checkpointed_at: dateTime64(now, 'now') };
  };
}
