import kafkajs, { type Producer as KafkaProducer } from 'kafkajs';
import type { Logger } from 'pino';
import { ClosedError, ErrorCodes } from '../../errors/index.ts';
import { streamObserver } from '../../metrics/index.ts';
import { Streams, type BusRecord, type Producer, type StreamName } from '../types.ts';
import type { KafkaClient } from './kafka-client.ts';
import type { KafkaOptions } from './options.ts';
import { encodeValue } from './stream-codec.ts';
import type { TopicNames } from './topic-names.ts';
import { chunk, type PendingMessage } from './transaction-output.ts';
import { CONTROL_HEADER, END_OF_INPUT, WATERMARK_CONTROL, type WatermarkMarker } from './watermark-table.ts';

const { CompressionTypes, Partitioners } = kafkajs;

/** Collectors announce their event-time progress at most this often (wall clock), in ms. */
const MARKER_INTERVAL_MS = 200;

interface Waiter {
  count: number;
  resolve: () => void;
  reject: (err: unknown) => void;
  remaining: number;
}

interface Queued extends PendingMessage {
  waiter: Waiter | undefined;
}

/** Event time of a raw post (the wire `createdAt`), or undefined when it has none that parses. */
function rawPostTime(value: unknown): number | undefined {
  const post = (value as { post?: { createdAt?: unknown } } | null)?.post;
  if (post === null || typeof post !== 'object' || typeof post.createdAt !== 'string') return undefined;
  const ts = Date.parse(post.createdAt);
  return Number.isFinite(ts) ? ts : undefined;
}

/**
 * The producer collectors write through (idempotent, acks from all in-sync replicas, gzip).
 * Sends from many callers are gathered for `lingerMs` into one request, one request in flight
 * at a time so records keep their order; a caller's promise resolves once its records are
 * acknowledged, and callers wait while `maxPendingRecords` are unacknowledged, so a slow broker
 * slows the collector instead of filling memory.
 *
 * Posts carry event time: after posts are acknowledged the producer writes a watermark marker
 * to every `posts` partition (newest event time sent), and `endOfInput()` writes the END marker.
 */
export class KafkaRecordProducer implements Producer {
  readonly #names: TopicNames;
  readonly #options: KafkaOptions;
  readonly #log: Logger;
  readonly #producer: KafkaProducer;
  readonly #source: string;
  readonly #partitions: ReadonlyMap<StreamName, number>;
  #queue: Queued[] = [];
  #unacked = 0;
  #roomWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  #sending: Promise<void> | undefined;
  #lingerTimer: NodeJS.Timeout | undefined;
  #maxPostTs: number | undefined;
  #firstPostTs: number | undefined;
  #markedTs: number | undefined;
  #lastMarkerAt = 0;
  #connected = false;
  #closed = false;
  #sent = 0;

  constructor(kafka: KafkaClient, names: TopicNames, options: KafkaOptions, partitions: ReadonlyMap<StreamName, number>, source: string, log: Logger) {
    this.#names = names;
    this.#options = options;
    this.#log = log;
    this.#partitions = partitions;
    this.#source = `collector.${source}`;
    // Unlimited retries (idempotence needs them): while the broker is away, sends wait, and so do the collectors.
    this.#producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (this.#connected) return;
    await this.#producer.connect();
    this.#connected = true;
  }

