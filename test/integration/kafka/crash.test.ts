import { afterEach, describe, expect, it } from 'vitest';
import { Streams } from '../../../src/bus/index.ts';
import { KafkaPipeline, TopicNames, fetchConsumerLag } from '../../../src/bus/kafka/index.ts';
import { expectedCounts, rawPost } from './fixtures/posts.ts';
import { eventually, readAll, readTopic, testKafkaOptions, testLog, withAdmin } from './kafka-fixture.ts';
import { spawnWorker, type WorkerProcess } from './worker-process.ts';

const log = testLog();
const workerScript = new URL('./fixtures/counter-worker.ts', import.meta.url);
const running: WorkerProcess[] = [];
const pipelines: KafkaPipeline[] = [];

afterEach(async () => {
  for (const w of running.splice(0)) await w.kill();
  for (const p of pipelines.splice(0)) await p.close();
});

describe('Kafka worker crash', () => {
  it('SIGKILL of a worker mid-stream and a restart give the exact result, each final row once', async () => {
    const options = testKafkaOptions({ partitions: 4 });
    const env = (id: string): Record<string, string> => ({ TAGWATCH_TEST_KAFKA_OPTIONS: JSON.stringify({ ...options, workerId: id }) });
    const start = (id: string): WorkerProcess => {
      const w = spawnWorker(workerScript, env(id));
      running.push(w);
      return w;
    };
    const a = start('a');
    const b = start('b');
    await Promise.all([a.ready, b.ready]);

    const collector = new KafkaPipeline(options, log);
    pipelines.push(collector);
    const n = 3_000;
    const tags = 9;
    const posts = Array.from({ length: n }, (_, i) => rawPost(i, tags));
    const names = new TopicNames(options.topicPrefix);
    let restarted: WorkerProcess | undefined;
    for (let i = 0; i < n; i += 100) {
      await collector.send(Streams.posts, posts.slice(i, i + 100));
      if (i === 1_500) {
        // Wait until the counter has really been working, then kill one worker without warning.
        await eventually(async () => {
          const lag = await withAdmin((admin) => fetchConsumerLag(admin, names, names.group('counter'), [Streams.tagEvents]));
          return lag.some((p) => p.committed > 0) ? true : undefined;
        });
        await a.kill();
        restarted = start('a');
      }
    }
    await collector.flush(true);
    await restarted?.ready;

    const expected = expectedCounts(n, tags);
    await readTopic(`${options.topicPrefix}metrics`, (m) => new Set(m.map((x) => x.key)).size >= expected.size, 120_000);
    await eventually(async () => {
      const lag = await withAdmin((admin) => fetchConsumerLag(admin, names, names.group('counter'), [Streams.tagEvents]));
      return lag.every((p) => p.lag === 0) ? true : undefined;
    }, 60_000, 'counter caught up');
    const finals = await readAll(`${options.topicPrefix}metrics`);
    const got = new Map(finals.map((m) => [m.key, { posts: (m.value as { posts: number }).posts, idSum: (m.value as { originals: number }).originals }]));
    expect(got).toEqual(expected);
    expect(finals).toHaveLength(expected.size);

    expect(await b.stop()).toBe(0);
    expect(await restarted?.stop()).toBe(0);
  });
});
