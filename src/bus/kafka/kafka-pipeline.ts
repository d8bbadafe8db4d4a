import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { ClosedError, ErrorCodes } from '../../errors/index.ts';
import { consumerLag } from '../../metrics/index.ts';
import { Streams, type BusRecord, type Producer, type Stage, type StreamName } from '../types.ts';
import { fetchConsumerLag } from './consumer-lag.ts';
import { createKafkaClient, resolveWorkerId, type KafkaClient } from './kafka-client.ts';
import { KafkaStageRunner } from './kafka-stage-runner.ts';
import type { KafkaOptions } from './options.ts';
import { KafkaRecordProducer } from './record-producer.ts';
import { TopicNames } from './topic-names.ts';
import { provisionTopics } from './topic-provisioner.ts';
import type { KafkaAwareStage, PartitionLag, RunnerFigures } from './types.ts';

/**
 * Which stage relays which watermark: whoever reads `posts` (ingest) passes each posts
 * partition's event-time progress on to every `tag-events` partition, so an analyze partition
 * knows how far ALL posts partitions have come, whichever ingest worker read them.
 */
const WATERMARK_RELAY: Partial<Record<StreamName, readonly StreamName[]>> = { [Streams.posts]: [Streams.tagEvents] };

/**
 * Kafka mode with the shape of `EmbeddedPipeline`: add stages, start, send (the collectors'
 * producer), drain, flush, close. Each added stage runs as a consumer group member on its input
 * topics (see `KafkaStageRunner`); a process may hold any subset of the stages (a role), and any
 * number of processes may run the same stage.
 *
 * Shutdown: stop intake (the caller stops collectors) → `drain()` (records acknowledged, batches
 * in hand committed) → `flush(final)` (END watermark after a finished replay) → `close()` (each
 * runner stops fetching, commits the batch in hand and leaves its group; stages close in order;
 * clients disconnect).
 */
export class KafkaPipeline implements Producer, AsyncDisposable {
  readonly #options: KafkaOptions;
  readonly #log: Logger;
  readonly #names: TopicNames;
  readonly #workerId: string;
  readonly #stages: KafkaAwareStage[] = [];
  readonly #runners: KafkaStageRunner[] = [];
  #kafka: KafkaClient | undefined;
  #admin: Admin | undefined;
  #producer: KafkaRecordProducer | undefined;
  #partitions = new Map<StreamName, number>();
  #lagTimer: NodeJS.Timeout | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;
  #producedPosts = false;

  constructor(options: KafkaOptions, log: Logger) {
    this.#options = options;
    this.#log = log;
    this.#names = new TopicNames(options.topicPrefix);
    this.#workerId = resolveWorkerId(options);
  }

  get names(): TopicNames {
    return this.#names;
  }

  add(stage: Stage): this {
    if (this.#starting !== undefined) throw new Error('stages must be added before start()');
    this.#stages.push(stage);
    return this;
  }

  /** Creates missing topics, connects, and joins each stage's consumer group. Idempotent. */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const log = this.#log;
    // The worker id in the client id tells the group's members apart (kafka-consumer-groups --describe).
    this.#kafka = createKafkaClient({ ...this.#options, clientId: `${this.#options.clientId}.${this.#workerId}` }, log);
    this.#admin = this.#kafka.admin();
    await this.#admin.connect();
    this.#partitions = await provisionTopics(this.#admin, this.#names, this.#options, Object.values(Streams), log);
    this.#producer = new KafkaRecordProducer(this.#kafka, this.#names, this.#options, this.#partitions, this.#workerId, log);
    await this.#producer.connect();
    for (const stage of this.#stages) {
      const runner = new KafkaStageRunner(stage, {
        kafka: this.#kafka,
        admin: this.#admin,
        names: this.#names,
        options: this.#options,
        workerId: this.#workerId,
        partitions: this.#partitions,
        relay: WATERMARK_RELAY,
        log,
      });
      this.#runners.push(runner);
      await runner.start();
    }
    if (this.#options.lagLogIntervalMs > 0 && this.#runners.length > 0) {
      this.#lagTimer = setInterval(() => void this.#logLag(), this.#options.lagLogIntervalMs);
      this.#lagTimer.unref();
    }
    log.info(
      { brokers: this.#options.brokers, prefix: this.#names.prefix, worker: this.#workerId, stages: this.#stages.map((s) => s.name) },
      'Kafka pipeline started',
    );
  }

  /** Producer for collectors and tests: resolves once the broker acknowledged the records. */
  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    if (this.#closed) throw new ClosedError(ErrorCodes.CLOSED, 'pipeline is closed');
    await this.start();
    if (stream === Streams.posts && records.length > 0) this.#producedPosts = true;
    return (this.#producer as KafkaRecordProducer).send(stream, records);
  }

  /** Records sent through this process's producer and not yet acknowledged, by stream (for metrics). */
  depth(): Record<string, number> {
    return {};
  }

  /** Waits until every record sent is acknowledged and no stage is in the middle of a batch. */
  async drain(): Promise<void> {
    if (this.#starting === undefined) return;
    await this.#starting;
    await this.#producer?.whenIdle();
    for (const runner of this.#runners) await runner.whenIdle();
  }

  /**
   * After a collector finished (`final`): tells every downstream worker that the input is
   * complete (END watermark on every `posts` partition), so analyze closes all windows as the
   * embedded run does at its end. Workers' stages are not flushed: their state is checkpointed
   * and the next owner of a partition carries on from it.
   */
  async flush(final: boolean): Promise<void> {
    await this.drain();
    if (final && this.#producedPosts) await this.#producer?.endOfInput();
  }

  /** Consumer lag of every stage in this process, per group and partition. */
  async consumerLag(): Promise<PartitionLag[]> {
    if (this.#admin === undefined) return [];
    const out: PartitionLag[] = [];
    for (const runner of this.#runners) out.push(...(await fetchConsumerLag(this.#admin, this.#names, runner.group, runner.stage.inputs)));
    return out;
  }

  figures(): RunnerFigures[] {
    return this.#runners.map((r) => r.figures());
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    if (this.#lagTimer !== undefined) clearInterval(this.#lagTimer);
    if (this.#starting !== undefined) await this.#starting.catch(() => undefined);
    await this.#producer?.whenIdle().catch((err: unknown) => this.#log.error({ err }, 'records not acknowledged at close'));
    this.#closed = true;
    // Upstream first, like the embedded pipeline: each runner commits what it has and leaves.
    for (const runner of this.#runners) {
      await runner.stop().catch((err: unknown) => this.#log.error({ err, stage: runner.stage.name }, 'stage runner did not stop cleanly'));
    }
    for (const stage of this.#stages) await stage.close();
    await this.#producer?.close();
    await this.#admin?.disconnect();
  }

  async #logLag(): Promise<void> {
    try {
      const lag = await this.consumerLag();
      const byGroup = new Map<string, { lag: number; partitions: Record<string, number> }>();
      for (const entry of lag) {
        consumerLag.set({ group: entry.group, topic: this.#names.topic(entry.stream), partition: String(entry.partition) }, entry.lag);
        const group = byGroup.get(entry.group) ?? { lag: 0, partitions: {} };
        group.lag += entry.lag;
        if (entry.lag > 0) group.partitions[`${entry.stream}/${entry.partition}`] = entry.lag;
        byGroup.set(entry.group, group);
      }
      for (const [group, figures] of byGroup) this.#log.info({ group, ...figures }, 'consumer lag');
    } catch (err) {
      this.#log.warn({ err }, 'consumer lag unavailable');
    }
  }
}
