import type { Clock, Scheduler, TimerHandle } from '../../../src/alerts/index.ts';

interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock and scheduler that only move when the test says so: retries and timeouts fire on `advance`. */
export class ManualClock implements Clock, Scheduler {
  #now: number;
  #nextId = 1;
  #timers: ManualTimer[] = [];

  constructor(start = Date.parse('2017-05-05T18:35:00Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, delayMs), fn };
    this.#timers.push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    const id = (handle as { id: number }).id;
    this.#timers = this.#timers.filter((t) => t.id !== id);
  }

  /** Time of the earliest pending timer. */
  nextTimerAt(): number | undefined {
    return this.#timers.reduce<number | undefined>((min, t) => (min === undefined || t.at < min ? t.at : min), undefined);
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing each timer that falls due, in order, at its own time. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  advanceTo(target: number): void {
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t.id !== due.id);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = Math.max(this.#now, target);
  }
}
