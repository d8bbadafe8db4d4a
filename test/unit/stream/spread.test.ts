import { describe, expect, it } from 'vitest';
import { AnalyzeStage, structuralVirality, gini, topShare } from '../../../src/stream/index.ts';
import { AuthorSet } from '../../../src/stream/author-set.ts';
import { CascadeForest } from '../../../src/stream/cascade-forest.ts';
import { CoTagCounter } from '../../../src/stream/co-tag-counter.ts';
import { SpreadOptionsSchema } from '../../../src/stream/options.ts';
import { feed, MIN, RecordingProducer, T0, tagEvent } from './stream-fixtures.ts';

describe('spread figures', () => {
  it('measures a doubling author set: time to 100 and 1,000 posts, author doubling time', async () => {
    // Unique authors double every 4 minutes: 2^k authors by minute 4k; each posts once.
    const events = [];
    let authors = 0;
    for (let k = 0; k <= 10; k++) {
      const target = 2 ** k;
      const at = T0 + 4 * k * MIN;
      for (; authors < target; authors++) events.push(tagEvent('doubling', at + authors, { author: `u${authors}`, id: `p${authors}` }));
    }
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    await feed(stage, out, events, 50);
    const view = stage.snapshot('doubling');
    expect(view?.uniqueAuthors).toBe(1_024);
    expect(view?.authorDoublingMs).toBeGreaterThanOrEqual(4 * MIN - 1_000);
    expect(view?.authorDoublingMs).toBeLessThanOrEqual(4 * MIN + 1_000);
    // 100th post at k = 7 (authors 65…128), 1,000th at k = 10.
    expect(view?.timeTo100Ms).toBe(28 * MIN + 99);
    expect(view?.timeTo1000Ms).toBe(40 * MIN + 999);
    expect(view?.firstPosters.map((p) => p.authorId)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9']);
    expect(view?.firstPosters[0]).toEqual({ authorId: 'u0', postId: 'p0', ts: T0 });
  });

  it('counts rolling authors and posts over 5, 15 and 60 minutes', async () => {
    const events = [];
    for (let m = 0; m < 60; m++) events.push(tagEvent('roll', T0 + m * MIN, { author: `u${m}` }));
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    await feed(stage, out, [...events, tagEvent('clock', T0 + 60 * MIN + 20_000)], 10, false);
    const rolling = stage.view('roll', T0 + 60 * MIN)?.rolling;
    expect(rolling?.map((r) => [r.windowMinutes, r.posts, r.uniqueAuthors])).toEqual([
      [5, 5, 5],
      [10, 10, 10],
      [15, 15, 15],
      [60, 60, 60],
    ]);
  });

  it('builds a cascade of known depth and size from parent ids', async () => {
    // A chain root ← r1 ← r2 ← r3 (replies), plus two reposts of the root.
    const events = [
      tagEvent('cascade', T0, { id: 'root' }),
      tagEvent('cascade', T0 + 1_000, { id: 'r1', kind: 'reply', parentId: 'root' }),
      tagEvent('cascade', T0 + 2_000, { id: 'r2', kind: 'reply', parentId: 'r1' }),
      tagEvent('cascade', T0 + 3_000, { id: 'r3', kind: 'reply', parentId: 'r2' }),
      tagEvent('cascade', T0 + 4_000, { id: 's1', kind: 'repost', parentId: 'root' }),
      tagEvent('cascade', T0 + 5_000, { id: 's2', kind: 'repost', parentId: 'root' }),
    ];
    const stage = new AnalyzeStage();
    await feed(stage, new RecordingProducer(), [...events, tagEvent('clock', T0 + 60_000)], 2, false);
    const c = stage.snapshot('cascade')?.cascades;
    expect(c).toMatchObject({ count: 1, largest: 6, maxDepth: 3 });
    // Tree: 0-1-2-3 chain, 4 and 5 on 0. Wiener index: edges (subtree sizes 3,2,1,1,1) → 3·3+2·4+1·5+1·5+1·5 = 32; 32/15.
    expect(c?.virality).toBeCloseTo(32 / 15, 12);
  });

  it('structural virality: a star scores just under 2, a chain about n/3', () => {
    const star = [-1, ...Array<number>(99).fill(0)];
    expect(structuralVirality(star)).toBeCloseTo((2 * 99 * 99) / (100 * 99), 12);
    const chain = [-1, ...[...Array(99).keys()]];
    expect(structuralVirality(chain)).toBeCloseTo((100 + 1) / 3, 12);
    expect(structuralVirality([-1])).toBe(0);
  });

  it('bounds cascades: retires idle ones into the cumulative figures', () => {
    const forest = new CascadeForest(SpreadOptionsSchema.parse({ maxCascades: 2, maxCascadeNodes: 3 }));
    forest.add('x:a1', 'x:a', T0);
    forest.add('x:a2', 'x:a', T0 + 1);
    forest.add('x:a3', 'x:a', T0 + 2);
    forest.add('x:b1', 'x:b', T0 + 3);
    forest.add('x:c1', 'x:c', T0 + 4);
    expect(forest.figures(Number.NEGATIVE_INFINITY, true)).toMatchObject({ count: 3, largest: 4 });
    expect(forest.figures(Number.NEGATIVE_INFINITY, false).count).toBe(2);
    forest.expire(T0 + 2 * 60 * MIN);
    expect(forest.figures(Number.NEGATIVE_INFINITY, false).count).toBe(0);
    expect(forest.figures(Number.NEGATIVE_INFINITY, true)).toMatchObject({ count: 3, largest: 4, maxDepth: 1 });
    const restored = CascadeForest.fromJSON(JSON.parse(JSON.stringify(forest.toJSON())), SpreadOptionsSchema.parse({}));
    expect(restored.figures(Number.NEGATIVE_INFINITY, true)).toEqual(forest.figures(Number.NEGATIVE_INFINITY, true));
  });

  it('tracks the top co-occurring tags', async () => {
    const events = [];
    for (let i = 0; i < 30; i++) events.push(tagEvent('main', T0 + i * 1_000, { tags: ['main', 'often', ...(i % 3 === 0 ? ['sometimes'] : []), `rare${i}`] }));
    const stage = new AnalyzeStage();
    await feed(stage, new RecordingProducer(), events, 7);
    const co = stage.snapshot('main')?.coTags ?? [];
    expect(co.slice(0, 2)).toEqual([
      { tag: 'often', count: 30 },
      { tag: 'sometimes', count: 10 },
    ]);
    expect(co).toHaveLength(10);
  });

  it('space-saving keeps a frequent tag among many rare ones', () => {
    const counter = new CoTagCounter(4);
    for (let i = 0; i < 100; i++) {
      counter.add('hot');
      counter.add(`cold${i}`);
    }
    expect(counter.top(1)).toEqual([{ tag: 'hot', count: 100 }]);
    expect(CoTagCounter.fromJSON(counter.toJSON(), 4).top(4)).toEqual(counter.top(4));
  });

  it('Gini and top-k share on hand-made distributions', () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 10])).toBeCloseTo(0.75, 12);
    expect(gini([1])).toBe(0);
    expect(topShare([1, 1, 1, 1], 2)).toBe(0.5);
    expect(topShare([...Array<number>(20).fill(1), 30], 10)).toBeCloseTo(39 / 50, 12);
  });

  it('author set: exact, then a Bloom filter past its cap, and through JSON', () => {
    const set = new AuthorSet(100);
    for (let i = 0; i < 100; i++) expect(set.add(`u${i}`)).toBe(true);
    expect(set.add('u5')).toBe(false);
    const copy = AuthorSet.fromJSON(JSON.parse(JSON.stringify(set.toJSON())), 100);
    expect(copy.add('u7')).toBe(false);
    expect(copy.add('new')).toBe(true);
    for (let i = 100; i < 1_000; i++) set.add(`u${i}`);
    expect(set.toJSON().bloom).toBe(true);
    // A few new authors are taken for known ones once the filter holds ten times the cap.
    expect(set.size).toBeGreaterThan(970);
    expect(set.add('u3')).toBe(false);
    const bloom = AuthorSet.fromJSON(JSON.parse(JSON.stringify(set.toJSON())), 100);
    expect(bloom.add('u999')).toBe(false);
    expect(bloom.size).toBe(set.size);
  });
});
