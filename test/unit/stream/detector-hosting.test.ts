import { describe, expect, it } from 'vitest';
import type { Flag, TagEvent, TagMinute } from '../../../src/model/index.ts';
import { AnalyzeStage, type TagDetector } from '../../../src/stream/index.ts';
import { feed, finalMinutes, jitter, MIN, RecordingProducer, syntheticStream, T0, tagEvent } from './stream-fixtures.ts';

/** Records every call it gets, per tag, and fires a flag on the 3rd event of a tag. */
class RecordingDetector implements TagDetector {
  readonly name = 'recording';
  readonly calls = new Map<string, string[]>();
  #seen = new Map<string, number>();

  observe(event: TagEvent): Flag[] {
    this.#log(event.tag, `o:${event.post.ts}:${event.post.id}`);
    const n = (this.#seen.get(event.tag) ?? 0) + 1;
    this.#seen.set(event.tag, n);
    if (n !== 3) return [];
    return [{ flagId: `f-${event.tag}`, tag: event.tag, kind: 'test', detectedAt: event.post.ts, windowStart: event.post.ts, windowEnd: event.post.ts, score: 1, authors: [], postIds: [], signals: {}, evidence: '{}', revision: 0 }];
  }

  advance(tag: string, now: number, minute: TagMinute | undefined): Flag[] {
    this.#log(tag, `a:${now}:${minute?.posts ?? '-'}`);
    return [];
  }

  snapshot(tag: string): unknown {
    return this.#seen.get(tag);
  }

  restore(tag: string, state: unknown): void {
    this.#seen.set(tag, state as number);
  }

  evict(tag: string): void {
    this.#seen.delete(tag);
  }

  #log(tag: string, call: string): void {
    const list = this.calls.get(tag) ?? [];
    list.push(call);
    this.calls.set(tag, list);
  }
}

describe('AnalyzeStage hosting detectors', () => {
  it('hands each tag its events in time order with minute ticks between, the same for any arrival order', async () => {
    const stream = syntheticStream({ seed: 31, minutes: 40, tags: 12 });
    const a = new RecordingDetector();
    const b = new RecordingDetector();
    const outA = new RecordingProducer();
    await feed(new AnalyzeStage({}, [a]), outA, stream, 13);
    await feed(new AnalyzeStage({}, [() => b]), new RecordingProducer(), jitter(stream, 9, 9_000), 101);
    expect(b.calls).toEqual(a.calls);
    const calls = a.calls.get('bg11') ?? [];
    const times = calls.filter((c) => c.startsWith('o:')).map((c) => Number(c.split(':')[1]));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // Each minute with posts is announced once, with its row, after its last event.
    expect(calls.filter((c) => c.startsWith('a:') && !c.endsWith(':-')).length).toBe(finalMinutes(outA.metrics).filter((r) => r.tag === 'bg11').length);
    expect(outA.flags.filter((f) => f.kind === 'test')).toHaveLength(12);
  });

  it('keeps counting when a detector throws', async () => {
    const broken: TagDetector = {
      name: 'broken',
      observe: () => {
        throw new Error('bug');
      },
      advance: () => [],
      snapshot: () => undefined,
      restore: () => undefined,
      evict: () => undefined,
    };
    const stage = new AnalyzeStage({}, [broken]);
    const out = new RecordingProducer();
    await feed(stage, out, [tagEvent('x', T0), tagEvent('x', T0 + 1_000), tagEvent('x', T0 + MIN)], 2);
    expect(finalMinutes(out.metrics).map((r) => r.posts)).toEqual([2, 1]);
    expect(stage.figures().detectorErrors).toBe(3);
  });
});
