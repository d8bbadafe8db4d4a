import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusRecord, Producer, StreamName, TagStateSnapshot } from '../../../src/bus/index.ts';
import { decodeValue, encodeValue } from '../../../src/bus/kafka/stream-codec.ts';
import { parsePost } from '../../../src/model/index.ts';
import { writeSimulation } from '../../../src/sim/index.ts';
import { CoordinationDetector, CoordinationOptionsSchema } from '../../../src/stream/coordination/index.ts';
import { AnalyzeStage } from '../../../src/stream/index.ts';

// Kafka mode without a broker, as the runner drives the analyze stage: tag events on 4
// partitions (kafkajs' partitioner), arriving from 4 upstream posts partitions in a seeded
// interleaving (so not in time order), a source watermark (min over upstream partitions),
// a checkpoint per batch through the Kafka codec, the changelog's last value per key, and a
// worker that dies at a batch boundary and whose partitions are restored elsewhere. The
// output must equal the embedded run (one partition, event-time clock).

const PARTITIONS = 4;
const SOURCES = 4;
const POSTS_PER_CHUNK = 40;
const partitioner = kafkajs.Partitioners.DefaultPartitioner();
const partitionOf = (key: string, count: number): number =>
  partitioner({
    topic: 't',
    partitionMetadata: Array.from({ length: count }, (_, i) => ({ partitionId: i, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 })),
    message: { key, value: null },
  });

interface Step {
  partition: number;
  records: Array<BusRecord<'tag-events'>>;
  /** NaN: no watermark yet (not every upstream partition has spoken). */
  watermark: number;
}

let dir: string;
let events: Array<BusRecord<'tag-events'>> = [];
let steps: Step[] = [];
let streamStart = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tagwatch-kafka-restore-'));
  const file = join(dir, 'stream.jsonl');
  await writeSimulation({ seed: 23, hours: 0.25, ratePerMin: 15 }, file);
  const bySource: Array<Array<Array<BusRecord<'tag-events'>>>> = Array.from({ length: SOURCES }, () => []);
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const post = parsePost(JSON.parse(line));
    const records = post.tags.map((tag, i) => ({ key: tag, value: { tag, display: post.tagDisplay[i] ?? tag, post } }));
    events.push(...records);
    bySource[partitionOf(post.id, SOURCES)]?.push(records);
  }
  streamStart = events[0]?.value.post.ts ?? 0;
  // Chunks of each upstream partition in a seeded order; the watermark after a chunk is the
  // minimum over upstream partitions of the newest event time each delivered.
  let seed = 12_345;
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const position = new Array<number>(SOURCES).fill(0);
  const newest = new Array<number>(SOURCES).fill(Number.NaN);
  for (;;) {
    const open = [...Array(SOURCES).keys()].filter((s) => (position[s] ?? 0) < (bySource[s]?.length ?? 0));
    if (open.length === 0) break;
    const s = open[Math.floor(next() * open.length)] as number;
    const chunk = (bySource[s] ?? []).slice(position[s], (position[s] ?? 0) + POSTS_PER_CHUNK);
    position[s] = (position[s] ?? 0) + chunk.length;
    newest[s] = chunk[chunk.length - 1]?.[0]?.value.post.ts ?? Number.NaN;
    const done = position.every((p, i) => p >= (bySource[i]?.length ?? 0));
    const watermark = done || newest.some(Number.isNaN) ? Number.NaN : Math.min(...newest.map((ts, i) => (position[i] === bySource[i]?.length ? Number.POSITIVE_INFINITY : ts)));
    const byPartition = new Map<number, Array<BusRecord<'tag-events'>>>();
    for (const r of chunk.flat()) {
      const p = partitionOf(r.key, PARTITIONS);
      byPartition.set(p, [...(byPartition.get(p) ?? []), r]);
    }
    for (let p = 0; p < PARTITIONS; p++) steps.push({ partition: p, records: byPartition.get(p) ?? [], watermark });
  }
  for (let p = 0; p < PARTITIONS; p++) steps.push({ partition: p, records: [], watermark: Number.MAX_SAFE_INTEGER });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  events = [];
  steps = [];
});

