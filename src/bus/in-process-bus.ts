import type { Logger } from 'pino';
import { BoundedQueue } from './bounded-queue.ts';
import type { BusRecord, Producer, StreamName } from './types.ts';

/**
 * Embedded transport: one bounded queue per (consumer, stream). A stream read by several
 * stages (flags go to notify and to the sink) is fanned out to each; a stream nobody reads
 * is discarded, since in one process there is nobody else to keep it for.
 */
export class InProcessBus implements Producer {
  readonly #capacity: number;
  readonly #subscribers = new Map<StreamName, Array<BoundedQueue<BusRecord>>>();
  readonly #log: Logger;
  readonly #unread = new Set<StreamName>();

  constructor(capacity: number, log: Logger) {
    this.#capacity = capacity;
    this.#log = log;
  }

  subscribe(stream: StreamName): BoundedQueue<BusRecord> {
    const queue = new BoundedQueue<BusRecord>(this.#capacity);
    const list = this.#subscribers.get(stream) ?? [];
    list.push(queue);
    this.#subscribers.set(stream, list);
    return queue;
  }

  async send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    if (records.length === 0) return;
    const queues = this.#subscribers.get(stream);
    if (queues === undefined) {
      if (!this.#unread.has(stream)) {
        this.#unread.add(stream);
        this.#log.debug({ stream }, 'stream has no consumer in this process; its records are discarded');
      }
      return;
    }
    if (queues.length === 1) return (queues[0] as BoundedQueue<BusRecord>).push(records as ReadonlyArray<BusRecord>);
    await Promise.all(queues.map((q) => q.push(records as ReadonlyArray<BusRecord>)));
  }

  /** Total records waiting in every queue (for metrics). */
  depth(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [stream, queues] of this.#subscribers) out[stream] = queues.reduce((n, q) => n + q.size, 0);
    return out;
  }
}
