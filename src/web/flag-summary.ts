import type { Flag } from '../model/index.ts';
import type { FlagSummary } from './types.ts';

/** Authors listed with a flag in lists and live pushes; the evidence endpoint gives them all. */
export const SUMMARY_AUTHORS = 10;

/** The evidence JSON as an object; detectors write `{ summary, … }`, anything else is wrapped. */
export function parseEvidence(evidence: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(evidence);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the text itself is the explanation.
  }
  return { summary: evidence };
}

export function evidenceSummary(evidence: string): string {
  const summary = parseEvidence(evidence)['summary'];
  return typeof summary === 'string' ? summary : evidence.slice(0, 500);
}

export function summarizeFlag(flag: Flag): FlagSummary {
  return {
    flagId: flag.flagId,
    tag: flag.tag,
    kind: flag.kind,
    detectedAt: flag.detectedAt,
    windowStart: flag.windowStart,
    windowEnd: flag.windowEnd,
    score: flag.score,
    revision: flag.revision,
    authorCount: flag.authors.length,
    authors: flag.authors.slice(0, SUMMARY_AUTHORS),
    signals: flag.signals,
    summary: evidenceSummary(flag.evidence),
  };
}
