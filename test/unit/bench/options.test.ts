import { describe, expect, it } from 'vitest';
import { BenchmarkNames, resolveBenchOptions } from '../../../src/bench/options.ts';

describe('resolveBenchOptions', () => {
  it('runs every benchmark on the full sizes by default', () => {
    const o = resolveBenchOptions({});
    expect(o.only).toEqual([...BenchmarkNames]);
    expect(o).toMatchObject({ posts: 1_000_000, kafkaPosts: 300_000, memoryTags: [10_000, 100_000, 1_000_000], soakMinutes: 2, latencyRate: 10_000 });
  });

  it('uses tiny sizes with --quick, and explicit sizes win', () => {
    expect(resolveBenchOptions({ quick: true })).toMatchObject({ posts: 20_000, kafkaPosts: 10_000, memoryTags: [2_000, 10_000] });
    expect(resolveBenchOptions({ quick: true, posts: 5_000 })).toMatchObject({ posts: 5_000, kafkaPosts: 5_000 });
  });

  it('refuses unknown benchmarks and non-positive sizes', () => {
    expect(() => resolveBenchOptions({ only: ['nope' as never] })).toThrow();
    expect(() => resolveBenchOptions({ posts: 0 })).toThrow();
  });
});
