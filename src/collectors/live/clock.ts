/**
 * Time, randomness and timers for live sources, injectable so tests drive backoff and jitter
 * without real sleeps.
 */
export interface LiveClock {
  /** Wall-clock time, epoch ms. */
  now(): number;
  /** A number in [0, 1), for jitter. */
  random(): number;
  /** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` once after `ms`; returns a function that cancels it. The timer never keeps the process alive. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemLiveClock: LiveClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal?.aborted === true) return resolve();
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    }),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
