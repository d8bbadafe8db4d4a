import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs, { type Admin } from 'kafkajs';
import { Streams, type StreamName } from '../bus/index.ts';
import { fetchConsumerLag, KafkaOptionsSchema, TopicNames, type KafkaOptions, type KafkaOptionsInput } from '../bus/kafka/index.ts';
import { ErrorCodes, TagwatchError } from '../errors/index.ts';
import { defaultStreamWriters, KAFKA_SINK_WRITERS, StoreOptionsSchema } from '../store/index.ts';
import { startBroker, stopBroker } from '../../scripts/kafka-broker.mjs';
import { childArgs } from './child-process.ts';
import { busyMicros, summarizeCpuProfile, type CpuProfile, type FunctionSelfTime } from './cpu-profile.ts';
import type { BenchContext } from './types.ts';

const { Kafka, logLevel } = kafkajs;

/** The broker of this bench run: started on first use, stopped (and its directory removed) at the end. */
export function benchBroker(ctx: BenchContext): Promise<string> {
  return ctx.resource('kafka-broker', async () => {
    const dir = join(ctx.workDir, 'kafka-broker');
    ctx.progress('starting the Kafka broker (scripts/kafka-broker.mjs)');
    const info = await startBroker({ dir, heapMb: 1_024, log: (line) => ctx.progress(`[kafka] ${line}`) });
    ctx.progress(`Kafka ${info.version} at ${info.brokers}`);
    return { value: info.brokers, close: async () => void (await stopBroker({ dir, remove: true })) };
  });
}

/** Options of one Kafka run: its own topic prefix (its own topics and groups), otherwise tagwatch's defaults. */
export function benchKafkaOptions(brokers: string, overrides: Partial<KafkaOptionsInput> = {}): KafkaOptions {
  return KafkaOptionsSchema.parse({ brokers: [brokers], topicPrefix: `bench${randomBytes(4).toString('hex')}.`, lagLogIntervalMs: 0, ...overrides });
}

export async function withAdmin<T>(brokers: string, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'tagwatch-bench', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `group` is Stable with `members` members (every worker joined and got partitions). */
export async function waitForGroup(admin: Admin, group: string, members: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { groups } = await admin.describeGroups([group]);
    const g = groups[0];
    if (g !== undefined && g.state === 'Stable' && g.members.length === members) return;
    if (Date.now() > deadline) {
      throw new TagwatchError(ErrorCodes.BENCH_FAILED, `consumer group ${group} not stable with ${members} members after ${timeoutMs} ms (state ${g?.state}, ${g?.members.length ?? 0} members)`);
    }
    await sleep(200);
  }
}

/** The sink's input streams (every stream with a writer). */
export function sinkInputs(): StreamName[] {
  return defaultStreamWriters(StoreOptionsSchema.parse({}), KAFKA_SINK_WRITERS).map((w) => w.stream);
}

export type WorkerMode = 'cli' | 'bench';

interface RoleWorker {
  id: string;
  role: string;
  child: ChildProcess;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  stderr(): string;
}

export interface ClusterSettings {
  analyzeWorkers: number;
  /** How ingest and analyze run: `tagwatch run --role …` or the bench's own role worker. The sink is always the bench's (it records visibility). */
  mode: WorkerMode;
  /** The sink appends (table, key, wall time) of every metrics and flags row it wrote here. */
  visibilityFile?: string;
}

/**
 * ingest, analyze (× n) and sink as separate processes on one run's topics, with the sink's
 * embedded store in the run's own directory.
 */
export class KafkaBenchCluster {
  readonly options: KafkaOptions;
  readonly names: TopicNames;
  readonly brokers: string;
  readonly storeDir: string;
  readonly #ctx: BenchContext;
  readonly #settings: ClusterSettings;
  readonly #configFile: string;
  readonly #workers: RoleWorker[] = [];

