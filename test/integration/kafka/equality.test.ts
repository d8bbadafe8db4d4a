import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, stopBroker } from '../../../scripts/kafka-broker.mjs';
import { writeSimulation } from '../../../src/sim/index.ts';
import { cluster, embeddedReplay, readStore, type Cluster, type StoreContents } from './distributed-run.ts';
import { eventually, testKafkaOptions } from './kafka-fixture.ts';

// One seeded stream, replayed once embedded (the reference) and then through Kafka with several
// worker processes, whole or with a worker killed mid-stream: the stores must hold the same rows.
const dir = mkdtempSync(join(tmpdir(), 'tagwatch-kafka-eq-'));
const file = join(dir, 'stream.jsonl');
let reference: StoreContents;
// The new-tag prior learned across tags is per worker (each sees only its partitions' tags): the
// equality runs use the fixed prior, in the embedded reference as in Kafka mode.
const ANALYZE = { prior: { learn: false } };
let lines = 0;
const clusters: Cluster[] = [];

beforeAll(async () => {
  const summary = await writeSimulation({ seed: 23, hours: 0.25, ratePerMin: 40 }, file);
  lines = summary.posts;
  await embeddedReplay(file, join(dir, 'embedded'), ANALYZE);
  reference = await readStore(join(dir, 'embedded'));
});

afterAll(async () => {
  for (const c of clusters) await c.killAll();
  rmSync(dir, { recursive: true, force: true });
});

// Several partitions, so the two analyze workers share the tags (and each restores the other's
// partitions when it takes them over); the ingest workers share the posts.
const PARTITIONS = 4;

function kafkaCluster(name: string, brokers?: string): { c: Cluster; storeDir: string } {
  const storeDir = join(dir, name);
  const options = testKafkaOptions({ partitions: PARTITIONS });
  // Kafka mode checkpoints at every commit instead of periodically (analyze-ready.md).
  const c = cluster(dir, brokers === undefined ? options : { ...options, brokers: [brokers] }, storeDir, { ...ANALYZE, checkpointIntervalMs: 0 });
  clusters.push(c);
  return { c, storeDir };
}

async function startAll(c: Cluster): Promise<void> {
  await Promise.all([c.start('ingest', 'i1'), c.start('ingest', 'i2'), c.start('analyze', 'a1'), c.start('analyze', 'a2'), c.start('sink', 's1')]);
}

function expectSameAsEmbedded(got: StoreContents): void {
  expect(got.posts).toBe(lines);
  expect(got.posts).toBe(reference.posts);
  expect(got.tagMinutes.length).toBe(reference.tagMinutes.length);
  expect(got.tagMinutes).toEqual(reference.tagMinutes);
  expect(got.flags).toEqual(reference.flags);
}

describe('Kafka mode equals the embedded run', () => {
  it('2 ingest + 2 analyze workers + 1 sink: same posts, tag_minute rows and flags (ids included)', async () => {
    expect(reference.flags.length).toBeGreaterThan(0);
    const { c, storeDir } = kafkaCluster('kafka-plain');
    await startAll(c);
    const started = Date.now();
    const sent = await c.replay(file);
    await c.settle();
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`[kafka] ${sent} posts end-to-end through Kafka in ${seconds.toFixed(1)} s: ${(sent / seconds).toFixed(0)} posts/s\n`);
    expect(await c.stopAll()).toEqual([0, 0, 0, 0, 0]);
    expectSameAsEmbedded(await readStore(storeDir));
  });

  // Mid-stream: a fair part of the input is committed and more is to come, so the restored
  // worker continues open minutes, buffered events and baselines of tags it did not see start.
  const midStream = (stage: string) => async (c: Cluster) => {
    await eventually(async () => {
      const p = await c.progress(stage);
      return p.committed >= lines / 3 && p.lag > 0 ? true : undefined;
    }, 60_000, `${stage} in mid-stream`);
  };

  for (const role of ['analyze', 'sink'] as const) {
    it(`SIGKILL of the ${role} worker mid-stream and a restart: still the same rows and flags`, async () => {
      const { c, storeDir } = kafkaCluster(`kafka-kill-${role}`);
      await startAll(c);
      // Kill the worker doing the most work once it is in the middle of the stream, then start
      // it again under the same id (which fences its dead transaction).
      const replaying = c.replay(file);
      await midStream(role)(c);
      const id = await c.owner(role);
      expect(id).toBeDefined();
      await c.workers.get(id as string)?.kill();
      const restarted = c.start(role, id as string);
      expect(await replaying).toBe(lines);
      await restarted;
      await c.settle();
      expect(await c.stopAll()).toEqual([0, 0, 0, 0, 0]);
      expectSameAsEmbedded(await readStore(storeDir));
    });
  }

  it('a broker restart mid-stream: producers and consumers recover, same rows and flags', async () => {
    // Its own broker, since this test stops it (the shared one serves other files in parallel).
    const brokerDir = join(dir, 'broker');
    const { brokers } = await startBroker({ dir: brokerDir, heapMb: 384 });
    try {
      const { c, storeDir } = kafkaCluster('kafka-broker-restart', brokers);
      await startAll(c);
      let replayed = false;
      const replaying = c.replay(file).finally(() => (replayed = true));
      // A third of the posts through ingest and more to come downstream when the broker goes away.
      let at = { ingest: { committed: 0, lag: 0 }, analyze: { committed: 0, lag: 0 } };
      await eventually(async () => {
        at = { ingest: await c.progress('ingest'), analyze: await c.progress('analyze') };
        return at.ingest.committed >= lines / 3 && (at.ingest.lag > 0 || at.analyze.lag > 0) ? true : undefined;
      }, 60_000, 'mid-stream');
      const replayDone = replayed;
      await stopBroker({ dir: brokerDir });
      process.stderr.write(`[kafka] broker stopped: replay ${replayDone ? 'done' : 'running'}, ${JSON.stringify(at)}\n`);
      expect((await startBroker({ dir: brokerDir, heapMb: 384 })).brokers).toBe(brokers);
      expect(await replaying).toBe(lines);
      await c.settle();
      const codes = await c.stopAll();
      const lingered = [...c.workers].filter(([, w]) => w.stderr().includes('still held open')).map(([id]) => id);
      if (lingered.length > 0) process.stderr.write(`[kafka] exited by the linger guard: ${lingered.join(', ')}\n`);
      expect(codes).toEqual([0, 0, 0, 0, 0]);
      expectSameAsEmbedded(await readStore(storeDir));
    } finally {
      await stopBroker({ dir: brokerDir, remove: true });
    }
  });
});

