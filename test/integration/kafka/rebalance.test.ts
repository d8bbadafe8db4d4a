import { afterEach, describe, expect, it } from 'vitest';
import { KafkaPipeline, type KafkaOptions } from '../../../src/bus/kafka/index.ts';
import { Streams } from '../../../src/bus/index.ts';
import { IngestOptionsSchema, IngestStage } from '../../../src/ingest/index.ts';
import { TagCounterStage } from './fixtures/tag-counter-stage.ts';
import { expectedCounts, rawPost } from './fixtures/posts.ts';
import { eventually, readAll, readTopic, testKafkaOptions, testLog } from './kafka-fixture.ts';

const log = testLog();
const open: KafkaPipeline[] = [];

function worker(options: KafkaOptions, workerId: string): { pipeline: KafkaPipeline; counter: TagCounterStage } {
  const counter = new TagCounterStage();
  const pipeline = new KafkaPipeline({ ...options, workerId }, log).add(new IngestStage(IngestOptionsSchema.parse({}), log)).add(counter);
  open.push(pipeline);
  return { pipeline, counter };
}

async function caughtUp(pipeline: KafkaPipeline): Promise<void> {
  await eventually(async () => ((await pipeline.consumerLag()).every((p) => p.lag === 0) ? true : undefined), 60_000, 'zero lag');
}

afterEach(async () => {
  for (const p of open.splice(0).reverse()) await p.close();
});

describe('Kafka rebalance', () => {
  it('hands per-tag state over through the changelog when workers join and leave: final counts exact, emitted once', async () => {
    const options = testKafkaOptions({ partitions: 4 });
    const collector = new KafkaPipeline(options, log);
    open.push(collector);
    const n = 1_200;
    const posts = Array.from({ length: n }, (_, i) => rawPost(i, 7));

    const a = worker(options, 'a');
    await a.pipeline.start();
    await collector.send(Streams.posts, posts.slice(0, 400));
    await caughtUp(a.pipeline);
    expect(a.counter.processed).toBe(800);

    // B joins: the partitions are split, B restores A's checkpoints for the ones it gets.
    const b = worker(options, 'b');
    await b.pipeline.start();
    await collector.send(Streams.posts, posts.slice(400, 800));
    await caughtUp(b.pipeline);
    await caughtUp(a.pipeline);
    expect(b.counter.restoredKeys).toBeGreaterThan(0);

    // A leaves: B takes everything over (restoring what A counted since B joined).
    await a.pipeline.close();
    await collector.send(Streams.posts, posts.slice(800));
    await collector.flush(true);

    const expected = expectedCounts(n, 7);
    await readTopic(`${options.topicPrefix}metrics`, (m) => m.length >= expected.size);
    await caughtUp(b.pipeline);
    const finals = await readAll(`${options.topicPrefix}metrics`);
    const got = new Map(finals.map((m) => [m.key, { posts: (m.value as { posts: number }).posts, idSum: (m.value as { originals: number }).originals }]));
    expect(finals).toHaveLength(expected.size);
    expect(got).toEqual(expected);
  });
});
