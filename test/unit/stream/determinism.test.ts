import { describe, expect, it } from 'vitest';
import type { TagEvent } from '../../../src/model/index.ts';
import { AnalyzeStage, type AnalyzeOptionsInput } from '../../../src/stream/index.ts';
import { feed, jitter, RecordingProducer, syntheticStream } from './stream-fixtures.ts';

async function run(events: readonly TagEvent[], batches: number | number[], options: AnalyzeOptionsInput = {}): Promise<RecordingProducer> {
  const out = new RecordingProducer();
  await feed(new AnalyzeStage(options), out, events, batches);
  return out;
}

const stream = syntheticStream({
  seed: 11,
  minutes: 90,
  tags: 25,
  bursts: [
    { tag: 'wave', fromMinute: 40, toMinute: 55, perMinute: 60 },
    { tag: 'wave', fromMinute: 75, toMinute: 85, perMinute: 80 },
    { tag: 'bg3', fromMinute: 50, toMinute: 60, perMinute: 40 },
  ],
});

describe('AnalyzeStage determinism', () => {
  it('gives identical minutes and flags whatever the batch boundaries', async () => {
    const reference = await run(stream, 1);
    expect(reference.flags.length).toBeGreaterThan(0);
    for (const batches of [7, 500, 100_000, [1, 3, 250, 17, 2]]) {
      const other = await run(stream, batches);
      expect(other.metrics).toEqual(reference.metrics);
      expect(other.flags).toEqual(reference.flags);
    }
  });

  it('gives identical minutes and flags when arrival order varies within the reorder bound', async () => {
    const reference = await run(stream, 64);
    for (const seed of [1, 2, 3]) {
      // Two upstream workers interleaving: each event arrives up to 8 s of event time out of place.
      const shuffled = jitter(stream, seed, 8_000);
      expect(shuffled).not.toEqual(stream);
      const other = await run(shuffled, 64);
      expect(other.metrics).toEqual(reference.metrics);
      expect(other.flags).toEqual(reference.flags);
    }
  });

  it('gives identical output when the tags are spread over two input partitions, each with its own clock', async () => {
    // Tags hashed to partitions 0 and 1, each partition with its own clock, versus one partition.
    const reference = await run(stream, 100);
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    const partitionOf = (tag: string): number => (tag.length + tag.charCodeAt(tag.length - 1)) % 2;
    for (let i = 0; i < stream.length; i += 100) {
      const chunk = stream.slice(i, i + 100);
      for (const partition of [0, 1]) {
        const records = chunk.filter((e) => partitionOf(e.tag) === partition).map((e) => ({ key: e.tag, value: e }));
        if (records.length > 0) await stage.process({ stream: 'tag-events', partition, records }, out);
      }
    }
    await stage.flush(out, true);
    const byTag = (rows: RecordingProducer): string[] => [...rows.metrics].map((r) => JSON.stringify(r)).sort();
    expect(byTag(out)).toEqual(byTag(reference));
    expect([...out.flags].sort((a, b) => (a.flagId < b.flagId ? -1 : 1))).toEqual([...reference.flags].sort((a, b) => (a.flagId < b.flagId ? -1 : 1)));
  });

  it('gives identical output when the transport drives the clock with a source watermark', async () => {
    const reference = await run(stream, 100);
    const stage = new AnalyzeStage();
    const out = new RecordingProducer();
    let watermark = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < stream.length; i += 100) {
      const chunk = stream.slice(i, i + 100);
      await stage.process({ stream: 'tag-events', partition: 0, records: chunk.map((e) => ({ key: e.tag, value: e })) }, out);
      // A coarse watermark: everything before the chunk's oldest event, minus a margin, has arrived.
      const next = Math.min(...chunk.map((e) => e.post.ts)) - 5_000;
      if (next > watermark) {
        watermark = next;
        await stage.sourceWatermark('tag-events', 0, watermark, out);
      }
    }
    await stage.sourceWatermark('tag-events', 0, Number.MAX_SAFE_INTEGER, out);
    expect(out.metrics).toEqual(reference.metrics);
    expect(out.flags).toEqual(reference.flags);
  });
});
