import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import type { EvalThresholds } from './options.ts';
import type { EvalReport } from './types.ts';

/** The floors the report does not meet, each as one readable line (empty when all are met). */
export function unmetThresholds(report: EvalReport, thresholds: EvalThresholds): string[] {
  const s = report.summary;
  const unmet: string[] = [];
  if (thresholds.minRecall !== undefined && s.campaignRecall < thresholds.minRecall) {
    unmet.push(`campaign recall ${fixed(s.campaignRecall)} < ${thresholds.minRecall}`);
  }
  if (thresholds.minPrecision !== undefined && s.tagPrecision < thresholds.minPrecision) {
    unmet.push(`tag precision ${fixed(s.tagPrecision)} < ${thresholds.minPrecision}`);
  }
  if (thresholds.minF1 !== undefined && s.accountF1 < thresholds.minF1) {
    unmet.push(`account F1 ${fixed(s.accountF1)} < ${thresholds.minF1}`);
  }
  if (thresholds.maxLatencySec !== undefined && (s.latencyMedianSec === null || s.latencyMedianSec > thresholds.maxLatencySec)) {
    unmet.push(`median detection latency ${s.latencyMedianSec === null ? 'n/a (nothing detected)' : `${Math.round(s.latencyMedianSec)} s`} > ${thresholds.maxLatencySec} s`);
  }
  if (thresholds.maxHardFp !== undefined && s.hardCaseFalsePositives > thresholds.maxHardFp) {
    unmet.push(`hard cases flagged ${s.hardCaseFalsePositives} > ${thresholds.maxHardFp}`);
  }
  return unmet;
}

/** Throws TW_EVAL_THRESHOLD (exit code 3) naming every floor that was not met. */
export function assertThresholds(report: EvalReport, thresholds: EvalThresholds): void {
  const unmet = unmetThresholds(report, thresholds);
  if (unmet.length > 0) {
    throw new TagwatchError(ErrorCodes.EVAL_THRESHOLD, `evaluation below threshold: ${unmet.join('; ')}`, { input: thresholds });
  }
}

function fixed(value: number): string {
  return value.toFixed(3);
}
