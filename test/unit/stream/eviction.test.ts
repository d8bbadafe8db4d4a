import { describe, expect, it } from 'vitest';
import { AnalyzeStage } from '../../../src/stream/index.ts';
import { feed, finalMinutes, MIN, RecordingProducer, T0, tagEvent } from './stream-fixtures.ts';

describe('AnalyzeStage bounded state', () => {
  it('evicts idle tags (counted, tombstoned) and a returning tag starts afresh', async () => {
    const stage = new AnalyzeStage({ idleEvictionMs: 30 * MIN });
    const out = new RecordingProducer();
    const events = [tagEvent('once', T0, { author: 'a' })];
    for (let m = 0; m < 50; m++) events.push(tagEvent('clock', T0 + m * MIN + 1_000, { author: `c${m}` }));
    events.push(tagEvent('once', T0 + 50 * MIN, { author: 'a' }));
    await feed(stage, out, events, 5);
    expect(stage.figures().evictedIdle).toBe(1);
    expect(out.values('analyze-state').some((v) => v === null)).toBe(true);
    const rows = finalMinutes(out.metrics).filter((r) => r.tag === 'once');
    // The author counts as new again: the tag's memory was dropped after 30 idle minutes.
    expect(rows.map((r) => r.newAuthors)).toEqual([1, 1]);
    expect(stage.snapshot('once')?.posts).toBe(1);
  });

  it('caps live tags with an LRU, emitting the evicted tag’s open minutes first', async () => {
    const stage = new AnalyzeStage({ maxLiveTags: 3 });
    const out = new RecordingProducer();
    const events = ['a', 'b', 'c', 'd', 'e'].map((tag, i) => tagEvent(tag, T0 + i * 1_000));
    events.push(tagEvent('a', T0 + 30_000), tagEvent('a', T0 + 50_000));
    await feed(stage, out, events, 1);
    expect(stage.figures().evictedLru).toBe(3);
    expect(stage.figures().liveTags).toBe(3);
    // Every event is still counted somewhere (the evicted 'a' minute, then 'a' again).
    expect(out.metrics.reduce((s, r) => s + r.posts, 0)).toBe(events.length);
  });

  it('keeps a small idle tag under 2 KB', async () => {
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    const events = [];
    for (let i = 0; i < 500; i++) events.push(tagEvent(`small${i}`, T0 + i * 100, { author: `u${i % 97}`, tags: [`small${i}`, 'common'] }));
    events.push(tagEvent('later', T0 + 20 * MIN));
    await feed(stage, out, events, 100, false);
    expect(stage.bytesPerLiveTag()).toBeLessThan(2_048);
  });
});
