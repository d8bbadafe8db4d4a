import { describe, expect, it } from 'vitest';
import { AliasTable } from '../../../src/sim/alias-table.ts';
import { permute32, SeededRandom } from '../../../src/sim/seeded-random.ts';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and label, and differs across seeds and labels', () => {
    const draw = (seed: number, label: string) => {
      const r = new SeededRandom(seed, label);
      return Array.from({ length: 8 }, () => r.uint32());
    };
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
  });

  it('draws uniform floats in [0, 1) with the right mean', () => {
    const r = new SeededRandom(42);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('draws normals with mean 0 and variance 1, and Poisson counts with their mean', () => {
    const r = new SeededRandom(7);
    let s = 0;
    let s2 = 0;
    let p = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
      p += r.poisson(3);
    }
    expect(s / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
    expect(p / n).toBeCloseTo(3, 1);
  });

  it('samples without replacement', () => {
    const r = new SeededRandom(3);
    const items = Array.from({ length: 100 }, (_, i) => i);
    for (const k of [5, 60, 100, 150]) {
      const picked = r.sample(items, k);
      expect(picked).toHaveLength(Math.min(k, 100));
      expect(new Set(picked).size).toBe(picked.length);
    }
  });
});

describe('permute32', () => {
  it('maps distinct inputs to distinct outputs (account ids never collide)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(permute32(i, 12345));
    expect(seen.size).toBe(200_000);
  });
});

describe('AliasTable', () => {
  it('draws indexes in proportion to their weights', () => {
    const table = new AliasTable([1, 2, 3, 4]);
    const r = new SeededRandom(9);
    const counts = [0, 0, 0, 0];
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[table.sample(r)]!++;
    counts.forEach((c, i) => expect(c / n).toBeCloseTo((i + 1) / 10, 2));
  });
});
