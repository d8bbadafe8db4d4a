import type { Logger } from 'pino';
import { BoundedQueue, InProcessBus, Streams, type BusRecord, type Producer, type Stage, type StreamName } from '../bus/index.ts';
import { ClosedError, ErrorCodes, isRetriable } from '../errors/index.ts';
import { streamObserver } from '../metrics/index.ts';
import { toDeadLetter } from '../model/index.ts';
import type { PipelineOptions } from './options.ts';

interface Consumer {
  stage: Stage;
  stream: StreamName;
  queue: BoundedQueue<BusRecord>;
  loop?: Promise<void>;
}

/**
 * Runs stages in one process over bounded in-process queues. Stages are added in topological
 * order (upstream first); that order is also the drain and flush order at shutdown.
 *
 * Shutdown order: stop intake (the caller stops collectors) → `drain()` → `flush()` → `close()`
 * (closes queues, waits for the loops, then closes stages in order, so the sink closes last).
 */
export class EmbeddedPipeline implements Producer, AsyncDisposable {
  readonly #bus: InProcessBus;
  /** What stages send through: the bus, with every record counted for `/metrics`. */
  readonly #observed: Producer;
  readonly #stages: Stage[] = [];
  readonly #consumers: Consumer[] = [];
  readonly #options: PipelineOptions;
  readonly #log: Logger;
  #started = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: PipelineOptions, log: Logger) {
    this.#options = options;
    this.#log = log;
    this.#bus = new InProcessBus(options.queueCapacity, log);
    const bus = this.#bus;
    this.#observed = {
      send(stream, records) {
        streamObserver.sent(stream, records as ReadonlyArray<BusRecord>);
        return bus.send(stream, records);
      },
    };
  }

  add(stage: Stage): this {
    if (this.#started) throw new Error('stages must be added before start()');
    this.#stages.push(stage);
    for (const stream of stage.inputs) this.#consumers.push({ stage, stream, queue: this.#bus.subscribe(stream) });
    return this;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const consumer of this.#consumers) consumer.loop = this.#run(consumer);
  }

  /** Producer for collectors and tests: hands records to the stages that read `stream`. */
  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    if (this.#closed) throw new ClosedError(ErrorCodes.CLOSED, 'pipeline is closed');
    return this.#observed.send(stream, records);
  }

  depth(): Record<string, number> {
    return this.#bus.depth();
  }

  /** Waits until every queue is empty and no stage is processing. */
  async drain(): Promise<void> {
    for (;;) {
      for (const consumer of this.#consumers) await consumer.queue.whenIdle();
      if (this.#consumers.every((c) => c.queue.size === 0)) return;
    }
  }

  /** Asks each stage, upstream first, to emit what it buffers, draining after each. */
  async flush(final: boolean): Promise<void> {
    await this.drain();
    for (const stage of this.#stages) {
      if (stage.flush !== undefined) await stage.flush(this.#observed, final);
      await this.drain();
    }
  }

  /** Idempotent. Drains and flushes (not final), then stops the loops and closes stages in order. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    if (this.#started) await this.flush(false);
    this.#closed = true;
    for (const consumer of this.#consumers) consumer.queue.close();
    await Promise.all(this.#consumers.map((c) => c.loop));
    for (const stage of this.#stages) await stage.close();
  }

  async #run(consumer: Consumer): Promise<void> {
    const { stage, stream, queue } = consumer;
    for (;;) {
      const records = await queue.take(stage.batching?.maxRecords ?? this.#options.batchSize, stage.batching?.maxWaitMs ?? 0);
      if (records.length === 0) return;
      try {
        await this.#processWithRetry(stage, stream, records);
      } finally {
        queue.done();
      }
    }
  }

  async #processWithRetry(stage: Stage, stream: StreamName, records: BusRecord[]): Promise<void> {
    let delay = this.#options.retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const started = performance.now();
        await stage.process({ stream, partition: 0, records }, this.#observed);
        streamObserver.batchProcessed(stage.name, stream, records.length, (performance.now() - started) / 1000);
        return;
      } catch (err) {
        streamObserver.batchFailed(stage.name, isRetriable(err));
        if (isRetriable(err) && !this.#closed) {
          this.#log.warn({ err, stage: stage.name, stream, attempt, delayMs: delay }, 'batch failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(this.#options.retryMaxMs, delay * 2);
          continue;
        }
        // A non-retriable failure of a whole batch: keep every record, with the reason, and move on.
        this.#log.error({ err, stage: stage.name, stream, records: records.length }, 'batch failed; records dead-lettered');
        if (stream === Streams.deadLetters) return;
        const now = Date.now();
        await this.#observed.send(
          Streams.deadLetters,
          records.map((r) => ({ key: r.key, value: toDeadLetter(stage.name, `${stream}/${r.key}`, err, r.value, now) })),
        );
        return;
      }
    }
  }
}
