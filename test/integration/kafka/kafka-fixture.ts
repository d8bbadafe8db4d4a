import { randomBytes } from 'node:crypto';
import kafkajs, { type Admin, type KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { inject } from 'vitest';
import { createLogger, silentLogger } from '../../../src/log/index.ts';
import { KafkaOptionsSchema, type KafkaOptions, type KafkaOptionsInput } from '../../../src/bus/kafka/index.ts';

const { Kafka, logLevel } = kafkajs;

export function brokers(): string {
  return inject('kafkaBrokers');
}

/** Options for one test: its own topic prefix (so its own topics and groups), small and quick. */
export function testKafkaOptions(overrides: Partial<KafkaOptionsInput> = {}): KafkaOptions {
  return KafkaOptionsSchema.parse({
    brokers: [brokers()],
    topicPrefix: `t${randomBytes(5).toString('hex')}.`,
    partitions: 3,
    lagLogIntervalMs: 0,
    consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 20_000, maxBytesPerPartition: 256 * 1024, maxWaitTimeMs: 50 },
    producer: { compression: 'gzip', lingerMs: 2, maxRequestBytes: 512 * 1024, maxPendingRecords: 5_000, transactionTimeoutMs: 10_000 },
    ...overrides,
  });
}

export function rawClient(clientId = 'tagwatch-test', bootstrap: readonly string[] = [brokers()]): InstanceType<typeof Kafka> {
  return new Kafka({ clientId, brokers: [...bootstrap], logLevel: logLevel.NOTHING });
}

/** An admin client on the shared broker, or on `bootstrap` (a test's own broker). */
export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>, bootstrap?: readonly string[]): Promise<T> {
  const admin = rawClient('tagwatch-test', bootstrap).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the start (read_committed) until `done(messages)` holds, then returns them
 * in partition order. Data only: control records never reach the caller.
 */
export async function readTopic(topic: string, done: (messages: ReadMessage[]) => boolean, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const consumer = rawClient().consumer({ groupId: `reader-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 50 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic}: condition not met within ${timeoutMs} ms (${messages.length} messages)`)), timeoutMs);
      const check = (): void => {
        if (done(messages)) {
          clearTimeout(timer);
          resolve();
        }
      };
      check();
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            messages.push(toRead(partition, message));
            check();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

function toRead(partition: number, message: KafkaMessage): ReadMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
  let value: unknown = null;
  if (message.value !== null) {
    const text = message.value.toString('utf8');
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
  }
  return { partition, offset: message.offset, key: message.key?.toString('utf8') ?? '', value, headers };
}

/**
 * Polls `check` (an awaited condition on the broker's state, not a timed sleep) until it holds.
 * A check that throws (the broker restarting) counts as "not yet".
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} not reached within ${timeoutMs} ms${lastError === undefined ? '' : ` (last error: ${(lastError as Error).message})`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads every committed message of a topic, up to its end as of the call (read_committed). */
export async function readAll(topic: string, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const ends = new Map<number, bigint>();
  await withAdmin(async (admin) => {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high) - 1n);
  });
  const consumer = rawClient().consumer({ groupId: `reader-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 50 });
  const messages: ReadMessage[] = [];
  const pending = new Set(ends.keys());
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading all of ${topic}: partitions ${[...pending].join(',')} not finished within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const end = ends.get(payload.partition);
        if (end !== undefined && BigInt(payload.lastOffset) >= end) pending.delete(payload.partition);
        check();
      });
      check();
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            messages.push(toRead(partition, message));
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages.sort((x, y) => x.partition - y.partition || Number(BigInt(x.offset) - BigInt(y.offset)));
}

/** Silent unless TAGWATCH_TEST_LOG names a level (for debugging a failing test). */
export function testLog(): Logger {
  const level = process.env['TAGWATCH_TEST_LOG'];
  return level === undefined || level === '' ? silentLogger() : createLogger({ level });
}
