import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { ErrorCodes, ExternalError } from '../../errors/index.ts';
import type { TagStateSnapshot } from '../types.ts';
import type { KafkaClient } from './kafka-client.ts';
import { decodeValue } from './stream-codec.ts';
import { Streams } from '../types.ts';

/**
 * Reads partitions of a compacted changelog from the beginning to their current end, keeping
 * the newest committed value per key (tombstones delete). kafkajs has no manual assignment, so
 * a throw-away consumer group reads the topic and is deleted afterwards; read_committed means
 * a snapshot of an aborted or still-open transaction is never restored.
 */
export async function readChangelog(
  kafka: KafkaClient,
  admin: Admin,
  topic: string,
  partitions: readonly number[],
  options: { groupPrefix: string; timeoutMs: number },
  log: Logger,
): Promise<Map<number, Map<string, TagStateSnapshot>>> {
  const result = new Map<number, Map<string, TagStateSnapshot>>(partitions.map((p) => [p, new Map()]));
  const ends = new Map<number, bigint>();
  for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
    if (result.has(partition) && BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high) - 1n);
  }
  if (ends.size === 0) return result;
  const started = Date.now();
  const groupId = `${options.groupPrefix}restore.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, allowAutoTopicCreation: false, maxWaitTimeInMs: 50 });
  const progress = (partition: number, lastOffset: string): void => {
    const end = ends.get(partition);
    if (end !== undefined && BigInt(lastOffset) >= end) ends.delete(partition);
  };
  let malformed = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ExternalError(ErrorCodes.KAFKA, `reading ${topic} partitions ${[...ends.keys()].join(',')} took over ${options.timeoutMs} ms`, { retriable: true })),
        options.timeoutMs,
      );
      const check = (): void => {
        if (ends.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      // Batches of only control records or aborted data never reach eachBatch but move the position.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        progress(payload.partition, payload.lastOffset);
        check();
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        clearTimeout(timer);
        reject(payload.error);
      });
      const run = async (): Promise<void> => {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const snapshots = result.get(batch.partition);
            if (snapshots === undefined) return;
            for (const message of batch.messages) {
              const key = message.key?.toString('utf8');
              if (key === undefined) continue;
              try {
                const value = decodeValue(Streams.analyzeState, message.value);
                if (value === null) snapshots.delete(key);
                else snapshots.set(key, value);
              } catch (err) {
                malformed++;
                log.error({ err, topic, partition: batch.partition, offset: message.offset }, 'unreadable state snapshot skipped');
              }
            }
          },
        });
      };
      run().catch((err: unknown) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } finally {
    await consumer.disconnect().catch((err: unknown) => log.warn({ err }, 'restore consumer did not disconnect cleanly'));
    await admin.deleteGroups([groupId]).catch((err: unknown) => log.debug({ err, groupId }, 'restore group not deleted'));
  }
  const keys = [...result.values()].reduce((n, m) => n + m.size, 0);
  log.info({ topic, partitions, keys, malformed, ms: Date.now() - started }, 'state restored from changelog');
  return result;
}
