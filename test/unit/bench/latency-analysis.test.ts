import { describe, expect, it } from 'vitest';
import { flagLatencies, lowerBound, minuteCloseLatencies, minuteLatencies } from '../../../src/bench/latency-analysis.ts';

const MIN = 60_000;
// Five posts in event-time order (two in minute 0, two in minute 1, one in minute 2), sent 100 ms apart.
const ts = [1_000, 50_000, MIN + 5_000, MIN + 30_000, 2 * MIN + 15_000];
const sentAt = [10_000, 10_100, 10_200, 10_300, 10_400];
const tags: string[][] = [['a'], ['a', 'b'], ['a'], [], ['a']];

describe('lowerBound', () => {
  it('finds the first element not below the value', () => {
    expect(lowerBound(ts, 0)).toBe(0);
    expect(lowerBound(ts, 50_000)).toBe(1);
    expect(lowerBound(ts, 50_001)).toBe(2);
    expect(lowerBound(ts, 10 * MIN)).toBe(ts.length);
    expect(lowerBound([], 1)).toBe(0);
  });
});

describe('minuteLatencies', () => {
  it('measures each (post, tag) pair to the first write of its minute row', () => {
    const rows = [
      { tag: 'a', minute: 0, at: 11_000 },
      { tag: 'a', minute: 0, at: 12_000 }, // a later revision does not count
      { tag: 'b', minute: 0, at: 10_900 },
      { tag: 'a', minute: MIN, at: 11_500 },
    ];
    const { latencies, missing } = minuteLatencies(ts, sentAt, (i) => tags[i] ?? [], rows);
    expect(latencies).toEqual([1_000, 900, 800, 1_300]);
    expect(missing).toBe(1); // post 4's minute (2) never closed
  });
});

describe('minuteCloseLatencies', () => {
  it('measures from the post whose event time made the minute closable', () => {
    const rows = [
      { tag: 'a', minute: 0, at: 10_500 },
      { tag: 'a', minute: MIN, at: 10_900 },
      { tag: 'a', minute: 2 * MIN, at: 11_000 },
    ];
    // Minute 0 is closable at 70 s: post 2 (65 s) is not enough, post 3 (90 s) is.
    const { latencies, unclosed } = minuteCloseLatencies(ts, sentAt, rows, 10_000);
    expect(latencies).toEqual([10_500 - 10_300, 10_900 - 10_400]);
    expect(unclosed).toBe(1);
  });
});

describe('flagLatencies', () => {
  it('measures from the first post that reached the flag time, once per flag', () => {
    const flags = [
      { id: 'f1', detectedAt: 50_000, at: 10_600 },
      { id: 'f1', detectedAt: 50_000, at: 10_700 }, // a revision
      { id: 'f2', detectedAt: MIN, at: 10_250 },
      { id: 'f3', detectedAt: 5 * MIN, at: 20_000 },
    ];
    const { latencies, untriggered } = flagLatencies(ts, sentAt, flags);
    expect(latencies).toEqual([500, 50]);
    expect(untriggered).toBe(1);
  });
});
