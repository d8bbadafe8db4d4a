import { describe, expect, it } from 'vitest';
import { evaluateOnSimulation } from '../../../src/eval/index.ts';
import { CoordinationDetector } from '../../../src/stream/coordination/index.ts';

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
