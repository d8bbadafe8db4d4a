import kafkajs, { type Admin, type Consumer, type EachBatchPayload, type KafkaMessage, type Producer as KafkaProducer } from 'kafkajs';
import type { Logger } from 'pino';
import { describeError, ErrorCodes, isRetriable, TagwatchError } from '../../errors/index.ts';
import { streamObserver } from '../../metrics/index.ts';
import { toDeadLetter } from '../../model/index.ts';
import { Streams, type BusRecord, type StreamName, type TagStateSnapshot } from '../types.ts';
import { readChangelog } from './changelog-reader.ts';
import type { KafkaClient } from './kafka-client.ts';
import type { KafkaOptions } from './options.ts';
import { decodeValue } from './stream-codec.ts';
import type { TopicNames } from './topic-names.ts';
import { TransactionOutput, type OffsetCommit } from './transaction-output.ts';
import type { KafkaAwareStage, RunnerFigures, WatermarkInfo } from './types.ts';
import { CONTROL_HEADER, WATERMARK_CONTROL, WatermarkMarkerSchema, WatermarkTable, type WatermarkMarker } from './watermark-table.ts';

const { Partitioners } = kafkajs;

interface PartitionState {
  stream: StreamName;
  partition: number;
  table: WatermarkTable;
  /** Next offset to read, as committed (-1 = nothing committed yet). */
  committed: bigint;
}

export interface StageRunnerSettings {
  kafka: KafkaClient;
  admin: Admin;
  names: TopicNames;
  options: KafkaOptions;
  workerId: string;
  /** Partition count of every stream. */
  partitions: ReadonlyMap<StreamName, number>;
  /** Streams to which this stage relays the watermark of each input stream. */
  relay: Partial<Record<StreamName, readonly StreamName[]>>;
  log: Logger;
}

const key = (stream: StreamName, partition: number): string => `${stream}/${partition}`;

