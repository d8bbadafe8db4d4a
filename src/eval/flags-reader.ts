import { z } from 'zod';
import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import type { Store } from '../store/index.ts';
import { firstDetectedAt } from './flag-records.ts';
import type { EvalFlag } from './types.ts';

const FlagRowSchema = z.object({
  flag_id: z.string(),
  tag: z.string(),
  kind: z.string(),
  detected_ms: z.coerce.number(),
  authors: z.array(z.string()),
  evidence: z.string(),
  revision: z.coerce.number(),
});

/** Reads the latest revision of every `coordinated` and `spam` flag (the store reads with final = 1). */
export async function readEvalFlags(store: Store): Promise<EvalFlag[]> {
  const rows = await store.query<unknown>(
    `SELECT flag_id, tag, kind, toUnixTimestamp64Milli(detected_at) AS detected_ms, authors, evidence, revision
     FROM ${store.table('flags')}
     WHERE kind IN ('coordinated', 'spam')
     ORDER BY tag, kind, flag_id`,
    undefined,
    // Only the latest revision of each flag (ReplacingMergeTree collapses on read).
    { final: 1 },
  );
  return rows.map((row, i) => {
    const parsed = FlagRowSchema.safeParse(row);
    if (!parsed.success) {
      throw new TagwatchError(ErrorCodes.STORE_QUERY, `flags row ${i} does not have the expected columns: ${parsed.error.message}`, { input: row });
    }
    const r = parsed.data;
    return {
      flagId: r.flag_id,
      tag: r.tag,
      kind: r.kind,
      detectedAt: r.detected_ms,
      firstDetectedAt: firstDetectedAt(r.evidence, r.detected_ms),
      authors: r.authors,
      revision: r.revision,
    };
  });
}
