import type { BenchOptions } from './options.ts';
import type { SimStream } from './sim-stream.ts';

export const Verdicts = {
  pass: 'PASS',
  fail: 'FAIL',
  /** No target: an informative figure (a limit, a lever). */
  none: '—',
  /** The benchmark could not produce the figure (crashed, blocked). */
  error: 'ERROR',
} as const;

export type Verdict = (typeof Verdicts)[keyof typeof Verdicts];

/** A target a row must meet: on its measured value, or on its ratio to the row it names as its limit. */
export interface Target {
  on: 'value' | 'ratio';
  op: '>=' | '<=';
  value: number;
}

/** One line of the results table, as a benchmark reports it. */
export interface BenchRow {
  /** Stable id (`analyze`, `kafka.flag.p99`); other rows name it in `limitOf`. */
  id: string;
  label: string;
  /** Undefined when the benchmark failed or was blocked (`error` says why). */
  value?: number | undefined;
  unit: string;
  /** Id of the row whose value is this row's ceiling: ratio = value / that value. */
  limitOf?: string;
  targets?: readonly Target[];
  note?: string;
  error?: string;
}

/** A row with its ratio and verdict worked out against the other rows of the same run. */
export interface ResolvedRow extends BenchRow {
  ratio?: number | undefined;
  verdict: Verdict;
}

/** Everything a benchmark may use in the parent process. */
export interface BenchContext {
  readonly options: BenchOptions;
  /** The repository root (bin/tagwatch.js, scripts/). */
  readonly repoDir: string;
  /** The seeded simulator stream every benchmark reads. */
  readonly stream: SimStream;
  /** A scratch directory of this run (stores, broker, logs); removed at the end unless `--keep`. */
  readonly workDir: string;
  /** Rows reported so far (later benchmarks may reuse an earlier figure). */
  readonly rows: ReadonlyMap<string, BenchRow>;
  progress(message: string): void;
  /** Extra figures for `details` in results.json (latency histograms, profiles…). */
  detail(key: string, value: unknown): void;
  /** Runs a child task (`tagwatch bench --child …`) in a fresh Node process and returns its result. */
  runChild<T>(task: string, input: unknown, settings?: ChildSettings): Promise<T>;
  /** A seeded stream of `posts` posts: a prefix of `stream` when shorter, a longer simulation otherwise. */
  simStream(posts: number): Promise<SimStream>;
  /** The same seed and rate without the diurnal curve (a steady load in event time), `posts` long. */
  flatStream(posts: number): Promise<SimStream>;
  /** Shared resources (the Kafka broker) started on first use and stopped at the end of the run. */
  resource<T>(name: string, open: () => Promise<{ value: T; close: () => Promise<void> }>): Promise<T>;
}

export interface ChildSettings {
  /** Extra Node flags (`--expose-gc`, `--cpu-prof`…). */
  nodeFlags?: readonly string[];
  /** Old-space limit of the child, in MB. */
  heapMb?: number;
  /** Give up after this long, in ms. */
  timeoutMs?: number;
}

/** One benchmark: a module in src/bench, selected with `--only <name>`. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

/** A task run in a child process: JSON in, JSON out. */
export type ChildTask = (input: unknown) => Promise<unknown>;

/** Where and on what the run happened (`bench/results.json`). */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  node: string;
  platform: string;
  commit: string;
  /** Files changed against the commit when the run started (a dirty tree measures uncommitted code). */
  dirty: boolean;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  options: BenchOptions;
  stream: SimStream;
  rows: ResolvedRow[];
  /** Extra figures per benchmark (latency histograms, profile summaries…). */
  details: Record<string, unknown>;
}