/** Compressed bytes a record takes on the wire, roughly, to turn a batch size in records into fetch bytes. */
const BYTES_PER_RECORD_GUESS = 200;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs one stage as a member of the consumer group `<prefix><stage>`. Each fetched batch (one
 * partition) is decoded, handed to `stage.process`, and its outputs, the stage's state
 * checkpoint and the input offset (with the partition's watermark table as offset metadata)
 * are committed in ONE Kafka transaction: exactly-once between topics. A malformed message goes
 * to the dead-letter topic with the reason, in the same transaction, and the partition moves on.
 *
 * Rebalances (kafkajs uses the eager protocol and has no callback before one): everything
 * processed is already committed, so on the new assignment the runner tells the stage which
 * partitions it lost (`onRevoked`: forget them) and, for new ones, restores their state from the
 * changelog (`restoreState`) and their watermarks from the committed metadata before the first
 * batch. A failed commit resets the partition the same way and seeks back to its committed offset.
 */
export class KafkaStageRunner {
  readonly stage: KafkaAwareStage;
  readonly group: string;
  readonly #s: StageRunnerSettings;
  readonly #log: Logger;
  readonly #assigned = new Map<string, PartitionState>();
  readonly #dirty = new Set<string>();
  readonly #figures: RunnerFigures;
  #consumer: Consumer | undefined;
  #producer: KafkaProducer | undefined;
  #producerBroken = false;
  #ready: Promise<void> = Promise.resolve();
  #lock: Promise<unknown> = Promise.resolve();
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];
  #stopping = false;
  #stopped: Promise<void> | undefined;

  constructor(stage: KafkaAwareStage, settings: StageRunnerSettings) {
    this.stage = stage;
    this.#s = settings;
    this.group = settings.names.group(stage.name);
    this.#log = settings.log.child({ stage: stage.name, group: this.group });
    this.#figures = { stage: stage.name, batches: 0, records: 0, malformed: 0, failedBatches: 0, transactions: 0, resets: 0, rebalances: 0, assigned: 0 };
  }

  figures(): RunnerFigures {
    return { ...this.#figures, assigned: this.#assigned.size };
  }

  /** Input partitions this worker owns now. */
  assignment(): Array<{ stream: StreamName; partition: number }> {
    return [...this.#assigned.values()].map(({ stream, partition }) => ({ stream, partition }));
  }

  async start(): Promise<void> {
    await this.#connectProducer();
    await this.#startConsumer();
  }

  async #startConsumer(): Promise<void> {
    const { kafka, options, names } = this.#s;
    // A stage that wants larger batches (the sink: fewer, bigger inserts) has the broker hold each
    // fetch until roughly that much has arrived or its wait is over.
    const batching = this.stage.batching;
    const consumer = kafka.consumer({
      groupId: this.group,
      sessionTimeout: options.consumer.sessionTimeoutMs,
      heartbeatInterval: options.consumer.heartbeatIntervalMs,
      rebalanceTimeout: options.consumer.rebalanceTimeoutMs,
      maxBytesPerPartition: options.consumer.maxBytesPerPartition,
      maxWaitTimeInMs: batching === undefined ? options.consumer.maxWaitTimeMs : Math.max(options.consumer.maxWaitTimeMs, batching.maxWaitMs),
      minBytes: batching === undefined ? 1 : Math.min(options.consumer.maxBytesPerPartition, batching.maxRecords * BYTES_PER_RECORD_GUESS),
      readUncommitted: false,
      allowAutoTopicCreation: false,
      retry: { retries: 12, maxRetryTime: 5_000, restartOnFailure: async () => !this.#stopping },
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#figures.rebalances++;
      const assignment = payload.memberAssignment as Record<string, number[]>;
      this.#ready = this.#ready.then(() =>
        this.#onJoin(assignment).catch((err: unknown) => {
          // Each partition is taken over again before its next batch (see #eachBatch).
          this.#log.error({ err }, 'taking over assigned partitions failed; retrying per partition');
          for (const [topic, partitions] of Object.entries(assignment)) {
            const stream = this.#s.names.stream(topic);
            if (stream !== undefined) for (const p of partitions) this.#dirty.add(key(stream, p));
          }
        }),
      );
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) this.#commitSkipped(payload.topic, payload.partition, payload.lastOffset);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.#stopping || this.#consumer !== consumer) return;
      this.#log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
      // kafkajs restarts only after errors it deems retriable; a broker away for longer than its
      // retries (coordinator not found) kills the consumer for good: start a fresh one.
      if (!payload.restart) void this.#replaceConsumer(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.stage.inputs.map((s) => names.topic(s)), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
  }

  async #replaceConsumer(dead: Consumer): Promise<void> {
    // A batch that failed half-way marked its partition dirty in #eachBatch; the others are
    // committed exactly as far as the stage got, so they carry on where they are.
    await dead.disconnect().catch(() => undefined);
    let delay = this.#s.options.retryInitialMs;
    while (!this.#stopping && this.#consumer === dead) {
      try {
        await this.#startConsumer();
        this.#log.warn('consumer replaced after a crash');
        return;
      } catch (err) {
        this.#log.error({ err, delayMs: delay }, 'consumer could not be restarted; trying again');
        await this.#consumer?.disconnect().catch(() => undefined);
        this.#consumer = dead;
        await sleep(delay);
        delay = Math.min(this.#s.options.retryMaxMs, delay * 2);
      }
    }
  }

  /** Resolves when no batch is being processed. */
  async whenIdle(): Promise<void> {
    while (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops intake, lets the batch in hand finish and commit, leaves the group. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    try {
      // disconnect() stops fetching, waits for the batch in hand (which commits) and leaves the group.
      await this.#consumer?.disconnect();
    } finally {
      await this.#producer?.disconnect().catch((err: unknown) => this.#log.warn({ err }, 'producer did not disconnect cleanly'));
    }
    this.#log.info(this.figures(), 'stage runner stopped');
  }

  async #connectProducer(): Promise<void> {
    const { kafka, options, names, workerId } = this.#s;
    if (this.#producer !== undefined) await this.#producer.disconnect().catch(() => undefined);
    // The same transactional id after a crash fences the old session and aborts its open
    // transaction at once, instead of readers waiting for the transaction timeout.
    this.#producer = kafka.producer({
      transactionalId: names.transactionalId(this.stage.name, workerId),
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: options.producer.transactionTimeoutMs,
      allowAutoTopicCreation: false,
      // Idempotence needs unlimited retries; a transaction that outlives its timeout fails anyway.
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.#producer.connect();
    this.#producerBroken = false;
  }

  /** Runs `task` alone: one transaction at a time on this runner's producer. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#lock.catch(() => undefined).then(task);
    this.#lock = run;
    return run;
  }

  async #commit(out: TransactionOutput, offsets: OffsetCommit | undefined): Promise<void> {
    await this.#serial(async () => {
      if (this.#producerBroken || this.#producer === undefined) await this.#connectProducer();
      try {
        if (await out.commit(this.#producer as KafkaProducer, offsets, this.#s.options.producer)) this.#figures.transactions++;
      } catch (err) {
        this.#producerBroken = true;
        throw err;
      }
    });
  }

  // ---- assignment ----------------------------------------------------------------------------

  async #onJoin(assignment: Record<string, number[]>): Promise<void> {
    // kafkajs can rejoin (and emit GROUP_JOIN) while a batch is still in its handler, e.g. awaiting
    // its commit: the stage must not see partitions revoked or restored between that batch's
    // process() and its checkpoint, or the checkpoint describes state the stage no longer holds
    // (a stage could even tombstone a tag it just handed over). Let the batch finish first.
    await this.whenIdle();
    const next = new Map<string, { stream: StreamName; partition: number }>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      const stream = this.#s.names.stream(topic);
      if (stream === undefined) continue;
      for (const partition of partitions) next.set(key(stream, partition), { stream, partition });
    }
    const revoked = [...this.#assigned.values()].filter((p) => !next.has(key(p.stream, p.partition)));
    // Kept partitions whose last batch failed half-way are reset: forgotten, then restored.
    const reset = [...this.#assigned.entries()].filter(([k]) => next.has(k) && this.#dirty.has(k)).map(([, p]) => p);
    const added = [...next.entries()].filter(([k]) => !this.#assigned.has(k) || this.#dirty.has(k)).map(([, p]) => p);
    if (revoked.length > 0 || reset.length > 0) await this.#revoke([...revoked, ...reset], reset.length > 0);
    if (added.length > 0) await this.#take(added);
    this.#log.info({ assigned: [...next.keys()], revoked: revoked.map((p) => key(p.stream, p.partition)), restored: added.length }, 'partitions assigned');
  }

  async #revoke(partitions: ReadonlyArray<{ stream: StreamName; partition: number }>, reset: boolean): Promise<void> {
    const out = new TransactionOutput(this.#s.names);
    for (const [stream, list] of groupByStream(partitions)) {
      for (const p of list) this.#assigned.delete(key(stream, p));
      await this.stage.onRevoked?.(stream, list, out);
    }
    if (out.size > 0) {
      this.#log.warn({ records: out.size, reset }, 'stage emitted records when partitions were revoked');
      await this.stage.checkpoint?.(out);
      await this.#commit(out, undefined);
    }
  }

  /** Restores watermarks, committed positions and stage state of newly owned partitions. */
  async #take(partitions: ReadonlyArray<{ stream: StreamName; partition: number }>): Promise<void> {
    const { admin, names, kafka, options, log } = this.#s;
    const byStream = groupByStream(partitions);
    const states: PartitionState[] = [];
    for (const [stream, list] of byStream) {
      const topic = names.topic(stream);
      const [committed] = await admin.fetchOffsets({ groupId: this.group, topics: [topic] });
      for (const partition of list) {
        const entry = committed?.partitions.find((c) => c.partition === partition);
        const state: PartitionState = {
          stream,
          partition,
          table: WatermarkTable.parse(entry?.metadata),
          committed: entry === undefined ? -1n : BigInt(entry.offset),
        };
        states.push(state);
      }
    }
    if (this.stage.restoreState !== undefined) {
      // A changelog is co-partitioned with the stream it checkpoints: restore the same numbers.
      const wanted = [...new Set(states.map((s) => s.partition))].sort((a, b) => a - b);
      const snapshots = await readChangelog(kafka, admin, names.topic(Streams.analyzeState), wanted, { groupPrefix: names.prefix, timeoutMs: options.producer.transactionTimeoutMs * 2 + 30_000 }, log);
      for (const partition of wanted) await this.stage.restoreState(partition, iterate(snapshots.get(partition)));
    }
    const out = new TransactionOutput(names);
    for (const state of states) {
      const k = key(state.stream, state.partition);
      this.#assigned.set(k, state);
      this.#dirty.delete(k);
      const watermark = state.table.watermark();
      if (watermark !== undefined) await this.stage.sourceWatermark?.(state.stream, state.partition, watermark, out, watermarkInfo(state.table));
    }
    for (const [stream, list] of byStream) await this.stage.onAssigned?.(stream, list);
    await this.stage.checkpoint?.(out);
    await this.#commit(out, undefined);
  }

  /** Puts partitions back to their committed state after a failed commit. */
  async #reset(partitions: ReadonlyArray<{ stream: StreamName; partition: number }>): Promise<void> {
    this.#figures.resets++;
    await this.#revoke(partitions, true);
    await this.#take(partitions);
    for (const p of partitions) {
      const state = this.#assigned.get(key(p.stream, p.partition));
      if (state === undefined) continue;
      let offset = state.committed;
      if (offset < 0n) {
        const offsets = await this.#s.admin.fetchTopicOffsets(this.#s.names.topic(p.stream));
        offset = BigInt(offsets.find((o) => o.partition === p.partition)?.low ?? '0');
      }
      this.#consumer?.seek({ topic: this.#s.names.topic(p.stream), partition: p.partition, offset: offset.toString() });
    }
    this.#log.warn({ partitions: partitions.map((p) => key(p.stream, p.partition)) }, 'partitions reset to their committed state');
  }

  // ---- batches -------------------------------------------------------------------------------

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    if (!isRunning() || isStale()) return;
    // Taking partitions over (reading a changelog) can outlast the session timeout, and kafkajs
    // heartbeats only from here: keep the membership alive while waiting.
    await this.#withHeartbeats(this.#ready, heartbeat);
    const stream = this.#s.names.stream(batch.topic);
    if (stream === undefined) return;
    const k = key(stream, batch.partition);
    if (this.#dirty.has(k) || !this.#assigned.has(k)) {
      // Not taken over cleanly (a failed commit, or a join we did not see): restore, re-read.
      await this.#withHeartbeats(this.#reset([{ stream, partition: batch.partition }]), heartbeat);
      return;
    }
    const state = this.#assigned.get(k) as PartitionState;
    this.#inFlight++;
    try {
      await this.#handle(stream, state, batch.messages, batch.lastOffset(), heartbeat);
    } catch (err) {
      this.#dirty.add(k);
      throw err;
    } finally {
      if (--this.#inFlight === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
    resolveOffset(batch.lastOffset());
    await heartbeat();
  }

  async #withHeartbeats<T>(work: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
    let done = false;
    const settled = work.finally(() => {
      done = true;
    });
    // Handled here too: if a heartbeat throws (rebalance), `work` still settles later.
    const quiet = settled.catch(() => undefined);
    while (!done) {
      await Promise.race([quiet, sleep(Math.max(200, this.#s.options.consumer.heartbeatIntervalMs / 2))]);
      if (!done) await heartbeat();
    }
    return settled;
  }

  async #handle(stream: StreamName, state: PartitionState, messages: KafkaMessage[], lastOffset: string, heartbeat: () => Promise<void>): Promise<void> {
    const { names } = this.#s;
    const rebalancesAtStart = this.#figures.rebalances;
    const topic = names.topic(stream);
    const out = new TransactionOutput(names);
    const records: BusRecord[] = [];
    const refs: string[] = [];
    const malformed: Array<BusRecord<'dlq'>> = [];
    const markers: WatermarkMarker[] = [];
    const now = Date.now();
    for (const message of messages) {
      const ref = `${topic}/${state.partition}/${message.offset}`;
      const control = message.headers?.[CONTROL_HEADER]?.toString();
      if (control !== undefined) {
        if (control === WATERMARK_CONTROL) {
          const parsed = WatermarkMarkerSchema.safeParse(safeJson(message.value));
          if (parsed.success) markers.push(parsed.data);
          else this.#log.warn({ ref }, 'malformed watermark marker ignored');
        }
        continue;
      }
      const recordKey = message.key?.toString('utf8') ?? '';
      try {
        records.push({ key: recordKey, value: decodeValue(stream, message.value) });
        refs.push(ref);
      } catch (err) {
        this.#figures.malformed++;
        const payload = message.value === null ? '' : message.value.toString('utf8');
        malformed.push({ key: ref, value: toDeadLetter('kafka', ref, err, payload, now) });
      }
    }
    if (malformed.length > 0) {
      this.#log.warn({ stream, partition: state.partition, count: malformed.length, reason: malformed[0]?.value.reason }, 'malformed messages dead-lettered');
      if (stream !== Streams.deadLetters) await out.send(Streams.deadLetters, malformed);
    }
    if (records.length > 0) {
      this.#figures.batches++;
      this.#figures.records += records.length;
      await this.#process(stream, state.partition, records, refs, out, heartbeat);
    }
    let advanced = false;
    for (const marker of markers) advanced = state.table.apply(marker) || advanced;
    const watermark = state.table.watermark();
    if (advanced && watermark !== undefined) {
      const info = watermarkInfo(state.table);
      await this.#hook('sourceWatermark', () => this.stage.sourceWatermark?.(stream, state.partition, watermark, out, info));
      const sources = this.#s.partitions.get(stream) ?? 0;
      for (const target of this.#s.relay[stream] ?? []) {
        const count = this.#s.partitions.get(target) ?? 0;
        const marker: WatermarkMarker = { source: `${stream}/${state.partition}`, ts: watermark, of: sources };
        if (info.streamStart !== undefined) marker.start = info.streamStart;
        for (let p = 0; p < count; p++) out.marker(target, p, marker);
      }
    }
    await this.#hook('checkpoint', () => this.stage.checkpoint?.(out));
    const next = BigInt(lastOffset) + 1n;
    const offsets: OffsetCommit = {
      consumerGroupId: this.group,
      topics: [{ topic, partitions: [{ partition: state.partition, offset: next.toString(), metadata: state.table.serialize() }] }],
    };
    await this.#commitOrRecover(out, offsets, state, next, rebalancesAtStart);
    if (next > state.committed) state.committed = next;
  }

  /**
   * A failed commit (broker restarting, transaction expired by the coordinator) does not undo
   * the stage's work: while this worker still owns the partition, the same outputs and offsets
   * are committed again on a fresh producer. A fresh producer with the same transactional id
   * first settles the old transaction, so a commit that did go through is seen in the group's
   * offsets and not repeated. Only after a rebalance is the partition reset and re-read instead.
   */
  async #commitOrRecover(out: TransactionOutput, offsets: OffsetCommit, state: PartitionState, next: bigint, rebalancesAtStart: number): Promise<void> {
    let delay = this.#s.options.retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt === 1) {
          await this.#commit(out, offsets);
          return;
        }
        const done = await this.#serial(async () => {
          await this.#connectProducer();
          return (await this.#committedOffset(state)) >= next;
        });
        if (done) {
          this.#log.warn({ stream: state.stream, partition: state.partition, attempt }, 'commit had gone through after all');
          return;
        }
        await this.#commit(out, offsets);
        this.#log.warn({ stream: state.stream, partition: state.partition, attempt }, 'commit succeeded on retry');
        return;
      } catch (err) {
        if (this.#figures.rebalances !== rebalancesAtStart || this.#stopping || attempt >= 30) throw err;
        this.#log.warn({ err, stream: state.stream, partition: state.partition, attempt, delayMs: delay }, 'commit failed; retrying with a fresh producer');
        await sleep(delay);
        delay = Math.min(this.#s.options.retryMaxMs, delay * 2, 5_000);
      }
    }
  }

  async #committedOffset(state: PartitionState): Promise<bigint> {
    const topic = this.#s.names.topic(state.stream);
    const [committed] = await this.#s.admin.fetchOffsets({ groupId: this.group, topics: [topic] });
    const entry = committed?.partitions.find((c) => c.partition === state.partition);
    return entry === undefined ? -1n : BigInt(entry.offset);
  }

  /**
   * A stage hook that fails cannot be dead-lettered like a batch: the batch is not committed and
   * is tried again (after a restore), loudly, until the stage is fixed. Losing state silently
   * would be worse.
   */
  async #hook(name: string, call: () => Promise<void> | undefined): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (isRetriable(err)) throw err;
      throw new TagwatchError(ErrorCodes.STAGE_FAILED, `${this.stage.name}.${name}() failed: ${describeError(err)}`, { cause: err });
    }
  }

  /** `stage.process` with the embedded pipeline's rules: retriable errors retry with backoff, others dead-letter the batch. */
  async #process(stream: StreamName, partition: number, records: BusRecord[], refs: string[], out: TransactionOutput, heartbeat: () => Promise<void>): Promise<void> {
    const { options } = this.#s;
    let delay = options.retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      const mark = out.mark();
      const started = performance.now();
      try {
        await this.stage.process({ stream, partition, records }, out);
        streamObserver.batchProcessed(this.stage.name, stream, records.length, (performance.now() - started) / 1000);
        return;
      } catch (err) {
        out.rollback(mark);
        streamObserver.batchFailed(this.stage.name, isRetriable(err));
        // Shutting down: leave the batch uncommitted; whoever owns the partition next reads it again.
        if (isRetriable(err) && this.#stopping) throw err;
        if (isRetriable(err)) {
          this.#log.warn({ err, stream, partition, attempt, delayMs: delay }, 'batch failed; retrying');
          // Stay in the group while waiting (a rebalance notice aborts the batch: nothing was committed).
          await heartbeat();
          await sleep(delay);
          await heartbeat();
          delay = Math.min(options.retryMaxMs, delay * 2);
          continue;
        }
        this.#figures.failedBatches++;
        this.#log.error({ err, stream, partition, records: records.length }, 'batch failed; records dead-lettered');
        if (stream === Streams.deadLetters) return;
        const now = Date.now();
        await out.send(
          Streams.deadLetters,
          records.map((r, i) => ({ key: r.key, value: toDeadLetter(this.stage.name, refs[i] ?? `${stream}/${r.key}`, err, r.value, now) })),
        );
        return;
      }
    }
  }

  /**
   * kafkajs moves past batches holding only transaction markers or aborted records without
   * calling eachBatch; commit that progress too, or the group would show a lag that never drains.
   */
  #commitSkipped(topic: string, partition: number, lastOffset: string): void {
    const stream = this.#s.names.stream(topic);
    if (stream === undefined) return;
    const k = key(stream, partition);
    const next = BigInt(lastOffset) + 1n;
    void this.#ready
      .then(() =>
        this.#serial(async () => {
          const state = this.#assigned.get(k);
          if (state === undefined || this.#dirty.has(k) || next <= state.committed || this.#stopping) return;
          if (this.#producerBroken || this.#producer === undefined) await this.#connectProducer();
          const offsets: OffsetCommit = {
            consumerGroupId: this.group,
            topics: [{ topic, partitions: [{ partition, offset: next.toString(), metadata: state.table.serialize() }] }],
          };
          try {
            await new TransactionOutput(this.#s.names).commit(this.#producer as KafkaProducer, offsets, this.#s.options.producer);
          } catch (err) {
            this.#producerBroken = true;
            throw err;
          }
          state.committed = next;
        }),
      )
      .catch((err: unknown) => this.#log.warn({ err, topic, partition }, 'committing skipped control records failed (harmless: retried with the next batch)'));
  }
}

function watermarkInfo(table: WatermarkTable): WatermarkInfo {
  const start = table.start();
  return start === undefined ? {} : { streamStart: start };
}

function groupByStream(partitions: ReadonlyArray<{ stream: StreamName; partition: number }>): Map<StreamName, number[]> {
  const out = new Map<StreamName, number[]>();
  for (const { stream, partition } of partitions) {
    const list = out.get(stream) ?? [];
    list.push(partition);
    out.set(stream, list);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

async function* iterate(snapshots: Map<string, TagStateSnapshot> | undefined): AsyncGenerator<TagStateSnapshot> {
  if (snapshots === undefined) return;
  for (const snapshot of snapshots.values()) yield snapshot;
}

function safeJson(value: Buffer | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
}
