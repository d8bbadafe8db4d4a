import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LiveClock } from '../../../../src/collectors/live/clock.ts';

/** A clock the test moves by hand: timers fire only inside `advance()`. */
export class ManualClock implements LiveClock {
  readonly sleeps: number[] = [];
  #now: number;
  #timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  #seq = 0;
  randomValue = 0.5;

  constructor(start = Date.parse('2026-09-14T18:00:00.000Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  random(): number {
    return this.randomValue;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward, firing due timers in order (and letting promises settle between them). */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
      await settle();
    }
    this.#now = end;
    await settle();
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

const fixtures = fileURLToPath(new URL('../../../fixtures/protocol/', import.meta.url));

export function fixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(fixtures + path, 'utf8')) as T;
}
