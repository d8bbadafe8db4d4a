import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import type { EvalThresholds } from './options.ts';
import type { EvalTargetName, ThresholdFigures } from './types.ts';

/** One floor: when it is set, whether the figures hold it, and the readable line when they do not. */
interface TargetCheck {
  name: EvalTargetName;
  set(t: EvalThresholds): boolean;
  holds(s: ThresholdFigures, t: EvalThresholds): boolean;
  describe(s: ThresholdFigures, t: EvalThresholds): string;
}

const CHECKS: readonly TargetCheck[] = [
  {
    name: 'recall',
    set: (t) => t.minRecall !== undefined,
    holds: (s, t) => s.campaignRecall >= (t.minRecall ?? 0),
    describe: (s, t) => `campaign recall ${fixed(s.campaignRecall)} < ${t.minRecall}`,
  },
  {
    name: 'precision',
    set: (t) => t.minPrecision !== undefined,
    holds: (s, t) => s.tagPrecision >= (t.minPrecision ?? 0),
    describe: (s, t) => `tag precision ${fixed(s.tagPrecision)} < ${t.minPrecision}`,
  },
  {
    name: 'f1',
    set: (t) => t.minF1 !== undefined,
    holds: (s, t) => s.accountF1 >= (t.minF1 ?? 0),
    describe: (s, t) => `account F1 ${fixed(s.accountF1)} < ${t.minF1}`,
  },
  {
    name: 'latency',
    set: (t) => t.maxLatencySec !== undefined,
    holds: (s, t) => s.latencyMedianSec !== null && s.latencyMedianSec <= (t.maxLatencySec ?? Infinity),
    describe: (s, t) =>
      `median detection latency ${s.latencyMedianSec === null ? 'n/a (nothing detected)' : `${Math.round(s.latencyMedianSec)} s`} > ${t.maxLatencySec} s`,
  },
  {
    name: 'hardFp',
    set: (t) => t.maxHardFp !== undefined,
    holds: (s, t) => s.hardCaseFalsePositives <= (t.maxHardFp ?? Infinity),
    describe: (s, t) => `hard cases flagged ${s.hardCaseFalsePositives} > ${t.maxHardFp}`,
  },
];

/** Whether the figures hold each target that is set (targets not set are absent). */
export function heldTargets(figures: ThresholdFigures, thresholds: EvalThresholds): Partial<Record<EvalTargetName, boolean>> {
  const held: Partial<Record<EvalTargetName, boolean>> = {};
  for (const check of CHECKS) if (check.set(thresholds)) held[check.name] = check.holds(figures, thresholds);
  return held;
}

/** The floors the report (or a pooled report) does not meet, each as one readable line (empty when all are met). */
export function unmetThresholds(report: { summary: ThresholdFigures }, thresholds: EvalThresholds): string[] {
  return CHECKS.filter((c) => c.set(thresholds) && !c.holds(report.summary, thresholds)).map((c) => c.describe(report.summary, thresholds));
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
