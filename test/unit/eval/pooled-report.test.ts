import { describe, expect, it } from 'vitest';
import { assertThresholds, poolReports, scoreDetections, unmetThresholds, type CampaignResult, type EvalReport, type EvalTruth } from '../../../src/eval/index.ts';
import { TagwatchError } from '../../../src/errors/index.ts';

function campaign(id: string, latencySec: number | null, f1: number): CampaignResult {
  const detected = latencySec !== null;
  return { id, tag: id, style: 'copypasta', members: 4, detected, latencySec, flagged: detected ? 4 : 0, truePositives: 0, precision: f1, recall: f1, f1, flagIds: [] };
}

/** A hand-built report: campaign figures as given; summary fields as `scoreDetections` would derive them, tag and hard-case counts given. */
function report(
  seed: number,
  campaigns: CampaignResult[],
  tags: { flagged: number; falsePositives: string[] },
  hard: { total: number; flagged: number },
  latencyMedianSec: number | null,
): EvalReport {
  const detected = campaigns.filter((c) => c.detected).length;
  const meanF1 = campaigns.length === 0 ? 1 : campaigns.reduce((s, c) => s + c.f1, 0) / campaigns.length;
  const truePositiveTags = tags.flagged - tags.falsePositives.length;
  return {
    seed,
    campaigns,
    hardCases: Array.from({ length: hard.total }, (_, i) => ({ id: `h${i}`, tag: `hard${i}`, kind: 'breaking_news', coordinatedFlags: i < hard.flagged ? 1 : 0, spamFlags: 0 })),
    summary: {
      campaigns: campaigns.length,
      detected,
      campaignRecall: campaigns.length === 0 ? 1 : detected / campaigns.length,
      flaggedTags: tags.flagged,
      truePositiveTags,
      falsePositiveTags: tags.falsePositives,
      tagPrecision: tags.flagged === 0 ? 1 : truePositiveTags / tags.flagged,
      accountPrecision: meanF1,
      accountRecall: meanF1,
      accountF1: meanF1,
      latencyMedianSec,
      latencyP90Sec: null,
      hardCaseFalsePositives: hard.flagged,
      coordinatedFlags: tags.flagged,
      spamFlags: 1,
    },
  };
}

// Seed 1: one campaign, caught fast, and a false positive on #alpha.
// Seed 2: four campaigns, one missed; #alpha is one of its true positives (another world, another tag).
const seed1 = report(1, [campaign('a', 10, 1)], { flagged: 2, falsePositives: ['alpha'] }, { total: 4, flagged: 1 }, 10);
const seed2 = report(
  2,
  [campaign('alpha', 20, 0.9), campaign('b', 30, 0.8), campaign('c', 200, 0.7), campaign('d', null, 0)],
  { flagged: 3, falsePositives: [] },
  { total: 3, flagged: 0 },
  30,
);
const targets = { minRecall: 0.95, minPrecision: 0.9, minF1: 0.85, maxLatencySec: 120, maxHardFp: 0 };
const pooled = poolReports([seed1, seed2], targets);

