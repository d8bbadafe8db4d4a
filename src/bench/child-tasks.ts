import { analyzeMemoryTask } from './analyze-memory.ts';
import { analyzeThroughputTask } from './analyze-throughput.ts';
import { embeddedEndToEndTask } from './embedded-end-to-end.ts';
import { kafkaRoleTask } from './kafka-role-worker.ts';
import { kafkaDrainTask } from './kafka-transport.ts';
import { memorySoakTask } from './memory-soak.ts';
import { parseLimitTask } from './parse-limit.ts';
import { storeClientTask, storeNativeTask } from './store-limit.ts';
import type { ChildTask } from './types.ts';

/** Tasks a bench child process runs (`tagwatch bench --child NAME`): each in a fresh process. */
export const childTasks: Readonly<Record<string, ChildTask>> = {
  parse: parseLimitTask,
  analyze: analyzeThroughputTask,
  'store-client': storeClientTask,
  'store-native': storeNativeTask,
  embedded: embeddedEndToEndTask,
  memory: analyzeMemoryTask,
  soak: memorySoakTask,
  'kafka-role': kafkaRoleTask,
  'kafka-drain': kafkaDrainTask,
};
