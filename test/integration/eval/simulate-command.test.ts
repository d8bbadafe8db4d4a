import { describe, expect, it } from 'vitest';
import type { SimulatedEvaluation } from '../../../src/eval/index.ts';
import { runTagwatch } from '../../support/tagwatch-cli.ts';

// Two seeds of one simulated hour each keep this to a few seconds; the floors are deterministic
// for a given detector (seeded simulation, event time only).
const SIMULATE = ['eval', '--simulate', '1-2', '--hours', '1', '--format', 'json'];

describe('tagwatch eval --simulate', () => {
  it('pools the seeds into one JSON report and exits 0 when the pooled floors are met', async () => {
    const result = await runTagwatch([...SIMULATE, '--min-recall', '0.8', '--min-precision', '0.8', '--min-f1', '0.8', '--max-latency-s', '120', '--max-hard-fp', '2']);
    expect(result.code, result.stderr).toBe(0);
    // Progress, one line per seed, goes to stderr; stdout is the report alone.
    expect(result.stderr).toMatch(/^seed 1 \(1\/2\): .*\nseed 2 \(2\/2\): .*\n$/);
    const report = JSON.parse(result.stdout) as SimulatedEvaluation;
    expect(report.hours).toBe(1);
    expect(report.seeds).toEqual([1, 2]);
    expect(report.targets).toEqual({ minRecall: 0.8, minPrecision: 0.8, minF1: 0.8, maxLatencySec: 120, maxHardFp: 2 });
    expect(report.rows.map((r) => r.seed)).toEqual([1, 2]);
    const s = report.summary;
    expect(s.seeds).toBe(2);
    expect(s.campaigns).toBe(report.rows.reduce((n, r) => n + r.campaigns, 0));
    expect(s.detected).toBe(report.rows.reduce((n, r) => n + r.detected, 0));
    expect(s.campaignRecall).toBeCloseTo(s.detected / s.campaigns, 10);
    expect(s.campaigns).toBeGreaterThan(0);
    expect(s.tagPrecision).toBeGreaterThanOrEqual(0.8);
    expect(s.accountF1).toBeGreaterThanOrEqual(0.8);
    expect(s.latencyMedianSec).not.toBeNull();
    expect(s.latencyP90Sec!).toBeGreaterThanOrEqual(s.latencyMedianSec!);
    expect(s.latencyWithinBound!).toBeLessThanOrEqual(s.detected);
    expect(s.hardCases).toBeGreaterThan(0);
    expect(Object.keys(s.seedsHolding).sort()).toEqual(['f1', 'hardFp', 'latency', 'precision', 'recall']);
  });

  it('exits 3 naming the pooled floor that was not met', async () => {
    const result = await runTagwatch([...SIMULATE, '--max-latency-s', '0']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toHaveProperty('summary.latencyMedianSec');
    expect(result.stderr).toMatch(/evaluation below threshold: median detection latency \d+ s > 0 s/);
  });

  it('refuses --simulate together with --truth, and a bad seed list, as usage errors', async () => {
    const both = await runTagwatch(['eval', '--simulate', '1', '--truth', 't.json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("option '--simulate <seeds>' cannot be used with option '--truth <file>'");
    const bad = await runTagwatch(['eval', '--simulate', '7-3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a range runs from the lower seed to the higher one');
    const neither = await runTagwatch(['eval']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give --truth FILE');
  });
});
