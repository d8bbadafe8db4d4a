import type { Flag } from '../../model/index.ts';
import type { TableRow } from '../types.ts';
import { dateTime64, float64, uint32 } from './clickhouse-values.ts';

export function toFlagRow(flag: Flag): TableRow {
  const signals: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(flag.signals)) signals[name] = float64(value);
  return {
    flag_id: flag.flagId,
    tag: flag.tag,
    kind: flag.kind,
    detected_at: dateTime64(flag.detectedAt, 'detectedAt'),
    window_start: dateTime64(flag.windowStart, 'windowStart'),
    window_end: dateTime64(flag.windowEnd, 'windowEnd'),
    score: float64(flag.score),
    authors: flag.authors,
    post_ids: flag.postIds,
    signals,
    evidence: flag.evidence,
    revision: uint32(flag.revision, 'revision'),
  };
}
