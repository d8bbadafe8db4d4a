import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Flag, TagMinute } from '../model/index.ts';
import type { LiveFeed, ReadModel } from './types.ts';

/** Rows fetched per poll; a backlog larger than this is caught up over the following polls. */
const POLL_ROWS = 5_000;
/** Flag versions remembered to recognise ones already emitted (the cursor re-reads its own instant). */
const SEEN_CAPACITY = 10_000;

/**
 * A live feed for a web server that does not run beside the pipeline (the `web` role on a
 * ClickHouse server): it polls the store for flags and minutes newer than the last it saw and
 * emits them as `flag` and `minute` events. It starts from the newest rows at `start()`, so
 * history is not replayed to the browsers (they load it through the API).
 */
export class StorePoller extends EventEmitter implements LiveFeed, AsyncDisposable {
  readonly #model: ReadModel;
  readonly #intervalMs: number;
  readonly #log: Logger;
  readonly #seenFlags = new Set<string>();
  #flagCursor = 0;
  #minuteCursor = 0;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #started = false;
  #closed = false;

  constructor(model: ReadModel, intervalMs: number, log: Logger) {
    super();
    this.#model = model;
    this.#intervalMs = intervalMs;
    this.#log = log;
  }

  /** Reads where the store stands, then polls every interval until closed. */
  async start(): Promise<void> {
    if (this.#started || this.#closed) return;
    this.#started = true;
    try {
      const status = await this.#model.status();
      this.#minuteCursor = status.latestMinute === null ? 0 : status.latestMinute + 1;
      if (status.latestFlag !== null) {
        this.#flagCursor = status.latestFlag;
        // The cursor re-reads its own instant: flags already there at start are not news.
        for (const flag of await this.#model.flagsSince(status.latestFlag, POLL_ROWS)) this.#seenFlags.add(`${flag.flagId}#${flag.revision}`);
      }
    } catch (err) {
      this.#log.warn({ err }, 'store not readable yet; polling from the beginning');
    }
    this.#schedule();
  }

  /** One poll now (tests, and the interval timer). Errors are logged, never thrown: the next poll retries. */
  async poll(): Promise<void> {
    if (this.#closed) return;
    this.#polling ??= this.#pollOnce().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  async #pollOnce(): Promise<void> {
    try {
      const flags = await this.#model.flagsSince(this.#flagCursor, POLL_ROWS);
      for (const flag of flags) this.#emitFlag(flag);
      const minutes = await this.#model.minutesSince(this.#minuteCursor, POLL_ROWS);
      for (const minute of minutes) {
        if (this.#closed) return;
        this.#minuteCursor = Math.max(this.#minuteCursor, minute.minute + 1);
        this.emit('minute', minute satisfies TagMinute);
      }
    } catch (err) {
      this.#log.warn({ err }, 'polling the store for live updates failed; will retry');
    }
  }

  #emitFlag(flag: Flag): void {
    if (this.#closed) return;
    const key = `${flag.flagId}#${flag.revision}`;
    this.#flagCursor = Math.max(this.#flagCursor, flag.detectedAt);
    if (this.#seenFlags.has(key)) return;
    this.#seenFlags.add(key);
    if (this.#seenFlags.size > SEEN_CAPACITY) {
      const oldest = this.#seenFlags.values().next();
      if (oldest.done !== true) this.#seenFlags.delete(oldest.value);
    }
    this.emit('flag', flag);
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.poll().then(() => this.#schedule());
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Idempotent: stops polling and waits for a poll in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#polling;
    this.removeAllListeners();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