  /** Records acknowledged by the broker so far. */
  get sent(): number {
    return this.#sent;
  }

  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    if (this.#closed) throw new ClosedError(ErrorCodes.CLOSED, 'Kafka producer is closed');
    if (records.length === 0) return;
    while (this.#unacked >= this.#options.producer.maxPendingRecords) {
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
      if (this.#closed) throw new ClosedError(ErrorCodes.CLOSED, 'Kafka producer is closed');
    }
    const topic = this.#names.topic(stream);
    const encoded = records.map((record) => {
      const value = encodeValue(stream, record.value);
      return { topic, message: { key: record.key, value }, bytes: (value?.length ?? 0) + record.key.length + 32 };
    });
    if (stream === Streams.posts) {
      for (const record of records) {
        const ts = rawPostTime(record.value);
        if (ts === undefined) continue;
        this.#firstPostTs ??= ts;
        if (this.#maxPostTs === undefined || ts > this.#maxPostTs) this.#maxPostTs = ts;
      }
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { count: encoded.length, remaining: encoded.length, resolve, reject };
      for (const item of encoded) this.#queue.push({ ...item, waiter });
      this.#unacked += encoded.length;
      this.#schedule();
    });
    streamObserver.sent(stream, records as ReadonlyArray<BusRecord>);
    if (stream === Streams.posts) this.#maybeMark(false);
  }

  /** Writes the END watermark to every `posts` partition and waits for it: the input is complete. */
  async endOfInput(): Promise<void> {
    this.#enqueueMarkers(END_OF_INPUT);
    await this.whenIdle();
  }

  /** Resolves once every queued record is acknowledged. */
  async whenIdle(): Promise<void> {
    this.#maybeMark(true);
    while (this.#queue.length > 0 || this.#sending !== undefined) {
      this.#schedule(true);
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.whenIdle().catch((err: unknown) => this.#log.error({ err }, 'records not acknowledged at close'));
    this.#closed = true;
    for (const wake of this.#roomWaiters.splice(0)) wake();
    if (this.#connected) await this.#producer.disconnect();
  }

  #maybeMark(force: boolean): void {
    if (this.#maxPostTs === undefined || this.#maxPostTs === this.#markedTs) return;
    const now = Date.now();
    if (!force && now - this.#lastMarkerAt < MARKER_INTERVAL_MS) return;
    this.#lastMarkerAt = now;
    this.#enqueueMarkers(this.#maxPostTs);
  }

  #enqueueMarkers(ts: number): void {
    this.#markedTs = ts;
    const count = this.#partitions.get(Streams.posts) ?? 0;
    const marker: WatermarkMarker = { source: this.#source, ts, of: 0 };
    if (this.#firstPostTs !== undefined) marker.start = this.#firstPostTs;
    const value = Buffer.from(JSON.stringify(marker));
    const topic = this.#names.topic(Streams.posts);
    for (let partition = 0; partition < count; partition++) {
      this.#queue.push({
        topic,
        message: { key: this.#source, value, partition, headers: { [CONTROL_HEADER]: WATERMARK_CONTROL } },
        bytes: value.length + 64,
        waiter: undefined,
      });
    }
    this.#schedule();
  }

  #schedule(now = false): void {
    if (this.#sending !== undefined) return;
    if (this.#queue.length === 0) {
      for (const wake of this.#idleWaiters.splice(0)) wake();
      return;
    }
    const linger = this.#options.producer.lingerMs;
    if (now || linger === 0 || this.#queuedBytes() >= this.#options.producer.maxRequestBytes) {
      if (this.#lingerTimer !== undefined) clearTimeout(this.#lingerTimer);
      this.#lingerTimer = undefined;
      this.#sending = this.#sendOne().finally(() => {
        this.#sending = undefined;
        this.#schedule(this.#queue.length > 0);
      });
      return;
    }
    this.#lingerTimer ??= setTimeout(() => {
      this.#lingerTimer = undefined;
      this.#schedule(true);
    }, linger);
  }

  #queuedBytes(): number {
    let bytes = 0;
    for (const item of this.#queue) bytes += item.bytes;
    return bytes;
  }

  async #sendOne(): Promise<void> {
    const limit = this.#options.producer.maxRequestBytes;
    let bytes = 0;
    let n = 0;
    while (n < this.#queue.length && (n === 0 || bytes + (this.#queue[n] as Queued).bytes <= limit)) {
      bytes += (this.#queue[n] as Queued).bytes;
      n++;
    }
    const items = this.#queue.splice(0, n);
    const compression = this.#options.producer.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    let failure: unknown;
    try {
      for (const topicMessages of chunk(items, limit)) await this.#producer.sendBatch({ acks: -1, compression, topicMessages });
    } catch (err) {
      failure = err;
      this.#log.error({ err, records: items.length }, 'Kafka rejected a request after retries');
    }
    for (const item of items) {
      if (item.waiter === undefined) continue;
      this.#unacked--;
      if (failure !== undefined) {
        item.waiter.remaining = -1;
        item.waiter.reject(failure);
        continue;
      }
      this.#sent++;
      if (--item.waiter.remaining === 0) item.waiter.resolve();
    }
    for (const wake of this.#roomWaiters.splice(0)) wake();
  }
}
