import { describe, expect, it } from 'vitest';
import { AnalyzeSpreadReader, cascadeFigures } from '../../../src/web/index.ts';

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
    expect(figures.largestStructuralVirality).toBeCloseTo((2 * 9) / 10, 10);
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
    expect(cascadeFigures([])).toEqual({ cascades: 0, largestSize: 0, maxDepth: 0, largestStructuralVirality: 0, meanStructuralVirality: 0, top: [] });
  });
});

describe('spread from the analyze stage', () => {
  it('maps a live tag view, and answers nothing for a tag the stage does not hold', () => {
    const view = {
      tag: 'macronleaks', display: 'MacronLeaks', firstSeen: 1_000, lastSeen: 9_000, isNew: true, asOf: 9_000, posts: 120, uniqueAuthors: 80,
      timeTo100Ms: 5_000, timeTo1000Ms: null, authorDoublingMs: null,
      firstPosters: [{ authorId: 'a1', postId: 'sim:p1', ts: 1_000 }],
      coTags: [{ tag: 'france', count: 7 }], rolling: [],
      cascades: { count: 3, largest: 40, maxDepth: 2, virality: 1.9 },
      velocity: { rate: 1, velocity: 1, acceleration: 0, baselineMean: 0, baselineStd: 1, zscore: 0 },
      repostShare: 0.5, youngShare: 0.2, burst: null,
    };
    const reader = new AnalyzeSpreadReader({ snapshot: (tag) => (tag === 'macronleaks' ? view : undefined) });
    expect(reader.spread('macronleaks')).toEqual({
      tag: 'macronleaks', source: 'live', totalPosts: 120, uniqueAuthors: 80, firstPost: 1_000, timeTo100Ms: 5_000, timeTo1000Ms: null,
      firstPosters: [{ authorId: 'a1', handle: null, postId: 'sim:p1', ts: 1_000 }],
      coTags: [{ tag: 'france', count: 7 }],
      cascades: { cascades: 3, largestSize: 40, maxDepth: 2, largestStructuralVirality: 1.9, meanStructuralVirality: null, top: [] },
    });
    expect(reader.spread('other')).toBeUndefined();
  });
});