  constructor(ctx: BenchContext, brokers: string, runName: string, settings: ClusterSettings, overrides: Partial<KafkaOptionsInput> = {}) {
    this.#ctx = ctx;
    this.#settings = settings;
    this.brokers = brokers;
    this.options = benchKafkaOptions(brokers, overrides);
    this.names = new TopicNames(this.options.topicPrefix);
    const dir = join(ctx.workDir, runName);
    mkdirSync(dir, { recursive: true });
    this.storeDir = join(dir, 'sink-store');
    this.#configFile = join(dir, 'tagwatch.json');
    // Kafka mode checkpoints per commit (the analyze stage's note): no periodic checkpoints.
    writeFileSync(this.#configFile, JSON.stringify({ log: { level: 'warn' }, kafka: this.options, store: { path: this.storeDir }, analyze: { checkpointIntervalMs: 0 } }));
  }

  /** Starts every worker and waits until each group is stable with all its members. */
  async start(): Promise<void> {
    this.#spawn('ingest', 'ingest-1', this.#settings.mode);
    for (let i = 1; i <= this.#settings.analyzeWorkers; i++) this.#spawn('analyze', `analyze-${i}`, this.#settings.mode);
    this.#spawn('sink', 'sink-1', 'bench');
    const groups: Array<[string, number]> = [
      ['ingest', 1],
      ['analyze', this.#settings.analyzeWorkers],
      ['sink', 1],
    ];
    const failed = Promise.race(
      this.#workers.map((w) =>
        w.exited.then(([code, signal]) => {
          throw new TagwatchError(ErrorCodes.BENCH_FAILED, `${w.role} worker ${w.id} exited (${code ?? signal}) while starting:\n${w.stderr().slice(-3_000)}`);
        }),
      ),
    );
    failed.catch(() => undefined);
    await Promise.race([
      failed,
      withAdmin(this.brokers, async (admin) => {
        for (const [stage, members] of groups) await waitForGroup(admin, this.names.group(stage), members, 120_000);
      }),
    ]);
  }

  #spawn(role: string, id: string, mode: WorkerMode): void {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TAGWATCH_WORKER_ID: id, TAGWATCH_LOG_LEVEL: 'warn' };
    delete env['KAFKA_BROKERS'];
    // --profile: every worker writes a V8 CPU profile when it exits (SIGTERM ends it gracefully).
    const nodeFlags = this.#ctx.options.profile ? ['--cpu-prof', `--cpu-prof-dir=${this.profileDir(id)}`] : [];
    let args: string[];
    if (mode === 'cli') {
      args = [...nodeFlags, join(this.#ctx.repoDir, 'bin', 'tagwatch.js'), 'run', '--role', role, '--config', this.#configFile];
    } else {
      const input = join(this.storeDir, '..', `${id}.in.json`);
      const output = join(this.storeDir, '..', `${id}.out.json`);
      writeFileSync(input, JSON.stringify({ configFile: this.#configFile, roles: [role], visibilityFile: role === 'sink' ? this.#settings.visibilityFile : undefined }));
      args = childArgs(this.#ctx.repoDir, 'kafka-role', input, output, { heapMb: 4_096, nodeFlags });
    }
    const child = spawn(process.execPath, args, { cwd: this.#ctx.repoDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.length > 64_000) err = err.slice(-32_000);
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    this.#workers.push({ id, role, child, exited, stderr: () => err });
  }

  /** Where worker `id` writes its CPU profile (with --profile). */
  profileDir(id: string): string {
    return join(this.storeDir, '..', 'profiles', id);
  }

  /** Self time per function of each worker's profile (after `stop()`), keyed by worker id. */
  profiles(top = 15): Record<string, FunctionSelfTime[]> {
    const out: Record<string, FunctionSelfTime[]> = {};
    for (const w of this.#workers) {
      const dir = this.profileDir(w.id);
      if (!existsSync(dir)) continue;
      // The tsx loader's worker thread writes a profile of its own (mostly idle): keep the busiest one.
      let busiest: CpuProfile | undefined;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
        const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
        if (busiest === undefined || busyMicros(profile) > busyMicros(busiest)) busiest = profile;
      }
      if (busiest !== undefined) out[w.id] = summarizeCpuProfile(busiest, top, this.#ctx.repoDir);
    }
    return out;
  }

  /** Total lag of one stage's group over its input streams. */
  async lag(admin: Admin, stage: string, streams: readonly StreamName[]): Promise<number> {
    return (await fetchConsumerLag(admin, this.names, this.names.group(stage), streams)).reduce((n, p) => n + p.lag, 0);
  }

  /**
   * Waits until ingest, analyze and the sink have committed everything written to their inputs
   * (in that order: each one's output is the next one's input). Resolves with the wall time at
   * which the sink's lag was first seen at 0.
   */
  async settle(timeoutMs: number, pollMs = 100): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    const stages: Array<[string, readonly StreamName[]]> = [
      ['ingest', [Streams.posts]],
      ['analyze', [Streams.tagEvents]],
      ['sink', sinkInputs()],
    ];
    return withAdmin(this.brokers, async (admin) => {
      for (;;) {
        let total = 0;
        for (const [stage, streams] of stages) {
          total += await this.lag(admin, stage, streams);
          if (total > 0) break;
        }
        if (total === 0) return Date.now();
        this.#assertAlive();
        if (Date.now() > deadline) throw new TagwatchError(ErrorCodes.BENCH_FAILED, `the Kafka pipeline did not catch up within ${timeoutMs} ms`);
        await sleep(pollMs);
      }
    });
  }

  #assertAlive(): void {
    for (const w of this.#workers) {
      if (w.child.exitCode !== null || w.child.signalCode !== null) {
        throw new TagwatchError(ErrorCodes.BENCH_FAILED, `${w.role} worker ${w.id} died (${w.child.exitCode ?? w.child.signalCode}):\n${w.stderr().slice(-3_000)}`);
      }
    }
  }

  /** SIGTERM to every worker (graceful: commit, leave the group, close the store); SIGKILL after 30 s. */
  async stop(): Promise<void> {
    await Promise.all(
      this.#workers.map(async (w) => {
        if (w.child.exitCode !== null || w.child.signalCode !== null) return;
        w.child.kill('SIGTERM');
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 30_000);
        await w.exited;
        clearTimeout(timer);
      }),
    );
  }
}

/**
 * `auto`: whether `tagwatch run --role ingest` runs a Kafka role yet — it does if its consumer
 * group becomes stable; it does not if the process exits first (the runtime refuses partial roles).
 */
export function resolveWorkerMode(ctx: BenchContext, brokers: string): Promise<WorkerMode> {
  const wanted = ctx.options.kafkaWorkers;
  if (wanted !== 'auto') return Promise.resolve(wanted);
  return ctx.resource('kafka-worker-mode', async () => {
    const options = benchKafkaOptions(brokers);
    const dir = join(ctx.workDir, 'cli-probe');
    mkdirSync(dir, { recursive: true });
    const configFile = join(dir, 'tagwatch.json');
    writeFileSync(configFile, JSON.stringify({ log: { level: 'warn' }, kafka: options, store: { path: join(dir, 'store') } }));
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TAGWATCH_WORKER_ID: 'probe', TAGWATCH_LOG_LEVEL: 'warn' };
    delete env['KAFKA_BROKERS'];
    const child = spawn(process.execPath, [join(ctx.repoDir, 'bin', 'tagwatch.js'), 'run', '--role', 'ingest', '--config', configFile], {
      cwd: ctx.repoDir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = once(child, 'exit').then(() => 'exited' as const);
    const joined = withAdmin(brokers, (admin) => waitForGroup(admin, new TopicNames(options.topicPrefix).group('ingest'), 1, 60_000)).then(
      () => 'joined' as const,
      () => 'timeout' as const,
    );
    const outcome = await Promise.race([exited, joined]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    const mode: WorkerMode = outcome === 'joined' ? 'cli' : 'bench';
    const reason = err.split('\n').find((l) => l.includes('tagwatch:')) ?? err.split('\n')[0] ?? '';
    ctx.progress(mode === 'cli' ? 'Kafka roles: `tagwatch run --role …`' : `Kafka roles: the bench's role workers (\`run --role ingest\` ${outcome}: ${reason.trim()})`);
    ctx.detail('kafkaWorkerMode', { mode, probe: outcome, reason: reason.trim() });
    return { value: mode, close: async () => undefined };
  });
}
