import { analyzeMemoryBenchmark } from './analyze-memory.ts';
import { analyzeThroughputBenchmark } from './analyze-throughput.ts';
import { embeddedEndToEndBenchmark } from './embedded-end-to-end.ts';
import { kafkaEndToEndBenchmark } from './kafka-end-to-end.ts';
import { kafkaLatencyBenchmark } from './kafka-latency.ts';
import { kafkaScalingBenchmark } from './kafka-scaling.ts';
import { kafkaTransportBenchmark } from './kafka-transport.ts';
import { memorySoakBenchmark } from './memory-soak.ts';
import type { BenchmarkName } from './options.ts';
import { parseLimitBenchmark } from './parse-limit.ts';
import { storeLimitBenchmark } from './store-limit.ts';
import type { Benchmark } from './types.ts';

/** Every benchmark by name, in run order (limits before the figures measured against them). */
export const benchmarks: Readonly<Record<BenchmarkName, Benchmark>> = {
  parse: parseLimitBenchmark,
  analyze: analyzeThroughputBenchmark,
  store: storeLimitBenchmark,
  embedded: embeddedEndToEndBenchmark,
  transport: kafkaTransportBenchmark,
  kafka: kafkaEndToEndBenchmark,
  scaling: kafkaScalingBenchmark,
  latency: kafkaLatencyBenchmark,
  memory: analyzeMemoryBenchmark,
  soak: memorySoakBenchmark,
};
