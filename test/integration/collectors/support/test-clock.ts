import type { LiveClock } from '../../../../src/collectors/live/clock.ts';
import { systemLiveClock } from '../../../../src/collectors/live/clock.ts';

/**
 * Real time and timers (idle watchdogs), but backoff sleeps return at once and are recorded, and
 * jitter is fixed, so reconnect tests take no real delay and can check the delays chosen.
 */
export class InstantSleepClock implements LiveClock {
  readonly sleeps: number[] = [];

  now(): number {
    return Date.now();
  }

  random(): number {
    return 0.5;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  setTimer(ms: number, fn: () => void): () => void {
    return systemLiveClock.setTimer(ms, fn);
  }
}

/** As InstantSleepClock, but timers of exactly `capturedMs` are held for the test to fire (periodic saves). */
export class CapturedTimerClock extends InstantSleepClock {
  readonly #capturedMs: number;
  #captured: Array<() => void> = [];

  constructor(capturedMs: number) {
    super();
    this.#capturedMs = capturedMs;
  }

  override setTimer(ms: number, fn: () => void): () => void {
    if (ms !== this.#capturedMs) return super.setTimer(ms, fn);
    this.#captured.push(fn);
    return () => {
      this.#captured = this.#captured.filter((f) => f !== fn);
    };
  }

  /** Runs the captured timers due now; returns how many ran. */
  fire(): number {
    const due = this.#captured;
    this.#captured = [];
    for (const fn of due) fn();
    return due.length;
  }
}
