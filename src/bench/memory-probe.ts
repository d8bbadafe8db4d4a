import { resourceUsage } from 'node:process';

/** Full garbage collection when the process runs with `--expose-gc`; returns whether it ran. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  // Two passes: the first may only queue finalizers and weak callbacks that free more.
  gc();
  gc();
  return true;
}

/** Peak resident set size of this process so far, in bytes (the kernel's high-water mark). */
export function peakRss(): number {
  return resourceUsage().maxRSS * 1024;
}

/**
 * Samples the RSS every `intervalMs` (for a peak and a trace); `stop()` returns the peak seen
 * by sampling and by the kernel's high-water mark, whichever is higher.
 */
export class RssSampler {
  readonly #timer: NodeJS.Timeout;
  #peak = 0;
  readonly samples: Array<{ at: number; rss: number; heapUsed: number }> = [];

  constructor(intervalMs = 250) {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  #sample(): void {
    const m = process.memoryUsage();
    this.#peak = Math.max(this.#peak, m.rss);
    this.samples.push({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed });
  }

  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return Math.max(this.#peak, peakRss());
  }
}
