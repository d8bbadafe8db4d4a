import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** Benchmarks in the order they run (`--only` picks a subset, the order stays). */
export const BenchmarkNames = ['parse', 'analyze', 'store', 'embedded', 'transport', 'kafka', 'scaling', 'latency', 'memory', 'soak'] as const;
export type BenchmarkName = (typeof BenchmarkNames)[number];

/** Full-run and `--quick` defaults: quick validates the harness on tiny inputs in seconds. */
const FULL = { posts: 1_000_000, kafkaPosts: 300_000, latencySeconds: 30, memoryTags: [10_000, 100_000, 1_000_000], soakMinutes: 2 };
const QUICK = { posts: 20_000, kafkaPosts: 10_000, latencySeconds: 1, memoryTags: [2_000, 10_000], soakMinutes: 0.1 };

const positiveInt = z.number().int().min(1);

export const BenchOptionsSchema = z.strictObject({
  only: z.array(z.enum(BenchmarkNames)).min(1).default([...BenchmarkNames]),
  quick: z.boolean().default(false),
  /** Posts of the seeded stream read by parse, analyze, store and embedded. */
  posts: positiveInt.optional(),
  /** Posts replayed through Kafka per throughput run (transport, kafka, scaling). */
  kafkaPosts: positiveInt.optional(),
  /** Seed and mean organic rate (posts per event-time minute) of the simulated stream. */
  seed: z.number().int().min(0).default(9),
  ratePerMin: positiveInt.default(3_000),
  /** Offered load of the Kafka latency run, in posts per wall-clock second. */
  latencyRate: positiveInt.default(10_000),
  /** Length of the Kafka latency run, in s. */
  latencySeconds: z.number().positive().optional(),
  /** Distinct live tags at which analyze memory is measured. */
  memoryTags: z.array(positiveInt).min(1).optional(),
  /** Events per tag in the memory benchmark (each tag sees this many posts). */
  eventsPerTag: positiveInt.default(3),
  /** Length of the memory soak, in minutes; its offered load in posts/s. */
  soakMinutes: z.number().positive().optional(),
  soakRate: positiveInt.default(5_000),
  /** `auto`: `tagwatch run --role …` when it runs Kafka roles, else the bench's own role workers. */
  kafkaWorkers: z.enum(['auto', 'cli', 'bench']).default('auto'),
  /** Take CPU profiles of the analyze and embedded runs and summarize self time per function. */
  profile: z.boolean().default(false),
  out: z.string().min(1).default('bench/results.json'),
  /** Simulated streams are cached here between runs (keyed by seed, rate, size and simulator sources). */
  cacheDir: z.string().min(1).default(join(tmpdir(), 'tagwatch-bench-cache')),
  /** Keep the run's scratch directory (stores, broker logs) for inspection. */
  keep: z.boolean().default(false),
});

export type BenchOptionsInput = z.input<typeof BenchOptionsSchema>;

/** Options with every size resolved (quick or full defaults filled in). */
export type BenchOptions = Omit<z.output<typeof BenchOptionsSchema>, 'posts' | 'kafkaPosts' | 'latencySeconds' | 'memoryTags' | 'soakMinutes'> & {
  posts: number;
  kafkaPosts: number;
  latencySeconds: number;
  memoryTags: number[];
  soakMinutes: number;
};

export function resolveBenchOptions(input: BenchOptionsInput): BenchOptions {
  const parsed = BenchOptionsSchema.parse(input);
  const sizes = parsed.quick ? QUICK : FULL;
  const posts = parsed.posts ?? sizes.posts;
  return {
    ...parsed,
    posts,
    kafkaPosts: parsed.kafkaPosts ?? Math.min(posts, sizes.kafkaPosts),
    latencySeconds: parsed.latencySeconds ?? sizes.latencySeconds,
    memoryTags: parsed.memoryTags ?? sizes.memoryTags,
    soakMinutes: parsed.soakMinutes ?? sizes.soakMinutes,
  };
}
