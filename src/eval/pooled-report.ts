import { quantile } from './detection-scoring.ts';
import type { EvalThresholds } from './options.ts';
import { heldTargets } from './threshold-check.ts';
import type { EvalReport, EvalTargetName, PooledReport, PooledSeedRow } from './types.ts';

/**
 * Pools several reports, one per seed, into one set of figures. Pure.
 *
 * Each seed was scored against its own truth, so its results are summed, never its truths merged
 * (the same tag name in two seeds is two different tags): campaign recall is detected over total
 * campaigns, tag precision is true-positive tags over flagged tags (each seed's distinct tags),
 * hard cases flagged are summed. Account precision, recall and F1 are means over every campaign of
 * every seed, an undetected one counting 0, as one report's summary computes them; latency median
 * and p90 are nearest-rank over every detected campaign, so a seed with more campaigns weighs more.
 * Empty sets follow one report's conventions (no campaign: recall 1; no flagged tag: precision 1).
 *
 * `targets` decide each seed's `holds`, the `seedsHolding` counts and the latency bound of
 * `latencyWithinBound`; they do not fail anything here (see `assertThresholds`).
 */
export function poolReports(reports: readonly EvalReport[], targets: EvalThresholds): PooledReport {
  const rows: PooledSeedRow[] = reports.map((r) => ({
    seed: r.seed,
    campaigns: r.summary.campaigns,
    detected: r.summary.detected,
    campaignRecall: r.summary.campaignRecall,
    tagPrecision: r.summary.tagPrecision,
    accountF1: r.summary.accountF1,
    latencyMedianSec: r.summary.latencyMedianSec,
    hardCases: r.hardCases.length,
    hardCaseFalsePositives: r.summary.hardCaseFalsePositives,
    falsePositiveTags: [...r.summary.falsePositiveTags],
    holds: heldTargets(r.summary, targets),
  }));

  const campaigns = reports.flatMap((r) => r.campaigns);
  const detected = campaigns.filter((c) => c.detected).length;
  const flaggedTags = sum(reports, (r) => r.summary.flaggedTags);
  const truePositiveTags = sum(reports, (r) => r.summary.truePositiveTags);
  const latencies = campaigns.flatMap((c) => (c.latencySec === null ? [] : [c.latencySec])).sort((a, b) => a - b);
  const bound = targets.maxLatencySec;

  const seedsHolding: Partial<Record<EvalTargetName, number>> = {};
  for (const row of rows) {
    for (const [name, holds] of Object.entries(row.holds) as Array<[EvalTargetName, boolean]>) {
      seedsHolding[name] = (seedsHolding[name] ?? 0) + (holds ? 1 : 0);
    }
  }

  return {
    seeds: reports.map((r) => r.seed),
    targets: { ...targets },
    rows,
    summary: {
      seeds: reports.length,
      campaigns: campaigns.length,
      detected,
      campaignRecall: campaigns.length === 0 ? 1 : detected / campaigns.length,
      flaggedTags,
      truePositiveTags,
      falsePositiveTags: sum(reports, (r) => r.summary.falsePositiveTags.length),
      tagPrecision: flaggedTags === 0 ? 1 : truePositiveTags / flaggedTags,
      accountPrecision: mean(campaigns.map((c) => c.precision)),
      accountRecall: mean(campaigns.map((c) => c.recall)),
      accountF1: mean(campaigns.map((c) => c.f1)),
      latencyMedianSec: quantile(latencies, 0.5),
      latencyP90Sec: quantile(latencies, 0.9),
      latencyWithinBound: bound === undefined ? null : latencies.filter((l) => l <= bound).length,
      hardCases: sum(reports, (r) => r.hardCases.length),
      hardCaseFalsePositives: sum(reports, (r) => r.summary.hardCaseFalsePositives),
      coordinatedFlags: sum(reports, (r) => r.summary.coordinatedFlags),
      spamFlags: sum(reports, (r) => r.summary.spamFlags),
      seedsHolding,
    },
  };
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((s, item) => s + value(item), 0);
}

/** As in one report: the mean of nothing is 1 (nothing to miss). */
function mean(values: readonly number[]): number {
  return values.length === 0 ? 1 : values.reduce((s, v) => s + v, 0) / values.length;
}
