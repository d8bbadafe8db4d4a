import { describe, expect, it } from 'vitest';
import { describeTargets, formatNumber, meets, ratioTo, resolveRows, verdictOf } from '../../../src/bench/row-verdicts.ts';
import { Verdicts, type BenchRow } from '../../../src/bench/types.ts';

const analyze: BenchRow = {
  id: 'analyze',
  label: 'analyze',
  value: 120_000,
  unit: 'posts/s',
  limitOf: 'parse',
  targets: [
    { on: 'value', op: '>=', value: 100_000 },
    { on: 'ratio', op: '>=', value: 0.5 },
  ],
};

describe('ratioTo', () => {
  it('divides by a positive limit only', () => {
    expect(ratioTo(50, 200)).toBe(0.25);
    expect(ratioTo(50, 0)).toBeUndefined();
    expect(ratioTo(undefined, 10)).toBeUndefined();
    expect(ratioTo(10, undefined)).toBeUndefined();
    expect(ratioTo(Number.NaN, 10)).toBeUndefined();
  });
});

describe('meets', () => {
  it('compares the value or the ratio, inclusive', () => {
    expect(meets({ on: 'value', op: '>=', value: 10 }, 10, undefined)).toBe(true);
    expect(meets({ on: 'value', op: '<=', value: 10 }, 10.5, undefined)).toBe(false);
    expect(meets({ on: 'ratio', op: '>=', value: 0.7 }, 1, 0.69)).toBe(false);
    expect(meets({ on: 'ratio', op: '>=', value: 0.7 }, 1, undefined)).toBeUndefined();
  });
});

describe('verdictOf', () => {
  it('passes only when every target holds', () => {
    expect(verdictOf(analyze, 0.6)).toBe(Verdicts.pass);
    expect(verdictOf(analyze, 0.4)).toBe(Verdicts.fail);
    expect(verdictOf({ ...analyze, value: 90_000 }, 0.9)).toBe(Verdicts.fail);
  });

  it('is an error when a figure it judges is missing, or the benchmark failed', () => {
    expect(verdictOf(analyze, undefined)).toBe(Verdicts.error);
    expect(verdictOf({ ...analyze, value: undefined }, 0.9)).toBe(Verdicts.error);
    expect(verdictOf({ id: 'x', label: 'x', unit: '', value: 3, error: 'boom' }, undefined)).toBe(Verdicts.error);
  });

  it('has no verdict for a figure without targets, measured or not', () => {
    expect(verdictOf({ id: 'parse', label: 'parse', unit: 'posts/s', value: 1 }, undefined)).toBe(Verdicts.none);
    expect(verdictOf({ id: 'p50', label: 'p50', unit: 'ms' }, undefined)).toBe(Verdicts.none);
  });
});

describe('resolveRows', () => {
  it('computes ratios against the named row of the same run', () => {
    const rows = resolveRows([{ id: 'parse', label: 'parse', unit: 'posts/s', value: 200_000 }, analyze]);
    expect(rows[0]).toMatchObject({ ratio: undefined, verdict: Verdicts.none });
    expect(rows[1]).toMatchObject({ ratio: 0.6, verdict: Verdicts.pass });
  });

  it('marks a row whose limit is missing as an error', () => {
    const [row] = resolveRows([analyze]);
    expect(row?.ratio).toBeUndefined();
    expect(row?.verdict).toBe(Verdicts.error);
  });
});

describe('describeTargets and formatNumber', () => {
  it('describes targets with their units', () => {
    expect(describeTargets(analyze)).toBe('≥ 100,000 posts/s; ≥ 0.50× limit');
    expect(describeTargets({ id: 'm', label: 'm', unit: 'B/tag', targets: [{ on: 'value', op: '<=', value: 2_048 }] })).toBe('≤ 2,048 B/tag');
    expect(describeTargets({ id: 'x', label: 'x', unit: '' })).toBe('');
  });

  it('formats large, small and missing numbers for people', () => {
    expect(formatNumber(1_234_567.8)).toBe('1,234,568');
    expect(formatNumber(-2_500)).toBe('-2,500');
    expect(formatNumber(512.4)).toBe('512');
    expect(formatNumber(42.25)).toBe('42.3');
    expect(formatNumber(0.734)).toBe('0.73');
    expect(formatNumber(0.00123)).toBe('0.0012');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(undefined)).toBe('–');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});
