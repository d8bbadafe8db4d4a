import { describe, expect, it } from 'vitest';
import { assertThresholds, firstDetectedAt, latestEvalFlags, quantile, scoreDetections, unmetThresholds, type EvalFlag, type EvalTruth } from '../../../src/eval/index.ts';
import { TagwatchError } from '../../../src/errors/index.ts';
import type { Flag } from '../../../src/model/index.ts';

const T = Date.parse('2024-05-06T00:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

const truth: EvalTruth = {
  seed: 7,
  campaigns: [
    { id: 'c1', tag: 'alpha', style: 'copypasta', start: iso(T), end: iso(T + 30 * MIN), members: ['a1', 'a2', 'a3', 'a4'] },
    { id: 'c2', tag: 'beta', style: 'repost_ring', start: iso(T + 10 * MIN), end: iso(T + 40 * MIN), members: ['b1', 'b2'] },
    { id: 'c3', tag: 'gamma', style: 'paraphrase', start: iso(T), end: iso(T + 20 * MIN), members: ['g1'] },
  ],
  hardCases: [
    { id: 'h1', tag: 'news', kind: 'breaking_news', start: iso(T), end: iso(T + 60 * MIN) },
    { id: 'h2', tag: 'match', kind: 'live_event', start: iso(T), end: iso(T + 60 * MIN) },
  ],
};

function flag(partial: Partial<EvalFlag> & Pick<EvalFlag, 'flagId' | 'tag'>): EvalFlag {
  return { kind: 'coordinated', detectedAt: T, firstDetectedAt: T, authors: [], revision: 0, ...partial };
}

describe('scoreDetections', () => {
  const flags: EvalFlag[] = [
    flag({ flagId: 'f1', tag: 'alpha', firstDetectedAt: T + 90_000, detectedAt: T + 20 * MIN, authors: ['a1', 'a2', 'a3', 'x9'] }),
    // Fires 29 min after the end of c2: still counts.
    flag({ flagId: 'f2', tag: 'beta', firstDetectedAt: T + 69 * MIN, detectedAt: T + 69 * MIN, authors: ['b1', 'b2'] }),
    // Fires before c3 started: neither a detection nor (on a campaign tag without match) a true positive.
    flag({ flagId: 'f3', tag: 'gamma', firstDetectedAt: T - 5 * MIN, detectedAt: T - 5 * MIN, authors: ['g1'] }),
    flag({ flagId: 'f4', tag: 'news', firstDetectedAt: T + 30 * MIN, detectedAt: T + 35 * MIN, authors: ['n1', 'n2', 'n3'] }),
    flag({ flagId: 'f5', tag: 'news', firstDetectedAt: T + 50 * MIN, detectedAt: T + 50 * MIN, authors: ['n4', 'n5', 'n6'] }),
    flag({ flagId: 's1', tag: 'match', kind: 'spam', authors: ['m1'] }),
  ];
  const report = scoreDetections(truth, flags);

  it('counts a campaign when a coordinated flag on its tag fires between its start and 30 min after its end', () => {
    expect(report.campaigns.map((c) => c.detected)).toEqual([true, true, false]);
    expect(report.summary.campaignRecall).toBeCloseTo(2 / 3, 10);
  });

  it('measures latency in event time from the campaign start to the first firing', () => {
    expect(report.campaigns[0]!.latencySec).toBe(90);
    expect(report.campaigns[1]!.latencySec).toBe(59 * 60);
    expect(report.summary.latencyMedianSec).toBe(90);
    expect(report.summary.latencyP90Sec).toBe(59 * 60);
  });

  it('scores flagged accounts per campaign', () => {
    const c1 = report.campaigns[0]!;
    expect([c1.truePositives, c1.flagged]).toEqual([3, 4]);
    expect(c1.precision).toBeCloseTo(0.75, 10);
    expect(c1.recall).toBeCloseTo(0.75, 10);
    expect(c1.f1).toBeCloseTo(0.75, 10);
    expect(report.campaigns[2]!.f1).toBe(0);
    expect(report.summary.accountF1).toBeCloseTo((0.75 + 1 + 0) / 3, 10);
  });

  it('counts false positives once per distinct tag', () => {
    expect(report.summary.flaggedTags).toBe(4);
    expect(report.summary.truePositiveTags).toBe(2);
    expect(report.summary.falsePositiveTags).toEqual(['gamma', 'news']);
    expect(report.summary.tagPrecision).toBeCloseTo(0.5, 10);
  });

  it('counts hard cases with coordinated flags, and spam separately', () => {
    expect(report.hardCases.map((h) => [h.id, h.coordinatedFlags, h.spamFlags])).toEqual([
      ['h1', 2, 0],
      ['h2', 0, 1],
    ]);
    expect(report.summary.hardCaseFalsePositives).toBe(1);
  });

  it('is perfect on an empty world', () => {
    const empty = scoreDetections({ campaigns: [], hardCases: [] }, []);
    expect(empty.summary.campaignRecall).toBe(1);
    expect(empty.summary.tagPrecision).toBe(1);
    expect(empty.summary.latencyMedianSec).toBeNull();
  });
});

describe('thresholds', () => {
  const report = scoreDetections(truth, [flag({ flagId: 'f1', tag: 'alpha', firstDetectedAt: T + 200_000, authors: ['a1', 'a2', 'a3', 'a4'] })]);

  it('names every floor not met', () => {
    const unmet = unmetThresholds(report, { minRecall: 0.95, minPrecision: 0.9, minF1: 0.85, maxLatencySec: 120, maxHardFp: 0 });
    expect(unmet).toHaveLength(3);
    expect(unmet[0]).toMatch(/^campaign recall 0\.333 < 0\.95/);
    expect(unmet[1]).toMatch(/^account F1/);
    expect(unmet[2]).toMatch(/^median detection latency 200 s > 120 s/);
  });

  it('throws TW_EVAL_THRESHOLD, which the CLI maps to exit code 3', () => {
    expect(() => assertThresholds(report, { minRecall: 0.95 })).toThrow(TagwatchError);
    try {
      assertThresholds(report, { minRecall: 0.95 });
    } catch (err) {
      expect((err as TagwatchError).code).toBe('TW_EVAL_THRESHOLD');
    }
    expect(() => assertThresholds(report, { minRecall: 0.3, maxHardFp: 0 })).not.toThrow();
  });
});

describe('flag records', () => {
  it('reads the first firing time from the evidence, else the detection time', () => {
    expect(firstDetectedAt(JSON.stringify({ summary: 's', firstDetectedAt: 1_000 }), 5_000)).toBe(1_000);
    expect(firstDetectedAt('not json', 5_000)).toBe(5_000);
    expect(firstDetectedAt(JSON.stringify({ firstDetectedAt: 'x' }), 5_000)).toBe(5_000);
  });

  it('keeps the latest revision of each flag, as the store does with final = 1', () => {
    const base: Flag = { flagId: 'f', tag: 't', kind: 'coordinated', detectedAt: 1, windowStart: 0, windowEnd: 1, score: 1, authors: ['a'], postIds: [], signals: {}, evidence: '{"firstDetectedAt":1}', revision: 0 };
    const out = latestEvalFlags([base, { ...base, revision: 2, detectedAt: 9, authors: ['a', 'b'] }, { ...base, revision: 1, detectedAt: 5 }]);
    expect(out).toEqual([{ flagId: 'f', tag: 't', kind: 'coordinated', detectedAt: 9, firstDetectedAt: 1, authors: ['a', 'b'], revision: 2 }]);
  });

  it('takes nearest-rank quantiles', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(quantile([5], 0.5)).toBe(5);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('campaigns sharing a tag', () => {
  const shared: EvalTruth = {
    campaigns: [
      { id: 'ring', tag: 'leak', style: 'repost_ring', start: iso(T), end: iso(T + 60 * MIN), members: ['r1', 'r2', 'r3'] },
      { id: 'copy', tag: 'leak', style: 'copypasta', start: iso(T + 10 * MIN), end: iso(T + 50 * MIN), members: ['c1', 'c2'] },
      // Same tag, a day later: its members are not excused.
      { id: 'later', tag: 'leak', style: 'copypasta', start: iso(T + 24 * 60 * MIN), end: iso(T + 25 * 60 * MIN), members: ['l1'] },
    ],
    hardCases: [],
  };
  const report = scoreDetections(shared, [flag({ flagId: 'f', tag: 'leak', firstDetectedAt: T + 12 * MIN, authors: ['r1', 'r2', 'c1', 'c2', 'l1', 'human'] })]);

  it('does not count the members of another campaign on the tag at the time as false positives', () => {
    const ring = report.campaigns[0]!;
    expect([ring.truePositives, ring.flagged]).toEqual([2, 6]);
    expect(ring.precision).toBeCloseTo(4 / 6, 10);
    expect(ring.recall).toBeCloseTo(2 / 3, 10);
    const copy = report.campaigns[1]!;
    expect(copy.precision).toBeCloseTo(4 / 6, 10);
    expect(copy.recall).toBe(1);
    expect(report.campaigns[2]!.detected).toBe(false);
  });
});

