import type { LiveClock } from './clock.ts';

/**
 * Fires once when nothing arrived for `timeoutMs` while watching. Suspended while tagwatch
 * itself stopped reading (backpressure), since silence is then ours, not the server's.
 */
export class IdleWatchdog {
  readonly #timeoutMs: number;
  readonly #clock: LiveClock;
  readonly #onIdle: () => void;
  #cancel: (() => void) | undefined;
  #suspended = false;
  #stopped = false;

  constructor(timeoutMs: number, clock: LiveClock, onIdle: () => void) {
    this.#timeoutMs = timeoutMs;
    this.#clock = clock;
    this.#onIdle = onIdle;
    this.#arm();
  }

  /** Something arrived: start the silence count again. */
  touch(): void {
    if (!this.#suspended) this.#arm();
  }

  suspend(): void {
    this.#suspended = true;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  resume(): void {
    if (!this.#suspended) return;
    this.#suspended = false;
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #arm(): void {
    if (this.#stopped) return;
    this.#cancel?.();
    this.#cancel = this.#clock.setTimer(this.#timeoutMs, () => {
      this.#cancel = undefined;
      if (this.#stopped || this.#suspended) return;
      this.#stopped = true;
      this.#onIdle();
    });
  }
}
