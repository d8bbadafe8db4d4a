import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { Streams } from '../bus/index.ts';
import { CONTROL_HEADER, KafkaPipeline, type KafkaOptions } from '../bus/kafka/index.ts';
import { silentLogger } from '../log/index.ts';
import { perSecond } from './bench-stats.ts';
import { benchBroker, benchKafkaOptions, waitForGroup, withAdmin } from './kafka-cluster.ts';
import { replayIntoKafka } from './kafka-collector.ts';
import type { Benchmark, BenchRow } from './types.ts';

const { Kafka, logLevel } = kafkajs;

interface DrainInput {
  brokers: string;
  topic: string;
  groupId: string;
  expected: number;
  consumer: KafkaOptions['consumer'];
  timeoutMs: number;
}

interface DrainOutput {
  count: number;
  firstAt: number;
  doneAt: number;
}

/**
 * Child task: a consumer with the pipeline's consumer settings (read_committed, eachBatch, same
 * fetch sizes) that only counts data messages (watermark markers excluded) until `expected`.
 */
export async function kafkaDrainTask(input: unknown): Promise<DrainOutput> {
  const { brokers, topic, groupId, expected, consumer: settings, timeoutMs } = input as DrainInput;
  const kafka = new Kafka({ clientId: 'tagwatch-bench-drain', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    rebalanceTimeout: settings.rebalanceTimeoutMs,
    maxBytesPerPartition: settings.maxBytesPerPartition,
    maxWaitTimeInMs: settings.maxWaitTimeMs,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  let count = 0;
  let firstAt = 0;
  let doneAt = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`drained ${count} of ${expected} messages in ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
            for (const message of batch.messages) if (message.headers?.[CONTROL_HEADER] === undefined) count++;
            if (firstAt === 0 && count > 0) firstAt = Date.now();
            resolveOffset(batch.lastOffset());
            await heartbeat();
            if (count >= expected && doneAt === 0) {
              doneAt = Date.now();
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return { count, firstAt, doneAt };
}

export const kafkaTransportBenchmark: Benchmark = {
  name: 'transport',
  description: 'the same posts through kafkajs produce → consume with no processing (same producer, same consumer settings)',
  async run(ctx): Promise<BenchRow[]> {
    const brokers = await benchBroker(ctx);
    const stream = await ctx.simStream(ctx.options.kafkaPosts);
    const options = benchKafkaOptions(brokers);
    const groupId = `${options.topicPrefix}drain-${randomBytes(3).toString('hex')}`;
    // Topics first (as the pipeline creates them), then the consumer joins, then the collector produces.
    const provisioner = new KafkaPipeline(options, silentLogger());
    await provisioner.start();
    await provisioner.close();
    const input: DrainInput = { brokers, topic: `${options.topicPrefix}${Streams.posts}`, groupId, expected: stream.posts, consumer: options.consumer, timeoutMs: 600_000 };
    const draining = ctx.runChild<DrainOutput>('kafka-drain', input, { heapMb: 2_048 });
    draining.catch(() => undefined);
    await Promise.race([draining, withAdmin(brokers, (admin) => waitForGroup(admin, groupId, 1, 60_000))]);
    const produced = await replayIntoKafka(options, stream.file);
    const out = await draining;
    const ms = out.doneAt - produced.startedAt;
    ctx.detail('transport', { ...out, ...produced, partitions: options.partitions });
    return [
      {
        id: 'transport',
        label: '6 Kafka transport limit (produce → consume)',
        value: perSecond(out.count, ms),
        unit: 'posts/s',
        note: `${out.count.toLocaleString('en-US')} posts, ${options.partitions} partitions, idempotent acks=all ${options.producer.compression}; produce alone ${Math.round(perSecond(produced.posts, produced.producedAt - produced.startedAt) ?? 0).toLocaleString('en-US')}/s`,
      },
    ];
  },
};
