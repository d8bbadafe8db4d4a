import { describe, expect, it } from 'vitest';
import { AnalyzeStage } from '../../../src/stream/index.ts';
import { feed, finalMinutes, jitter, MIN, RecordingProducer, syntheticStream, T0, tagEvent } from './stream-fixtures.ts';

const DAY = 24 * 60 * MIN;

describe('AnalyzeStage minutes', () => {
  it('counts a constant-rate tag minute by minute', async () => {
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    const events = [];
    for (let m = 0; m < 10; m++) {
      for (let i = 0; i < 6; i++) {
        const kind = (['original', 'repost', 'reply', 'quote', 'original', 'repost'] as const)[i] ?? 'original';
        events.push(tagEvent('steady', T0 + m * MIN + i * 10_000, { author: `u${i}`, kind, lang: i % 2 === 0 ? 'en' : 'fr' }));
      }
    }
    await feed(stage, out, events, 7);
    const rows = finalMinutes(out.metrics);
    expect(rows).toHaveLength(10);
    for (const [m, r] of rows.entries()) {
      expect(r.minute).toBe(T0 + m * MIN);
      expect([r.posts, r.originals, r.reposts, r.replies, r.quotes]).toEqual([6, 2, 2, 1, 1]);
      expect(r.uniqueAuthors).toBe(6);
      expect(r.newAuthors).toBe(m === 0 ? 6 : 0);
      expect(r.languages).toBe(2);
      expect(r.platforms).toBe(1);
      expect(r.gini).toBe(0);
      expect(r.top10Share).toBe(1);
      expect(r.latePosts).toBe(0);
      expect(r.revision).toBe(0);
    }
    // A steady tag's smoothed velocity converges on its rate.
    expect(rows[9]?.velocity).toBeGreaterThan(5.5);
    expect(rows[9]?.velocity).toBeLessThan(6.01);
    expect(Math.abs(rows[9]?.zscore ?? 99)).toBeLessThan(1);
  });

  it('counts reach and young posts from new authors and account age', async () => {
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    const young = T0 - 3 * DAY;
    const old = T0 - 400 * DAY;
    await feed(
      stage,
      out,
      [
        tagEvent('reach', T0 + 1_000, { author: 'a', followers: 100, createdTs: young, platform: 'bsky' }),
        tagEvent('reach', T0 + 2_000, { author: 'a', followers: 100, createdTs: young }),
        tagEvent('reach', T0 + 3_000, { author: 'b', followers: 5, createdTs: old }),
        tagEvent('reach', T0 + MIN + 1_000, { author: 'a', followers: 100, createdTs: young }),
        tagEvent('reach', T0 + MIN + 2_000, { author: 'c', followers: 7 }),
      ],
      2,
    );
    const [first, second] = finalMinutes(out.metrics);
    expect(first).toMatchObject({ posts: 3, uniqueAuthors: 2, newAuthors: 2, reach: 105, youngPosts: 2, platforms: 2 });
    expect(second).toMatchObject({ posts: 2, uniqueAuthors: 2, newAuthors: 1, reach: 7, youngPosts: 1, platforms: 1 });
  });

  it('computes Gini and top-10 share on a hand-made distribution', async () => {
    // One author with 12 posts, 11 authors with one each: 23 posts.
    const events = [];
    for (let i = 0; i < 12; i++) events.push(tagEvent('skew', T0 + i * 1_000, { author: 'loud' }));
    for (let i = 0; i < 11; i++) events.push(tagEvent('skew', T0 + 20_000 + i * 1_000, { author: `quiet${i}` }));
    const out = new RecordingProducer();
    await feed(new AnalyzeStage(), out, events, 5);
    const [row] = finalMinutes(out.metrics);
    // Top 10 = the loud author (12) + 9 quiet ones = 21 of 23.
    expect(row?.top10Share).toBeCloseTo(21 / 23, 12);
    // Gini of [1×11, 12]: 2·Σ i·x_i / (n·Σx) − (n+1)/n with x sorted ascending.
    const weighted = [...Array(11).keys()].reduce((s, i) => s + (i + 1), 0) + 12 * 12;
    expect(row?.gini).toBeCloseTo((2 * weighted) / (12 * 23) - 13 / 12, 12);
  });

  it('revises a minute for a post within the lateness and counts a later one in the arrival minute', async () => {
    const stage = new AnalyzeStage({ allowedLatenessMs: 120_000, reorderBoundMs: 10_000 });
    const out = new RecordingProducer();
    const events = [
      tagEvent('late', T0 + 5_000),
      tagEvent('late', T0 + 65_000),
      tagEvent('late', T0 + 95_000),
      // 40 s behind the clock: past the reorder bound, within the lateness → minute 0, revision 1.
      tagEvent('late', T0 + 55_000),
      tagEvent('late', T0 + 5 * MIN + 1_000),
      // Minute 1 is final now (clock 5:01 − 2 min > 2:00): counted late in the arrival minute (4).
      tagEvent('late', T0 + 70_000),
      tagEvent('late', T0 + 6 * MIN),
    ];
    await feed(stage, out, events, 1);
    const minute0 = out.metrics.filter((r) => r.minute === T0);
    expect(minute0.map((r) => [r.revision, r.posts])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    const rows = finalMinutes(out.metrics);
    expect(rows.map((r) => [(r.minute - T0) / MIN, r.posts, r.latePosts])).toEqual([
      [0, 2, 0],
      [1, 2, 0],
      [4, 1, 1],
      [5, 1, 0],
      [6, 1, 0],
    ]);
    expect(rows.reduce((s, r) => s + r.posts, 0)).toBe(events.length);
    expect(stage.figures()).toMatchObject({ reordered: 1, late: 1 });
  });

  it('counts a record delivered twice once', async () => {
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    const a = tagEvent('dup', T0 + 1_000, { id: 'same' });
    const b = tagEvent('dup', T0 + 30_000, { id: 'other' });
    // Twice while buffered, and once more after it was released into its (open) minute.
    await feed(stage, out, [a, a, b, tagEvent('dup', T0 + 45_000, { id: 'x' }), a], 1);
    const [row] = finalMinutes(out.metrics);
    expect(row?.posts).toBe(3);
    expect(stage.figures().duplicates).toBe(2);
  });

  it('dead-letters a record that is not a tag event and goes on', async () => {
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    const good = tagEvent('ok', T0);
    await stage.process(
      {
        stream: 'tag-events',
        partition: 0,
        records: [
          { key: 'bad', value: { tag: 'bad', post: { id: 'x', platform: 'x', ts: Number.NaN, author: { id: 'a' } } } as never },
          { key: 'ok', value: good },
        ],
      },
      out,
    );
    await stage.flush(out, true);
    expect(out.values('dlq')).toHaveLength(1);
    expect(out.values('dlq')[0]?.code).toBe('TW_MESSAGE_INVALID');
    expect(finalMinutes(out.metrics).map((r) => r.posts)).toEqual([1]);
  });

  it('follows a step change: velocity climbs and the z-score jumps', async () => {
    const events = [];
    let n = 0;
    for (let m = 0; m < 60; m++) {
      const perMinute = m < 40 ? 2 : 30;
      for (let i = 0; i < perMinute; i++) events.push(tagEvent('step', T0 + m * MIN + Math.floor((i * MIN) / perMinute), { author: `u${n++ % 500}` }));
    }
    const out = new RecordingProducer();
    await feed(new AnalyzeStage(), out, events, 50);
    const rows = finalMinutes(out.metrics);
    const before = rows[39];
    const after = rows[40];
    expect(before?.posts).toBe(2);
    expect(after?.posts).toBe(30);
    expect(Math.abs(before?.zscore ?? 99)).toBeLessThan(2);
    expect(after?.zscore).toBeGreaterThan(10);
    expect(after?.acceleration).toBeGreaterThan(5);
    expect(rows[59]?.velocity).toBeGreaterThan(25);
  });

  it('emits the sum of posts equal to the number of events on a jittered stream', async () => {
    const events = jitter(syntheticStream({ seed: 3, minutes: 30, tags: 15 }), 4, 30_000);
    const out = new RecordingProducer();
    await feed(new AnalyzeStage(), out, events, 37);
    expect(finalMinutes(out.metrics).reduce((s, r) => s + r.posts, 0)).toBe(events.length);
  });
});
