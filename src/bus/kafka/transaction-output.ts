import kafkajs, { type Message, type Producer as KafkaProducer, type TopicMessages } from 'kafkajs';
import { ClosedError, ErrorCodes } from '../../errors/index.ts';
import { streamObserver } from '../../metrics/index.ts';
import type { BusRecord, Producer, StreamName } from '../types.ts';
import { encodeValue } from './stream-codec.ts';
import type { TopicNames } from './topic-names.ts';
import { CONTROL_HEADER, WATERMARK_CONTROL, type WatermarkMarker } from './watermark-table.ts';

const { CompressionTypes } = kafkajs;

export interface OffsetCommit {
  consumerGroupId: string;
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string; metadata?: string | null }> }>;
}

/** Where a stage's attempt began, to drop its records when the attempt fails and is retried. */
export interface OutputMark {
  messages: number;
  groups: number;
}

interface Pending {
  topic: string;
  message: Message;
  bytes: number;
}

/**
 * What a stage sends while the runner handles one batch: held in memory, then sent together
 * with the batch's input offsets in one Kafka transaction, so either all of it (outputs,
 * state checkpoints, offsets) becomes visible or none of it does.
 */
export class TransactionOutput implements Producer {
  readonly #names: TopicNames;
  #pending: Pending[] = [];
  /** What the stage sent, by stream, for /metrics once it is committed. */
  #groups: Array<[StreamName, ReadonlyArray<BusRecord>]> = [];
  #sealed = false;

  constructor(names: TopicNames) {
    this.#names = names;
  }

  get size(): number {
    return this.#pending.length;
  }

  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    if (this.#sealed) throw new ClosedError(ErrorCodes.CLOSED, 'this batch has been committed; send outputs before process() resolves');
    const topic = this.#names.topic(stream);
    const encoded: Pending[] = [];
    for (const record of records) {
      const value = encodeValue(stream, record.value);
      encoded.push({ topic, message: { key: record.key, value }, bytes: (value?.length ?? 0) + record.key.length + 32 });
    }
    for (const item of encoded) this.#pending.push(item);
    if (records.length > 0) this.#groups.push([stream, records as ReadonlyArray<BusRecord>]);
  }

  /** A watermark marker on one partition of a stream. */
  marker(stream: StreamName, partition: number, marker: WatermarkMarker): void {
    const value = Buffer.from(JSON.stringify(marker));
    this.#pending.push({
      topic: this.#names.topic(stream),
      message: { key: marker.source, value, partition, headers: { [CONTROL_HEADER]: WATERMARK_CONTROL } },
      bytes: value.length + 64,
    });
  }

  /** A position to go back to when a stage's attempt failed and will be retried. */
  mark(): OutputMark {
    return { messages: this.#pending.length, groups: this.#groups.length };
  }

  rollback(mark: OutputMark): void {
    this.#pending.length = Math.min(mark.messages, this.#pending.length);
    this.#groups.length = Math.min(mark.groups, this.#groups.length);
  }

  /**
   * Sends everything and the offsets in one transaction. Nothing to send and no offsets: no
   * transaction at all. On failure the transaction is aborted (if the broker still answers)
   * and the error thrown: the caller resets the partition to its committed state.
   */
  async commit(producer: KafkaProducer, offsets: OffsetCommit | undefined, options: { compression: 'gzip' | 'none'; maxRequestBytes: number }): Promise<boolean> {
    this.#sealed = true;
    if (this.#pending.length === 0 && offsets === undefined) return false;
    const transaction = await producer.transaction();
    try {
      const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
      for (const topicMessages of chunk(this.#pending, options.maxRequestBytes)) {
        await transaction.sendBatch({ acks: -1, compression, topicMessages });
      }
      if (offsets !== undefined) await transaction.sendOffsets(offsets);
      await transaction.commit();
    } catch (err) {
      await transaction.abort().catch(() => undefined);
      throw err;
    }
    // Kept until now: a failed commit can be retried with the very same records.
    this.#pending = [];
    for (const [stream, records] of this.#groups) streamObserver.sent(stream, records);
    this.#groups = [];
    return true;
  }
}

/** Splits messages into requests of at most `maxBytes`, keeping their order per topic. */
export function* chunk(items: readonly Pending[], maxBytes: number): Generator<TopicMessages[]> {
  let byTopic = new Map<string, Message[]>();
  let bytes = 0;
  for (const item of items) {
    if (bytes > 0 && bytes + item.bytes > maxBytes) {
      yield [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      byTopic = new Map();
      bytes = 0;
    }
    let list = byTopic.get(item.topic);
    if (list === undefined) {
      list = [];
      byTopic.set(item.topic, list);
    }
    list.push(item.message);
    bytes += item.bytes;
  }
  if (bytes > 0) yield [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

export type { Pending as PendingMessage };
