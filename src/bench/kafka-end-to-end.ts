import { perSecond } from './bench-stats.ts';
import { benchBroker, KafkaBenchCluster, resolveWorkerMode } from './kafka-cluster.ts';
import { replayIntoKafka } from './kafka-collector.ts';
import type { BenchContext, Benchmark, BenchRow } from './types.ts';

export interface KafkaThroughput {
  posts: number;
  analyzeWorkers: number;
  mode: string;
  /** From the first line read to the sink's lag first seen at 0. */
  ms: number;
  produceMs: number;
  partitions: number;
}

/**
 * One throughput run: ingest, `analyzeWorkers` analyze workers and the sink as separate
 * processes on fresh topics; `replay --speed max` produces the stream (END watermark at the end);
 * the run ends when every group has committed everything (the sink's rows are written).
 */
export async function kafkaThroughputRun(ctx: BenchContext, analyzeWorkers: number): Promise<KafkaThroughput> {
  const brokers = await benchBroker(ctx);
  const mode = await resolveWorkerMode(ctx, brokers);
  const stream = await ctx.simStream(ctx.options.kafkaPosts);
  const cluster = new KafkaBenchCluster(ctx, brokers, `kafka-${analyzeWorkers}w-${Date.now()}`, { analyzeWorkers, mode });
  try {
    ctx.progress(`Kafka: starting ingest, ${analyzeWorkers} analyze, sink (${mode} workers)`);
    await cluster.start();
    ctx.progress(`Kafka: replaying ${stream.posts.toLocaleString('en-US')} posts`);
    const produced = await replayIntoKafka(cluster.options, stream.file);
    const settledAt = await cluster.settle(Math.max(300_000, stream.posts * 10));
    return {
      posts: produced.posts,
      analyzeWorkers,
      mode,
      ms: settledAt - produced.startedAt,
      produceMs: produced.producedAt - produced.startedAt,
      partitions: cluster.options.partitions,
    };
  } finally {
    await cluster.stop();
    if (ctx.options.profile) ctx.detail(`kafkaProfile.${analyzeWorkers}w`, cluster.profiles());
  }
}

export function throughputNote(run: KafkaThroughput): string {
  return `${run.posts.toLocaleString('en-US')} posts, ${run.partitions} partitions, ${run.mode} workers; collector done after ${(run.produceMs / 1000).toFixed(1)} s, sink caught up after ${(run.ms / 1000).toFixed(1)} s`;
}

export const kafkaEndToEndBenchmark: Benchmark = {
  name: 'kafka',
  description: 'Kafka mode end-to-end on the real broker: ingest, analyze and sink as separate processes',
  async run(ctx): Promise<BenchRow[]> {
    const run = await kafkaThroughputRun(ctx, 1);
    ctx.detail('kafka', run);
    return [
      {
        id: 'kafka',
        label: '5 Kafka end-to-end (3 processes + broker)',
        value: perSecond(run.posts, run.ms),
        unit: 'posts/s',
        limitOf: 'transport',
        targets: [{ on: 'ratio', op: '>=', value: 0.7 }],
        note: throughputNote(run),
      },
    ];
  },
};
