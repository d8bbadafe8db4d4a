import { describe, expect, it } from 'vitest';
import { AnalyzeStage } from '../../../src/stream/index.ts';
import { feed, finalMinutes, MIN, RecordingProducer, T0, tagEvent } from './stream-fixtures.ts';

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
    expect(rows.reduce((s, r) => s + r.posts, 0)).toBe(events.length);
  });
});
