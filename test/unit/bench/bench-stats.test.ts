import { describe, expect, it } from 'vitest';
import { latencySummary, linearSlope, perSecond, percentile } from '../../../src/bench/bench-stats.ts';

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    const values = [10, 20, 30, 40, 50];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 90)).toBeCloseTo(46, 10);
    expect(percentile([1, 2], 50)).toBe(1.5);
  });

  it('does not depend on input order and does not reorder the input', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 25)).toBe(2);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('is undefined for no values and rejects a percentile outside 0..100', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('p99 of 1..100 lies between the two highest values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBeCloseTo(99.01, 10);
  });
});

describe('latencySummary', () => {
  it('summarizes p50, p90, p99 and max', () => {
    const values = Array.from({ length: 1_001 }, (_, i) => 1_000 - i);
    expect(latencySummary(values)).toEqual({ count: 1_001, p50: 500, p90: 900, p99: 990, max: 1_000 });
  });

  it('has only a count for an empty sample', () => {
    expect(latencySummary([])).toEqual({ count: 0 });
  });
});

describe('linearSlope', () => {
  it('finds the slope of a line and of a noisy line', () => {
    expect(linearSlope([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })))).toBeCloseTo(2, 12);
    const noisy = [0, 1, 2, 3, 4, 5].map((x) => ({ x, y: 100 - 3 * x + (x % 2 === 0 ? 1 : -1) }));
    expect(linearSlope(noisy)).toBeCloseTo(-3 - 3 / 17.5, 10);
  });

  it('is zero for a flat series and undefined without two distinct x', () => {
    expect(linearSlope([0, 1, 2].map((x) => ({ x, y: 7 })))).toBe(0);
    expect(linearSlope([{ x: 1, y: 1 }])).toBeUndefined();
    expect(linearSlope([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toBeUndefined();
  });
});

describe('perSecond', () => {
  it('turns a count over milliseconds into a rate', () => {
    expect(perSecond(500, 250)).toBe(2_000);
    expect(perSecond(1, 0)).toBeUndefined();
  });
});
