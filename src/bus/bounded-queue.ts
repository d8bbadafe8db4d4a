import { ClosedError, ErrorCodes } from '../errors/index.ts';

/**
 * A FIFO with a capacity in items. `push` waits while the queue is full (backpressure), `take`
 * waits while it is empty. After `close()` pushes are refused and `take` drains what is left,
 * then returns an empty array.
 */
export class BoundedQueue<T> {
  readonly capacity: number;
  #items: T[] = [];
  #head = 0;
  #closed = false;
  #waitingTakers: Array<() => void> = [];
  #waitingPushers: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  #inFlight = 0;
  /** Drains in progress: while any is, a taker does not wait for its batch to fill. */
  #drains = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds items, waiting for room; a batch larger than the capacity is admitted in pieces. */
  async push(items: readonly T[]): Promise<void> {
    let offset = 0;
    while (offset < items.length) {
      if (this.#closed) throw new ClosedError(ErrorCodes.QUEUE_CLOSED, 'queue is closed');
      const room = this.capacity - this.size;
      if (room <= 0) {
        await new Promise<void>((resolve) => this.#waitingPushers.push(resolve));
        continue;
      }
      const end = Math.min(items.length, offset + room);
      for (let i = offset; i < end; i++) this.#items.push(items[i] as T);
      offset = end;
      this.#wake(this.#waitingTakers);
    }
  }

  /**
   * Takes up to `max` items, waiting until at least one is there. The taker must call `done()`
   * once it has finished with them, so `whenIdle` knows the consumer is idle.
   */
  async take(max: number, fillWaitMs = 0): Promise<T[]> {
    while (this.size === 0) {
      if (this.#closed) return [];
      await new Promise<void>((resolve) => this.#waitingTakers.push(resolve));
    }
    if (fillWaitMs > 0 && this.size < max && !this.#closed) await this.#waitToFill(max, fillWaitMs);
    const end = Math.min(this.#items.length, this.#head + max);
    const out = this.#items.slice(this.#head, end);
    this.#head = end;
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#inFlight++;
    this.#wake(this.#waitingPushers);
    return out;
  }

  async #waitToFill(max: number, fillWaitMs: number): Promise<void> {
    const deadline = Date.now() + fillWaitMs;
    while (this.size < max && !this.#closed && this.#drains === 0) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, left);
        this.#waitingTakers.push(resolve);
      });
      clearTimeout(timer);
    }
  }

  /** Marks the last `take` as processed. */
  done(): void {
    if (this.#inFlight > 0) this.#inFlight--;
    if (this.#inFlight === 0 && this.size === 0) this.#wake(this.#idleWaiters);
  }

  /** Resolves once the queue is empty and nothing taken from it is still being processed. */
  async whenIdle(): Promise<void> {
    // A taker waiting for its batch to fill would hold a drain for its whole wait: take now.
    this.#drains++;
    this.#wake(this.#waitingTakers);
    try {
      while (this.size > 0 || this.#inFlight > 0) {
        await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      }
    } finally {
      this.#drains--;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake(this.#waitingTakers);
    this.#wake(this.#waitingPushers);
  }

  #wake(waiters: Array<() => void>): void {
    if (waiters.length === 0) return;
    const all = waiters.splice(0, waiters.length);
    for (const resolve of all) resolve();
  }
}
