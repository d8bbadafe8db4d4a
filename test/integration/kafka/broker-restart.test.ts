import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Streams } from '../../../src/bus/index.ts';
import { KafkaPipeline, type KafkaOptions } from '../../../src/bus/kafka/index.ts';
import { IngestOptionsSchema, IngestStage } from '../../../src/ingest/index.ts';
import { startBroker, stopBroker } from '../../../scripts/kafka-broker.mjs';
import { TagCounterStage } from './fixtures/tag-counter-stage.ts';
import { expectedCounts, rawPost } from './fixtures/posts.ts';
import { eventually, testKafkaOptions, testLog } from './kafka-fixture.ts';

const log = testLog();

// This test stops its broker mid-stream, so it has one of its own rather than the shared one.
const dir = mkdtempSync(join(tmpdir(), 'tagwatch-kafka-restart-'));
let brokers = '';

beforeAll(async () => {
  brokers = (await startBroker({ dir, heapMb: 384 })).brokers;
});

afterAll(async () => {
  await stopBroker({ dir, remove: true });
});

describe('Kafka broker restart', () => {
  it('producers and consumers ride out a broker restart mid-stream: exact final result', async () => {
    const options: KafkaOptions = { ...testKafkaOptions({ partitions: 3 }), brokers: [brokers] };
    const counter = new TagCounterStage();
    const worker = new KafkaPipeline({ ...options, workerId: 'w' }, log).add(new IngestStage(IngestOptionsSchema.parse({}), log)).add(counter);
    const collector = new KafkaPipeline(options, log);
    const outputs = new KafkaPipeline({ ...options, workerId: 'reader' }, log);
    try {
      await worker.start();
      const n = 2_000;
      const tags = 6;
      const posts = Array.from({ length: n }, (_, i) => rawPost(i, tags));
      for (let i = 0; i < 1_000; i += 100) await collector.send(Streams.posts, posts.slice(i, i + 100));
      await eventually(async () => (counter.processed > 0 ? true : undefined), 60_000, 'counter started');

      await stopBroker({ dir });
      const restart = startBroker({ dir, heapMb: 384 });
      // Sends during the outage wait (kafkajs retries) and go through once the broker is back.
      for (let i = 1_000; i < n; i += 100) await collector.send(Streams.posts, posts.slice(i, i + 100));
      expect((await restart).brokers).toBe(brokers);
      await collector.flush(true);

      const expected = expectedCounts(n, tags);
      const finals = new Map<string, { posts: number; idSum: number }>();
      let rows = 0;
      const reader = {
        name: 'final-reader',
        inputs: [Streams.metrics] as const,
        async process(batch: { records: ReadonlyArray<{ key: string; value: unknown }> }): Promise<void> {
          for (const r of batch.records) {
            rows++;
            const v = r.value as { posts: number; originals: number };
            finals.set(r.key, { posts: v.posts, idSum: v.originals });
          }
        },
        async close(): Promise<void> {},
      };
      outputs.add(reader);
      await outputs.start();
      await eventually(async () => (finals.size >= expected.size ? true : undefined), 120_000, 'all final rows');
      await eventually(async () => ((await worker.consumerLag()).every((p) => p.lag === 0) ? true : undefined), 60_000, 'worker caught up');
      await eventually(async () => ((await outputs.consumerLag()).every((p) => p.lag === 0) ? true : undefined), 60_000, 'reader caught up');
      expect(finals).toEqual(expected);
      expect(rows).toBe(expected.size);
    } finally {
      await outputs.close();
      await collector.close();
      await worker.close();
    }
  });
});
