import { describe, expect, it } from 'vitest';
import { DetectionTargets, evaluateOnSimulation, evaluateSimulatedSeeds, unmetThresholds } from '../../../src/eval/index.ts';
import { CoordinationDetector, CoordinationOptionsSchema } from '../../../src/stream/coordination/index.ts';

/**
 * The detector over a whole simulated stream (2 hours, ~30k posts, 4–7 campaigns of every style
 * and the four hard cases), scored against the truth. Seed 201 is an evaluation seed: it was not
 * used while tuning (see src/stream/coordination/README.md). Measured: recall 1.000 (5/5), tag
 * precision 1.000, account F1 0.98, median latency 258 s, no hard case flagged. Floors sit a
 * little under the measured figures so a regression fails.
 */
describe('coordination on a simulated stream', () => {
  it('finds the campaigns, names their members and leaves the hard cases alone', () => {
    const { report } = evaluateOnSimulation({ seed: 201, hours: 2 }, new CoordinationDetector());
    const s = report.summary;
    expect(s.campaigns).toBeGreaterThanOrEqual(4);
    expect(s.campaignRecall).toBeGreaterThanOrEqual(0.95);
    expect(s.tagPrecision).toBeGreaterThanOrEqual(0.9);
    expect(s.accountF1).toBeGreaterThanOrEqual(0.9);
    expect(s.hardCaseFalsePositives).toBe(0);
    expect(s.latencyMedianSec).not.toBeNull();
    expect(s.latencyMedianSec as number).toBeLessThanOrEqual(400);
  });
});

/**
 * Issue 4's targets, pooled over unseen seeds (701–730 were never used while tuning; the first
 * eight of them run here, ~25 s): recall ≥ 0.95, tag precision ≥ 0.9, account F1 ≥ 0.85, median
 * latency ≤ 120 s over all campaigns, no hard case flagged. Deterministic for a given detector, so
 * a change that costs any of them on these seeds fails.
 */
describe('issue 4 targets over unseen seeds', () => {
  it('hold on the pooled figures of seeds 701–708', { timeout: 120_000 }, async () => {
    const result = await evaluateSimulatedSeeds({ seeds: [701, 702, 703, 704, 705, 706, 707, 708], hours: 2 }, CoordinationOptionsSchema.parse({}), DetectionTargets);
    const s = result.summary;
    expect(s.campaigns).toBeGreaterThanOrEqual(30);
    expect(s.campaignRecall).toBeGreaterThanOrEqual(DetectionTargets.minRecall);
    expect(s.tagPrecision).toBeGreaterThanOrEqual(DetectionTargets.minPrecision);
    expect(s.accountF1).toBeGreaterThanOrEqual(DetectionTargets.minF1);
    expect(s.latencyMedianSec).not.toBeNull();
    expect(s.latencyMedianSec!).toBeLessThanOrEqual(DetectionTargets.maxLatencySec);
    expect(s.hardCaseFalsePositives).toBe(0);
    expect(unmetThresholds(result, DetectionTargets)).toEqual([]);
  });
});
