import type { Flag } from '../model/index.ts';
import type { EvalFlag } from './types.ts';

/**
 * The event time a flag first fired. The `flags` table keeps only the latest revision, so the
 * coordination detector writes `firstDetectedAt` (epoch ms) into the evidence; flags without it
 * fall back to `detectedAt`.
 */
export function firstDetectedAt(evidence: string, detectedAt: number): number {
  try {
    const parsed: unknown = JSON.parse(evidence);
    if (typeof parsed === 'object' && parsed !== null) {
      const value = (parsed as Record<string, unknown>)['firstDetectedAt'];
      if (typeof value === 'number' && Number.isFinite(value)) return Math.min(value, detectedAt);
    }
  } catch {
    // Evidence that is not JSON carries no first detection time: the latest one stands in.
  }
  return detectedAt;
}

/** Scoring input from in-process flags: keeps the latest revision of each flag id, as `final = 1` does. */
export function latestEvalFlags(flags: readonly Flag[]): EvalFlag[] {
  const latest = new Map<string, Flag>();
  for (const flag of flags) {
    const seen = latest.get(flag.flagId);
    if (seen === undefined || flag.revision >= seen.revision) latest.set(flag.flagId, flag);
  }
  return [...latest.values()].map((f) => ({
    flagId: f.flagId,
    tag: f.tag,
    kind: f.kind,
    detectedAt: f.detectedAt,
    firstDetectedAt: firstDetectedAt(f.evidence, f.detectedAt),
    authors: f.authors,
    revision: f.revision,
  }));
}
