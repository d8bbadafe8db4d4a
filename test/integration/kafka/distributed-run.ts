import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { Streams, type StreamName } from '../../../src/bus/index.ts';
import { TopicNames, fetchConsumerLag, type KafkaOptions } from '../../../src/bus/kafka/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { openStore, StoreOptionsSchema } from '../../../src/store/index.ts';
import { eventually, withAdmin } from './kafka-fixture.ts';
import { spawnWorker, type WorkerProcess } from './worker-process.ts';

const { AssignerProtocol } = kafkajs;
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'src/cli/main.ts');
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
export async function embeddedReplay(file: string, storeDir: string, analyze: Record<string, unknown> = {}): Promise<void> {
  const configFile = `${storeDir}.config.json`;
  writeFileSync(configFile, JSON.stringify({ analyze }));
  const child = spawn(process.execPath, [join(REPO, 'bin/tagwatch.js'), 'replay', file, '--store', storeDir, '--speed', 'max', '--config', configFile], {
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
  /** `tagwatch replay FILE --speed max` with the cluster's config (so into Kafka); resolves with the records read. */
  replay(file: string): Promise<number>;
  /** Input records a stage's group has committed, and its lag. */
  progress(stage: string): Promise<{ committed: number; lag: number }>;
  /** Waits until ingest, then analyze, then the sink have committed everything. */
  settle(timeoutMs?: number): Promise<void>;
  /** The worker id that owns most input partitions of a stage's group now. */
  owner(stage: string): Promise<string | undefined>;
  /** SIGTERM to every worker; resolves with their exit codes. */
  stopAll(): Promise<Array<number | null>>;
  killAll(): Promise<void>;
}

export function cluster(dir: string, options: KafkaOptions, storeDir: string, analyze: Record<string, unknown> = {}): Cluster {
  const configFile = join(dir, `tagwatch-${options.topicPrefix}json`);
  writeFileSync(configFile, JSON.stringify({ log: { level: process.env['TAGWATCH_TEST_LOG'] ?? 'warn' }, kafka: options, store: { path: storeDir }, analyze }));
  const names = new TopicNames(options.topicPrefix);
  const workers = new Map<string, WorkerProcess>();
  const lagOf = (group: string, streams: readonly StreamName[]): Promise<number> =>
    withAdmin(async (admin) => (await fetchConsumerLag(admin, names, group, streams)).reduce((n, p) => n + p.lag, 0), options.brokers);
  return {
    options,
    names,
    workers,
    async start(role, id) {
      // `tagwatch run --role …` (the CLI's main module through tsx, as bin/tagwatch.js runs it).
      const worker = spawnWorker(CLI, { TAGWATCH_WORKER_ID: id }, ['run', '--role', role, '--config', configFile, '--log-level', 'info'], /Kafka roles started/);
      workers.set(id, worker);
      await worker.ready;
      return worker;
    },
    async replay(file) {
      const child = spawn(process.execPath, [join(REPO, 'bin/tagwatch.js'), 'replay', file, '--speed', 'max', '--config', configFile], {
        cwd: REPO,
        env: { ...process.env, TAGWATCH_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      if (code !== 0) throw new Error(`replay into Kafka exited ${code}:\n${out.slice(-4_000)}`);
      const read = /read (\d+) records/.exec(out);
      return read === null ? -1 : Number(read[1]);
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
    async progress(stage) {
      const streams = stage === 'sink' ? SINK_INPUTS : stage === 'analyze' ? [Streams.tagEvents] : [Streams.posts];
      const lag = await withAdmin((admin) => fetchConsumerLag(admin, names, names.group(stage), streams), options.brokers);
      return { committed: lag.reduce((n, p) => n + Math.max(0, p.committed), 0), lag: lag.reduce((n, p) => n + p.lag, 0) };
    },
    async owner(stage) {
      return withAdmin(async (admin) => {
        const { groups } = await admin.describeGroups([names.group(stage)]);
        let best: { id: string; partitions: number } | undefined;
        for (const member of groups[0]?.members ?? []) {
          const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
          const partitions = Object.values(assignment?.assignment ?? {}).reduce((n, list) => n + list.length, 0);
          const id = member.clientId.slice(member.clientId.lastIndexOf('.') + 1);
          if (partitions > 0 && (best === undefined || partitions > best.partitions)) best = { id, partitions };
        }
        return best?.id;
      }, options.brokers);
    },
    async stopAll() {
      return Promise.all([...workers.values()].map((w) => w.stop()));
    },
    async killAll() {
      await Promise.all([...workers.values()].map((w) => w.kill()));
    },
  };
}
