import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Streams, type StreamName } from '../../../src/bus/index.ts';
import { KafkaPipeline, TopicNames, fetchConsumerLag, type KafkaOptions } from '../../../src/bus/kafka/index.ts';
import { collectorOutput } from '../../../src/collectors/collector-output.ts';
import type { CollectorOutput } from '../../../src/collectors/types.ts';
import { ReplayCollector, ReplayOptionsSchema } from '../../../src/collectors/replay/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { openStore, StoreOptionsSchema } from '../../../src/store/index.ts';
import { eventually, withAdmin } from './kafka-fixture.ts';
import { spawnWorker, type WorkerProcess } from './worker-process.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const ROLE_WORKER = new URL('./fixtures/role-worker.ts', import.meta.url);
const SINK_INPUTS: readonly StreamName[] = [Streams.accepted, Streams.deletions, Streams.metrics, Streams.flags, Streams.deadLetters];

/** What the equality tests compare between two stores. */
export interface StoreContents {
  posts: number;
  tagMinutes: unknown[];
  flags: unknown[];
}

export async function readStore(path: string): Promise<StoreContents> {
  const store = await openStore(StoreOptionsSchema.parse({ path }), silentLogger());
  try {
    const [posts] = await store.query<{ n: number }>('SELECT count() AS n FROM posts');
    const tagMinutes = await store.query(
      `SELECT tag, toString(minute) AS minute, posts, originals, reposts, replies, quotes, unique_authors, new_authors, reach, young_posts,
              languages, platforms, top10_share, gini, late_posts, velocity, acceleration, baseline_mean, baseline_std, zscore, revision
       FROM tag_minute ORDER BY tag, minute`,
    );
    const flags = await store.query(
      `SELECT flag_id, tag, kind, toString(detected_at) AS detected_at, toString(window_start) AS window_start, toString(window_end) AS window_end,
              score, authors, post_ids, toString(signals) AS signals, evidence, revision
       FROM flags ORDER BY flag_id`,
    );
    return { posts: posts?.n ?? 0, tagMinutes, flags };
  } finally {
    await store.close();
  }
}

/** The embedded run of a file: `tagwatch replay FILE --store DIR --speed max`. */
export async function embeddedReplay(file: string, storeDir: string): Promise<void> {
  const child = spawn(process.execPath, [join(REPO, 'bin/tagwatch.js'), 'replay', file, '--store', storeDir, '--speed', 'max'], {
    cwd: REPO,
    env: { ...process.env, TAGWATCH_LOG_LEVEL: 'warn', KAFKA_BROKERS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`embedded replay exited ${code}:\n${err.slice(-4_000)}`);
}

export interface Cluster {
  options: KafkaOptions;
  names: TopicNames;
  start(role: string, id: string): Promise<WorkerProcess>;
  workers: Map<string, WorkerProcess>;
  /** Replays the file into Kafka as a collector; `onProgress(postsSent)` after each batch. */
  replay(file: string, onProgress?: (sent: number) => Promise<void> | void): Promise<number>;
  /** Waits until ingest, then analyze, then the sink have committed everything. */
  settle(timeoutMs?: number): Promise<void>;
  /** SIGTERM to every worker; resolves with their exit codes. */
  stopAll(): Promise<Array<number | null>>;
  killAll(): Promise<void>;
}

export function cluster(dir: string, options: KafkaOptions, storeDir: string): Cluster {
  const configFile = join(dir, `tagwatch-${options.topicPrefix}json`);
  writeFileSync(configFile, JSON.stringify({ log: { level: process.env['TAGWATCH_TEST_LOG'] ?? 'warn' }, kafka: options, store: { path: storeDir } }));
  const names = new TopicNames(options.topicPrefix);
  const workers = new Map<string, WorkerProcess>();
  const lagOf = (group: string, streams: readonly StreamName[]): Promise<number> =>
    withAdmin(async (admin) => (await fetchConsumerLag(admin, names, group, streams)).reduce((n, p) => n + p.lag, 0));
  return {
    options,
    names,
    workers,
    async start(role, id) {
      const worker = spawnWorker(ROLE_WORKER, { TAGWATCH_CONFIG: configFile, TAGWATCH_WORKER_ID: id }, ['--role', role]);
      workers.set(id, worker);
      await worker.ready;
      return worker;
    },
    async replay(file, onProgress) {
      const collector = new KafkaPipeline(options, silentLogger());
      const replay = new ReplayCollector(ReplayOptionsSchema.parse({ file, speed: 'max', batchSize: 250 }), silentLogger());
      try {
        await collector.start();
        const out = collectorOutput(collector);
        let sent = 0;
        const counting: CollectorOutput = {
          ...out,
          posts: async (records) => {
            await out.posts(records);
            sent += records.length;
            await onProgress?.(sent);
          },
        };
        await replay.run(counting, new AbortController().signal);
        await collector.flush(true);
        return sent;
      } finally {
        await replay.close();
        await collector.close();
      }
    },
    async settle(timeoutMs = 120_000) {
      const stages: Array<[string, readonly StreamName[]]> = [
        ['ingest', [Streams.posts]],
        ['analyze', [Streams.tagEvents]],
        ['sink', SINK_INPUTS],
      ];
      for (const [stage, streams] of stages) {
        await eventually(async () => ((await lagOf(names.group(stage), streams)) === 0 ? true : undefined), timeoutMs, `${stage} caught up`);
      }
    },
    async stopAll() {
      return Promise.all([...workers.values()].map((w) => w.stop()));
    },
    async killAll() {
      await Promise.all([...workers.values()].map((w) => w.kill()));
    },
  };
}