describe('poolReports', () => {
  it('pools campaign recall over all campaigns, not as a mean of per-seed recalls', () => {
    expect(pooled.summary).toMatchObject({ seeds: 2, campaigns: 5, detected: 4 });
    expect(pooled.summary.campaignRecall).toBeCloseTo(4 / 5, 10);
  });

  it('sums each seed’s distinct flagged tags, even when a tag name repeats across seeds', () => {
    expect(pooled.summary).toMatchObject({ flaggedTags: 5, truePositiveTags: 4, falsePositiveTags: 1 });
    expect(pooled.summary.tagPrecision).toBeCloseTo(4 / 5, 10);
  });

  it('takes account F1 as the mean over every campaign, a missed one counting 0', () => {
    expect(pooled.summary.accountF1).toBeCloseTo((1 + 0.9 + 0.8 + 0.7 + 0) / 5, 10);
    expect(pooled.summary.accountPrecision).toBeCloseTo((1 + 0.9 + 0.8 + 0.7 + 0) / 5, 10);
  });

  it('takes latency quantiles over every detected campaign, not the median of per-seed medians', () => {
    // Latencies 10, 20, 30, 200: nearest-rank median is the 2nd, p90 the 4th.
    expect(pooled.summary.latencyMedianSec).toBe(20);
    expect(pooled.summary.latencyP90Sec).toBe(200);
    expect(pooled.summary.latencyWithinBound).toBe(3);
  });

  it('sums hard cases flagged over all hard cases', () => {
    expect(pooled.summary).toMatchObject({ hardCases: 7, hardCaseFalsePositives: 1, coordinatedFlags: 5, spamFlags: 2 });
  });

  it('keeps one row per seed and counts the seeds holding each target', () => {
    expect(pooled.seeds).toEqual([1, 2]);
    expect(pooled.rows.map((r) => [r.seed, r.detected, r.campaigns, r.latencyMedianSec, r.hardCaseFalsePositives, r.hardCases, r.falsePositiveTags])).toEqual([
      [1, 1, 1, 10, 1, 4, ['alpha']],
      [2, 3, 4, 30, 0, 3, []],
    ]);
    expect(pooled.rows[0]!.holds).toEqual({ recall: true, precision: false, f1: true, latency: true, hardFp: false });
    expect(pooled.rows[1]!.holds).toEqual({ recall: false, precision: true, f1: false, latency: true, hardFp: true });
    expect(pooled.summary.seedsHolding).toEqual({ recall: 1, precision: 1, f1: 1, latency: 2, hardFp: 1 });
  });

  it('counts only the targets that are set, and no latency bound without one', () => {
    const partial = poolReports([seed1, seed2], { minRecall: 0.5 });
    expect(partial.summary.seedsHolding).toEqual({ recall: 2 });
    expect(partial.rows[1]!.holds).toEqual({ recall: true });
    expect(partial.summary.latencyWithinBound).toBeNull();
  });

  it('gives one report its own summary figures back', () => {
    const iso = (ms: number): string => new Date(ms).toISOString();
    const T = Date.parse('2024-05-06T00:00:00.000Z');
    const truth: EvalTruth = {
      seed: 9,
      campaigns: [
        { id: 'c1', tag: 'alpha', style: 'copypasta', start: iso(T), end: iso(T + 600_000), members: ['a1', 'a2', 'a3'] },
        { id: 'c2', tag: 'beta', style: 'push', start: iso(T), end: iso(T + 600_000), members: ['b1'] },
      ],
      hardCases: [{ id: 'h1', tag: 'news', kind: 'breaking_news', start: iso(T), end: iso(T + 600_000) }],
    };
    const one = scoreDetections(truth, [
      { flagId: 'f1', tag: 'alpha', kind: 'coordinated', detectedAt: T + 60_000, firstDetectedAt: T + 45_000, authors: ['a1', 'a2', 'x'], revision: 0 },
      { flagId: 'f2', tag: 'news', kind: 'coordinated', detectedAt: T + 60_000, firstDetectedAt: T + 60_000, authors: ['n1', 'n2'], revision: 0 },
    ]);
    const alone = poolReports([one], {});
    const s = one.summary;
    expect(alone.summary).toMatchObject({
      campaigns: s.campaigns,
      detected: s.detected,
      campaignRecall: s.campaignRecall,
      tagPrecision: s.tagPrecision,
      accountPrecision: s.accountPrecision,
      accountRecall: s.accountRecall,
      accountF1: s.accountF1,
      latencyMedianSec: s.latencyMedianSec,
      latencyP90Sec: s.latencyP90Sec,
      hardCaseFalsePositives: s.hardCaseFalsePositives,
    });
    expect(alone.rows[0]!.seed).toBe(9);
  });

  it('follows one report’s conventions for empty sets', () => {
    const empty = poolReports([report(3, [], { flagged: 0, falsePositives: [] }, { total: 0, flagged: 0 }, null)], targets);
    expect(empty.summary).toMatchObject({ campaignRecall: 1, tagPrecision: 1, accountF1: 1, latencyMedianSec: null, latencyWithinBound: 0 });
  });
});

describe('floors on pooled figures', () => {
  it('names each pooled figure below its floor and fails with TW_EVAL_THRESHOLD', () => {
    expect(unmetThresholds(pooled, targets)).toEqual(['campaign recall 0.800 < 0.95', 'tag precision 0.800 < 0.9', 'account F1 0.680 < 0.85', 'hard cases flagged 1 > 0']);
    expect(() => assertThresholds(pooled, { minRecall: 0.8, maxLatencySec: 20 })).not.toThrow();
    expect(() => assertThresholds(pooled, { maxLatencySec: 19 })).toThrow(/median detection latency 20 s > 19 s/);
    try {
      assertThresholds(pooled, { maxHardFp: 0 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TagwatchError);
      expect((err as TagwatchError).code).toBe('TW_EVAL_THRESHOLD');
    }
  });
});
