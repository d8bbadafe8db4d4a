import { perSecond } from './bench-stats.ts';
import { kafkaThroughputRun, throughputNote } from './kafka-end-to-end.ts';
import type { Benchmark, BenchRow } from './types.ts';

export const kafkaScalingBenchmark: Benchmark = {
  name: 'scaling',
  description: 'Kafka mode posts/s with 1 and 2 analyze worker processes (the 1-worker figure is the kafka row when it ran)',
  async run(ctx): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const one = ctx.rows.get('kafka');
    if (one?.value !== undefined) {
      rows.push({ id: 'scaling.1', label: '8 Scaling: 1 analyze worker', value: one.value, unit: 'posts/s', note: 'the Kafka end-to-end run' });
    } else {
      const run = await kafkaThroughputRun(ctx, 1);
      ctx.detail('scaling.1', run);
      rows.push({ id: 'scaling.1', label: '8 Scaling: 1 analyze worker', value: perSecond(run.posts, run.ms), unit: 'posts/s', note: throughputNote(run) });
    }
    const run = await kafkaThroughputRun(ctx, 2);
    ctx.detail('scaling.2', run);
    rows.push({
      id: 'scaling.2',
      label: '8 Scaling: 2 analyze workers',
      value: perSecond(run.posts, run.ms),
      unit: 'posts/s',
      limitOf: 'scaling.1',
      note: `ratio = speed-up over 1 worker; ${throughputNote(run)}`,
    });
    return rows;
  },
};
