import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSimulation } from '../../../src/sim/index.ts';
import { cluster, embeddedReplay, readStore, type Cluster, type StoreContents } from './distributed-run.ts';
import { eventually, testKafkaOptions, withAdmin } from './kafka-fixture.ts';

// One seeded stream, replayed once embedded (the reference) and then through Kafka with several
// worker processes, whole or with a worker killed mid-stream: the stores must hold the same rows.
const dir = mkdtempSync(join(tmpdir(), 'tagwatch-kafka-eq-'));
const file = join(dir, 'stream.jsonl');
let reference: StoreContents;
let lines = 0;
const clusters: Cluster[] = [];

beforeAll(async () => {
  const summary = await writeSimulation({ seed: 23, hours: 0.25, ratePerMin: 40 }, file);
  lines = summary.posts;
  await embeddedReplay(file, join(dir, 'embedded'));
  reference = await readStore(join(dir, 'embedded'));
});

afterAll(async () => {
  for (const c of clusters) await c.killAll();
  rmSync(dir, { recursive: true, force: true });
});

function kafkaCluster(name: string): { c: Cluster; storeDir: string } {
  const storeDir = join(dir, name);
  const c = cluster(dir, testKafkaOptions({ partitions: 4 }), storeDir);
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

  for (const [role, id] of [
    ['analyze', 'a1'],
    ['sink', 's1'],
  ] as const) {
    it(`SIGKILL of the ${role} worker mid-stream and a restart: still the same rows and flags`, async () => {
      const { c, storeDir } = kafkaCluster(`kafka-kill-${role}`);
      await startAll(c);
      const group = c.names.group(role);
      let restarted: Promise<unknown> | undefined;
      const sent = await c.replay(file, async (n) => {
        if (restarted !== undefined || n < lines / 2) return;
        // Kill it once it has committed part of its input: a crash in the middle of its work.
        await eventually(async () => ((await committedRecords(group)) > 0 ? true : undefined), 60_000, `${role} progress`);
        await c.workers.get(id)?.kill();
        restarted = c.start(role, id);
      });
      expect(sent).toBe(lines);
      await restarted;
      await c.settle();
      expect(await c.stopAll()).toEqual([0, 0, 0, 0, 0]);
      expectSameAsEmbedded(await readStore(storeDir));
    });
  }
});

async function committedRecords(group: string): Promise<number> {
  return withAdmin(async (admin) => {
    const offsets = await admin.fetchOffsets({ groupId: group });
    return offsets.flatMap((t) => t.partitions).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  });
}
