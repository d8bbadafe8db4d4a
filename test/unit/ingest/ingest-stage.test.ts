import { describe, expect, it } from 'vitest';
import { Streams, type BusRecord, type Producer, type StreamName } from '../../../src/bus/index.ts';
import { IngestStage, IngestOptionsSchema } from '../../../src/ingest/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import type { RawPost } from '../../../src/model/index.ts';

class RecordingProducer implements Producer {
  readonly sent = new Map<StreamName, BusRecord[]>();
  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    const list = this.sent.get(stream) ?? [];
    list.push(...(records as ReadonlyArray<BusRecord>));
    this.sent.set(stream, list);
  }
  of(stream: StreamName): BusRecord[] {
    return this.sent.get(stream) ?? [];
  }
}

const raw = (post: unknown, line: number): BusRecord<'posts'> => ({
  key: `k${line}`,
  value: { origin: `replay:f.jsonl:${line}`, receivedAt: 0, post } satisfies RawPost,
});

const post = (id: string, text: string) => ({ platform: 'x', id, author: { id: `a${id}` }, createdAt: '2017-05-05T18:50:00Z', text });

describe('IngestStage', () => {
  it('accepts valid posts, splits them per tag keyed by tag, and dead-letters invalid ones with their origin', async () => {
    const stage = new IngestStage(IngestOptionsSchema.parse({}), silentLogger());
    const out = new RecordingProducer();
    await stage.process(
      {
        stream: Streams.posts,
        partition: 0,
        records: [raw(post('1', '#MacronLeaks #France'), 1), raw({ id: 'broken' }, 2), raw(post('2', 'no tags'), 3)],
      },
      out,
    );
    expect(out.of(Streams.accepted).map((r) => r.key)).toEqual(['x:1', 'x:2']);
    expect(out.of(Streams.tagEvents).map((r) => [r.key, (r.value as { display: string }).display])).toEqual([
      ['macronleaks', 'MacronLeaks'],
      ['france', 'France'],
    ]);
    const dead = out.of(Streams.deadLetters);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.value).toMatchObject({ source: 'ingest', ref: 'replay:f.jsonl:2', code: 'TW_POST_INVALID' });
    expect((dead[0]?.value as { reason: string }).reason).toContain('platform');
    expect(stage.stats()).toEqual({ received: 3, accepted: 2, duplicates: 0, invalid: 1, tagEvents: 2, untagged: 1 });
  });

  it('drops a post seen before, across batches', async () => {
    const stage = new IngestStage(IngestOptionsSchema.parse({ dedupeCapacity: 10 }), silentLogger());
    const out = new RecordingProducer();
    await stage.process({ stream: Streams.posts, partition: 0, records: [raw(post('1', '#a'), 1)] }, out);
    await stage.process({ stream: Streams.posts, partition: 0, records: [raw(post('1', '#a'), 2), raw(post('3', '#a'), 3)] }, out);
    expect(out.of(Streams.accepted).map((r) => r.key)).toEqual(['x:1', 'x:3']);
    expect(stage.stats().duplicates).toBe(1);
  });
});
