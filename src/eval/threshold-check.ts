import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import type { EvalThresholds } from './options.ts';
import type { EvalTargetName, ThresholdFigures } from './types.ts';

/** One floor: the threshold that sets it, whether the figures hold it, and the readable line when they do not. */
interface TargetCheck {
  name: EvalTargetName;
  threshold: keyof EvalThresholds;
  holds(s: ThresholdFigures, limit: number): boolean;
  describe(s: ThresholdFigures, limit: number): string;
}

const CHECKS: readonly TargetCheck[] = [
  {
    name: 'recall',
    threshold: 'minRecall',
    holds: (s, limit) => s.campaignRecall >= limit,
    describe: (s, limit) => `campaign recall ${fixed(s.campaignRecall)} < ${limit}`,
  },
  {
    name: 'precision',
    threshold: 'minPrecision',
    holds: (s, limit) => s.tagPrecision >= limit,
    describe: (s, limit) => `tag precision ${fixed(s.tagPrecision)} < ${limit}`,
  },
  {
    name: 'f1',
    threshold: 'minF1',
    holds: (s, limit) => s.accountF1 >= limit,
    describe: (s, limit) => `account F1 ${fixed(s.accountF1)} < ${limit}`,
  },
  {
    name: 'latency',
    threshold: 'maxLatencySec',
    holds: (s, limit) => s.latencyMedianSec !== null && s.latencyMedianSec <= limit,
    describe: (s, limit) =>
      `median detection latency ${s.latencyMedianSec === null ? 'n/a (nothing detected)' : `${Math.round(s.latencyMedianSec)} s`} > ${limit} s`,
  },
  {
    name: 'hardFp',
    threshold: 'maxHardFp',
    holds: (s, limit) => s.hardCaseFalsePositives <= limit,
    describe: (s, limit) => `hard cases flagged ${s.hardCaseFalsePositives} > ${limit}`,
  },
];

/** The checks whose threshold is set, each with its limit. */
function setChecks(thresholds: EvalThresholds): Array<[TargetCheck, number]> {
  return CHECKS.flatMap((check) => {
    const limit = thresholds[check.threshold];
    return limit === undefined ? [] : [[check, limit] as [TargetCheck, number]];
  });
}

/** Whether the figures hold each target that is set (targets not set are absent). */
export function heldTargets(figures: ThresholdFigures, thresholds: EvalThresholds): Partial<Record<EvalTargetName, boolean>> {
  const held: Partial<Record<EvalTargetName, boolean>> = {};
  for (const [check, limit] of setChecks(thresholds)) held[check.name] = check.holds(figures, limit);
  return held;
}

/** The floors the report (or a pooled report) does not meet, each as one readable line (empty when all are met). */
export function unmetThresholds(report: { summary: ThresholdFigures }, thresholds: EvalThresholds): string[] {
  return setChecks(thresholds).flatMap(([check, limit]) => (check.holds(report.summary, limit) ? [] : [check.describe(report.summary, limit)]));
}

/** Throws TW_EVAL_THRESHOLD (exit code 3) naming every floor that was not met. */
export function assertThresholds(report: { summary: ThresholdFigures }, thresholds: EvalThresholds): void {
  const unmet = unmetThresholds(report, thresholds);
  if (unmet.length > 0) {
    throw new TagwatchError(ErrorCodes.EVAL_THRESHOLD, `evaluation below threshold: ${unmet.join('; ')}`, { input: thresholds });
  }
}

function fixed(value: number): string {
  return value.toFixed(3);
}
