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
