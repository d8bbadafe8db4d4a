import { describe, expect, it } from 'vitest';
import type { TagEvent } from '../../../src/model/index.ts';
import { AnalyzeStage, flagId } from '../../../src/stream/index.ts';
import { feed, finalFlags, MIN, RecordingProducer, syntheticStream, T0, tagEvent } from './stream-fixtures.ts';

/** `perMinute` posts per minute on `tag` from minute `from` to `to`, by rotating authors. */
function steady(tag: string, from: number, to: number, perMinute: number, authors = 1_000, prefix = tag): TagEvent[] {
  const out: TagEvent[] = [];
  let n = 0;
  for (let m = from; m < to; m++) {
    for (let i = 0; i < perMinute; i++) {
      out.push(tagEvent(tag, T0 + m * MIN + Math.floor((i * MIN) / perMinute), { id: `${prefix}-${m}-${i}`, author: `${prefix}-a${n++ % authors}`, kind: i % 3 === 0 ? 'original' : 'repost' }));
    }
  }
  return out;
}

function merge(...streams: TagEvent[][]): TagEvent[] {
  return streams.flat().sort((a, b) => a.post.ts - b.post.ts || (a.post.id < b.post.id ? -1 : 1));
}

describe('BurstDetector', () => {
  it('recognises a brand-new tag going from 0 to hundreds a minute within a minute of event time', async () => {
    // A quiet background keeps the clock going; #leak is born at minute 40 (after the warm-up).
    const events = merge(steady('background', 0, 80, 3), steady('leak', 40, 50, 300));
    const out = new RecordingProducer();
    await feed(new AnalyzeStage(), out, events, 100);
    const flags = out.flags.filter((f) => f.tag === 'leak');
    expect(flags).toHaveLength(2);
    const [fired, closed] = flags;
    expect(fired?.revision).toBe(0);
    expect(fired!.detectedAt - (T0 + 40 * MIN)).toBeLessThan(MIN);
    expect(fired?.flagId).toBe(flagId('leak', 'burst', fired!.windowStart));
    const evidence = JSON.parse(fired!.evidence) as { summary: string };
    expect(evidence.summary).toMatch(/^#leak: \d+ posts\/min, a new tag \(first post \d+ min earlier\), [\d,]+ authors in 10 min, \d+% reposts$/);
    expect(fired?.signals['rate']).toBeGreaterThanOrEqual(20);
    expect(fired?.authors.length).toBeGreaterThan(0);
    expect(fired?.postIds.length).toBeGreaterThan(0);
    // The episode closes once calm (after the stream stops at minute 50), as revision 1 of the same flag.
    expect(closed?.flagId).toBe(fired?.flagId);
    expect(closed?.revision).toBe(1);
    expect(closed?.signals['peakRate']).toBeGreaterThanOrEqual(250);
    expect(out.flags.filter((f) => f.tag === 'background')).toEqual([]);
  });

  it('fires once per episode and re-arms after the tag calms down', async () => {
    const events = merge(steady('background', 0, 150, 3), steady('news', 0, 150, 2, 50, 'base'), steady('news', 40, 55, 80, 1_000, 'w1'), steady('news', 100, 110, 80, 1_000, 'w2'));
    const out = new RecordingProducer();
    await feed(new AnalyzeStage(), out, events, 250);
    const fired = out.flags.filter((f) => f.tag === 'news' && f.revision === 0);
    expect(fired.map((f) => Math.floor((f.windowStart - T0) / MIN / 10))).toEqual([3, 9]);
    expect(new Set(fired.map((f) => f.flagId)).size).toBe(2);
    // Each episode is closed once (revision 1) before the next one fires.
    expect(out.flags.filter((f) => f.tag === 'news' && f.revision === 1)).toHaveLength(2);
    const summary = (JSON.parse(fired[0]!.evidence) as { summary: string }).summary;
    expect(summary).toMatch(/^#news: \d+ posts\/min, [\d.,]+× its 6-hour baseline of [\d.]+\/min, [\d,]+ authors in 10 min, \d+% reposts$/);
  });

  it('does not fire on a busy tag already active when the stream began, nor on one account spamming', async () => {
    const spam: TagEvent[] = [];
    for (let i = 0; i < 60 * 30; i++) spam.push(tagEvent('spam', T0 + 30 * MIN + i * 1_000, { id: `spam${i}`, author: 'spammer' }));
    const events = merge(steady('popular', 0, 120, 120, 3_000), spam);
    const out = new RecordingProducer();
    await feed(new AnalyzeStage(), out, events, 500);
    expect(out.flags).toEqual([]);
  });

  it('stays quiet on Poisson background tags', async () => {
    const out = new RecordingProducer();
    await feed(new AnalyzeStage(), out, syntheticStream({ seed: 5, minutes: 240, tags: 40 }), 500);
    expect(out.flags).toEqual([]);
  });

  it('fires with a deterministic id that a replay reproduces', async () => {
    const events = merge(steady('background', 0, 60, 3), steady('leak', 40, 50, 300));
    const a = new RecordingProducer();
    const b = new RecordingProducer();
    await feed(new AnalyzeStage(), a, events, 1_000);
    await feed(new AnalyzeStage(), b, events, 3);
    expect(finalFlags(b.flags)).toEqual(finalFlags(a.flags));
  });
});
