import { describe, expect, it } from 'vitest';
import { cascadeFigures } from '../../../src/web/index.ts';

const chain = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, parentId: i === 0 ? '' : `${prefix}${i - 1}` }));
const star = (leaves: number, prefix = 's') => [{ id: `${prefix}0`, parentId: '' }, ...Array.from({ length: leaves }, (_, i) => ({ id: `${prefix}${i + 1}`, parentId: `${prefix}0` }))];

describe('cascade figures', () => {
  it('measures a chain: depth n−1, structural virality (n+1)/3', () => {
    const figures = cascadeFigures(chain(5));
    expect(figures.cascades).toBe(1);
    expect(figures.largestSize).toBe(5);
    expect(figures.maxDepth).toBe(4);
    // Mean distance over the 10 pairs of a 5-path: (4·1 + 3·2 + 2·3 + 1·4) / 10 = 2.
    expect(figures.meanStructuralVirality).toBeCloseTo(2, 10);
  });

  it('measures a star (a broadcast): depth 1, virality 2(n−1)/n', () => {
    const figures = cascadeFigures(star(9));
    expect(figures.maxDepth).toBe(1);
    expect(figures.largestSize).toBe(10);
    expect(figures.top[0]?.structuralVirality).toBeCloseTo((2 * 9) / 10, 10);
  });

  it('ranks several cascades, ignores lone posts and parents outside the tag', () => {
    const posts = [...chain(3, 'a'), ...star(6, 'b'), { id: 'lone', parentId: '' }, { id: 'orphan', parentId: 'not-in-this-tag' }];
    const figures = cascadeFigures(posts);
    expect(figures.cascades).toBe(2);
    expect(figures.top.map((t) => t.rootId)).toEqual(['b0', 'a0']);
    expect(figures.meanStructuralVirality).toBeCloseTo((12 / 7 + 4 / 3) / 2, 10);
  });

  it('survives a deep chain without recursion and a parent cycle', () => {
    expect(cascadeFigures(chain(50_000)).maxDepth).toBe(49_999);
    expect(cascadeFigures([{ id: 'x', parentId: 'y' }, { id: 'y', parentId: 'x' }]).cascades).toBe(0);
    expect(cascadeFigures([])).toEqual({ cascades: 0, largestSize: 0, maxDepth: 0, meanStructuralVirality: 0, top: [] });
  });
});
