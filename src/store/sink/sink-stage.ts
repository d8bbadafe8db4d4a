import type { Logger } from 'pino';
import { Streams, type BusRecord, type Producer, type RecordBatch, type Stage, type StreamName } from '../../bus/index.ts';
import { ClosedError, ErrorCodes } from '../../errors/index.ts';
import { toDeadLetter, type DeadLetter } from '../../model/index.ts';
import { isRetriableStoreError } from '../clickhouse-errors.ts';
import type { Store } from '../store.ts';
import { TableInserter } from './table-inserter.ts';
import type { SinkFigures, StreamWriter, WriteOutcome, WriterContext } from './types.ts';
import { defaultStreamWriters } from './writers.ts';
import { streamObserver } from '../../metrics/index.ts';

export interface SinkStageSettings {
  /** The writer registry; default `defaultStreamWriters(store.options)`. */
  writers?: readonly StreamWriter[];
  /** Wall clock for `ingested_at`; default Date.now. */
  now?: () => number;
}

/**
 * The only writer to ClickHouse. The transport batches its input (`batching`: up to `batchRows`
 * records, waiting at most `flushIntervalMs`), and `process` resolves only once the batch is
 * written, so a batch is acknowledged (a Kafka offset committed) only after its rows are stored.
 *
 * A retriable failure (database down, timeout) is retried here with backoff, so a down database
 * pauses only the sink; records the database refuses are dead-lettered, the rest written.
 * Writes of one write group are serialized (posts and deletions share one: a deletion never
 * races the post it deletes); other streams write independently.
 *
 * The stage does not own the store: whoever opened it closes it, after closing the pipeline.
 * `log` is used as given (pass `moduleLogger(root, 'sink')`).
 */
export class SinkStage implements Stage {
  readonly name = 'sink';
  readonly inputs: readonly StreamName[];
  readonly batching: { maxRecords: number; maxWaitMs: number };
  readonly figures: SinkFigures = {
    rowsWritten: {},
    batchesWritten: 0,
    retries: 0,
    deadLettered: 0,
    deadLettersLost: 0,
    writeMsTotal: 0,
    writeMsLast: 0,
    writeMsMax: 0,
  };
  readonly #store: Store;
  readonly #log: Logger;
  readonly #writers: Map<StreamName, StreamWriter>;
  readonly #ctx: WriterContext;
  readonly #opened = new Set<StreamWriter>();
  readonly #abort = new AbortController();
  /** Per write group, the last write queued (see StreamWriter.writeGroup). */
  readonly #tails = new Map<string, Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(store: Store, log: Logger, settings: SinkStageSettings = {}) {
    this.#store = store;
    this.#log = log;
    const writers = settings.writers ?? defaultStreamWriters(store.options);
    this.#writers = new Map();
    for (const writer of writers) {
      if (this.#writers.has(writer.stream)) throw new Error(`two sink writers for stream ${writer.stream}`);
      this.#writers.set(writer.stream, writer);
    }
    this.inputs = [...this.#writers.keys()];
    this.batching = { maxRecords: store.options.batchRows, maxWaitMs: store.options.flushIntervalMs };
    this.#ctx = { store, inserter: new TableInserter(store), log: this.#log, now: settings.now ?? Date.now };
  }

  async process(batch: RecordBatch, out: Producer): Promise<void> {
    if (this.#closing !== undefined) throw new ClosedError(ErrorCodes.CLOSED, 'sink is closed');
    const writer = this.#writers.get(batch.stream);
    if (writer === undefined) throw new Error(`the sink has no writer for stream ${batch.stream}`);
    if (batch.records.length === 0) return;
    const outcome = await this.#serialized(writer.writeGroup ?? writer.stream, () => this.#writeWithRetry(writer, batch.records));
    // Dead letters are handed on after the write lock is released: the sink itself consumes them.
    await this.#deadLetter(batch, outcome, out);
  }

  /** Nothing is buffered here: the transport holds records until `process` has written them. */
  async flush(): Promise<void> {}

  /** Idempotent. Stops retrying (a pending retry rejects) and waits for the write in progress. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#abort.abort();
      await Promise.allSettled([...this.#tails.values()]);
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #serialized<T>(group: string, work: () => Promise<T>): Promise<T> {
    const tail = this.#tails.get(group) ?? Promise.resolve();
    const next = tail.then(work, work);
    this.#tails.set(group, next.catch(() => undefined));
    return next;
  }

  async #writeWithRetry(writer: StreamWriter, records: ReadonlyArray<BusRecord>): Promise<WriteOutcome> {
    const started = performance.now();
    let delay = this.#store.options.retryInitialMs;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.#opened.has(writer)) {
          await writer.open?.(this.#ctx);
          this.#opened.add(writer);
        }
        const outcome = await writer.write(records, this.#ctx);
        const ms = performance.now() - started;
        this.#count(outcome, ms);
        this.#log.debug({ stream: writer.stream, records: records.length, rows: outcome.rows, ms: Math.round(ms) }, 'batch written');
        return outcome;
      } catch (err) {
        if (!isRetriableStoreError(err) || this.#abort.signal.aborted) throw err;
        this.figures.retries++;
        this.#log.warn({ err, stream: writer.stream, records: records.length, attempt, delayMs: delay }, 'store write failed; retrying');
        await abortableDelay(delay, this.#abort.signal);
        if (this.#abort.signal.aborted) throw err;
        delay = Math.min(this.#store.options.retryMaxMs, delay * 2);
      }
    }
  }

  #count(outcome: WriteOutcome, ms: number): void {
    const f = this.figures;
    for (const [table, n] of Object.entries(outcome.rows)) {
      f.rowsWritten[table] = (f.rowsWritten[table] ?? 0) + n;
      streamObserver.rowsWritten(table, n);
    }
    f.batchesWritten++;
    f.writeMsTotal += ms;
    f.writeMsLast = ms;
    f.writeMsMax = Math.max(f.writeMsMax, ms);
  }

  async #deadLetter(batch: RecordBatch, outcome: WriteOutcome, out: Producer): Promise<void> {
    if (outcome.rejected.length === 0) return;
    const now = this.#ctx.now();
    const letters: Array<BusRecord<'dlq'>> = [];
    for (const { index, err } of outcome.rejected) {
      const record = batch.records[index];
      if (record === undefined) continue;
      if (batch.stream === Streams.deadLetters) {
        // A dead letter the store refuses has nowhere left to go but the log.
        this.figures.deadLettersLost++;
        this.#log.error({ err, deadLetter: record.value as DeadLetter }, 'dead letter could not be stored');
        continue;
      }
      letters.push({ key: record.key, value: toDeadLetter(this.name, `${batch.stream}/${record.key}`, err, record.value, now) });
    }
    if (letters.length === 0) return;
    this.figures.deadLettered += letters.length;
    this.#log.warn({ stream: batch.stream, records: letters.length, reason: letters[0]?.value.reason }, 'records refused by the store; dead-lettered');
    await out.send(Streams.deadLetters, letters);
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