/** Final rows and flags (latest revision each) and the changelog as Kafka keeps it (encoded, last value per key). */
class Topics implements Producer {
  readonly metrics = new Map<string, { revision: number }>();
  readonly flags = new Map<string, { revision: number }>();
  readonly changelog = new Map<string, Buffer | null>();
  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    for (const r of records as ReadonlyArray<BusRecord>) {
      const v = r.value as unknown as { tag: string; minute: number; flagId: string; revision: number };
      if (stream === 'metrics') this.#keepLatest(this.metrics, `${v.tag}@${v.minute}`, v);
      if (stream === 'flags') this.#keepLatest(this.flags, v.flagId, v);
      if (stream === 'analyze-state') this.changelog.set(r.key, encodeValue('analyze-state', r.value as BusRecord<'analyze-state'>['value']));
    }
  }
  #keepLatest(map: Map<string, { revision: number }>, key: string, value: { revision: number }): void {
    const old = map.get(key);
    if (old === undefined || old.revision <= value.revision) map.set(key, value);
  }
}

const stage = (watermark: 'event-time' | 'source'): AnalyzeStage =>
  new AnalyzeStage({ prior: { learn: false }, checkpointIntervalMs: 0 }, [new CoordinationDetector(CoordinationOptionsSchema.parse({}))], { watermark });

async function step(worker: AnalyzeStage, s: Step, out: Topics): Promise<void> {
  if (s.records.length > 0) await worker.process({ stream: 'tag-events', partition: s.partition, records: s.records }, out);
  if (!Number.isNaN(s.watermark)) await worker.sourceWatermark('tag-events', s.partition, s.watermark, out, { streamStart });
  await worker.checkpoint(out);
}

async function embedded(): Promise<Topics> {
  const out = new Topics();
  const worker = stage('event-time');
  for (let i = 0; i < events.length; i += 500) await worker.process({ stream: 'tag-events', partition: 0, records: events.slice(i, i + 500) }, out);
  await worker.flush(out, true);
  return out;
}

/** Two workers (partitions dealt alternately); worker 0 dies after `cut` of the steps and its partitions go to a fresh worker or to worker 1. */
async function kafka(cut: number | undefined, heir: 'fresh' | 'survivor'): Promise<Topics> {
  const out = new Topics();
  const workers = [stage('source'), stage('source')];
  const at = cut === undefined ? steps.length : Math.floor(steps.length * cut);
  const watermarks = new Map<number, number>();
  for (const s of steps.slice(0, at)) {
    await step(workers[s.partition % 2] as AnalyzeStage, s, out);
    if (!Number.isNaN(s.watermark)) watermarks.set(s.partition, s.watermark);
  }
  if (cut !== undefined) {
    const next = heir === 'fresh' ? stage('source') : (workers[1] as AnalyzeStage);
    const lost = [...Array(PARTITIONS).keys()].filter((p) => p % 2 === 0);
    for (const p of lost) {
      const snapshots: TagStateSnapshot[] = [];
      for (const [key, bytes] of out.changelog) if (bytes !== null && partitionOf(key, PARTITIONS) === p) snapshots.push(decodeValue('analyze-state', bytes) as TagStateSnapshot);
      await next.restoreState(p, (async function* () {
        yield* snapshots;
      })());
      const watermark = watermarks.get(p);
      if (watermark !== undefined) await next.sourceWatermark('tag-events', p, watermark, out, { streamStart });
    }
    await next.checkpoint(out);
    workers[0] = next;
  }
  for (const s of steps.slice(at)) await step(workers[s.partition % 2] as AnalyzeStage, s, out);
  return out;
}

function expectSame(got: Topics, want: Topics): void {
  expect(got.metrics.size).toBe(want.metrics.size);
  expect(Object.fromEntries(got.metrics)).toEqual(Object.fromEntries(want.metrics));
  expect(Object.fromEntries(got.flags)).toEqual(Object.fromEntries(want.flags));
}

describe('analyze in Kafka mode (runner-like driver, 4 partitions, 2 workers)', { timeout: 60_000 }, () => {
  let want: Topics;
  beforeAll(async () => {
    want = await embedded();
  });

  it('equals the embedded run though events arrive out of time order from several upstream partitions', async () => {
    expect(want.flags.size).toBeGreaterThan(0);
    expectSame(await kafka(undefined, 'fresh'), want);
  });

  // 0.02: before any watermark released an event (the restore holds only buffered events);
  // later cuts: open minutes, baselines mid-warm-up.
  for (const [cut, heir] of [
    [0.02, 'fresh'],
    [0.3, 'survivor'],
    [0.6, 'fresh'],
  ] as const) {
    it(`a worker dying at ${cut * 100}% whose partitions are restored by a ${heir} worker: still the embedded output`, async () => {
      expectSame(await kafka(cut, heir), want);
    });
  }
});
