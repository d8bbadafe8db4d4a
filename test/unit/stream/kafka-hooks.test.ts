import { describe, expect, it } from 'vitest';
import { AnalyzeStage } from '../../../src/stream/index.ts';
import { MIN, RecordingProducer, T0, tagEvent } from './stream-fixtures.ts';

describe('AnalyzeStage transport hooks', () => {
  it('forgets a revoked partition’s tags and buffered events without emitting anything', async () => {
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    await stage.process({ stream: 'tag-events', partition: 0, records: [tagEvent('kept', T0), tagEvent('kept', T0 + MIN)].map((e) => ({ key: e.tag, value: e })) }, out);
    await stage.process({ stream: 'tag-events', partition: 1, records: [tagEvent('moved', T0), tagEvent('moved', T0 + MIN)].map((e) => ({ key: e.tag, value: e })) }, out);
    const sentBefore = [...out.sent.values()].reduce((n, list) => n + list.length, 0);
    await stage.onRevoked('tag-events', [1]);
    expect([...out.sent.values()].reduce((n, list) => n + list.length, 0)).toBe(sentBefore);
    expect(stage.snapshot('moved')).toBeUndefined();
    expect(stage.snapshot('kept')?.posts).toBe(1);
    expect(stage.figures().pendingEvents).toBe(1);
    // The partition comes back (to this or another worker): it starts from its checkpoint, here none.
    await stage.process({ stream: 'tag-events', partition: 1, records: [tagEvent('moved', T0 + 2 * MIN)].map((e) => ({ key: e.tag, value: e })) }, out);
    await stage.sourceWatermark('tag-events', 1, Number.MAX_SAFE_INTEGER, out);
    expect(out.metrics.filter((r) => r.tag === 'moved').map((r) => r.posts)).toEqual([1]);
  });

  it('emits only changed tags at a commit checkpoint, and tombstones for evicted ones', async () => {
    const stage = new AnalyzeStage({ checkpointIntervalMs: 0, idleEvictionMs: 10 * MIN });
    const out = new RecordingProducer();
    const send = (events: ReturnType<typeof tagEvent>[]) =>
      stage.process({ stream: 'tag-events', partition: 0, records: events.map((e) => ({ key: e.tag, value: e })) }, out);
    await send([tagEvent('a', T0), tagEvent('b', T0 + 1_000), tagEvent('clock', T0 + MIN)]);
    await stage.checkpoint(out);
    const first = out.values('analyze-state').map((s) => s?.tag).sort();
    expect(first).toEqual(['a', 'b', 'clock']);
    out.sent.clear();
    await send([tagEvent('a', T0 + 2 * MIN)]);
    await stage.checkpoint(out);
    // 'b' had a tick (its minute closed) since, so it changed too; nothing for an untouched tag.
    expect(out.values('analyze-state').map((s) => s?.tag).sort()).toEqual(['a', 'b', 'clock']);
    out.sent.clear();
    await send([tagEvent('clock', T0 + 40 * MIN)]);
    await stage.checkpoint(out);
    const records = out.sent.get('analyze-state') ?? [];
    // All three idled out; 'clock' is back only as buffered events (its new event is not released yet).
    expect(records.filter((r) => r.value === null).map((r) => r.key).sort()).toEqual(['a', 'b', 'clock']);
    expect(stage.figures().evictedIdle).toBe(3);
  });
});
