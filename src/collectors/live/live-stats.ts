import type { Logger } from 'pino';
import type { LiveClock } from './clock.ts';
import type { LiveCollectorStats } from './types.ts';

type Counter =
  | 'frames'
  | 'posts'
  | 'deadLettered'
  | 'deletions'
  | 'reconnects'
  | 'heartbeats'
  | 'duplicates'
  | 'ignored'
  | 'unresolvedReposts'
  | 'unresolvedDeletions'
  | 'serverErrors'
  | 'caughtUp';

/** The running figures of one live source. */
export class LiveStats {
  readonly source: string;
  readonly #clock: LiveClock;
  readonly #counters: Record<Counter, number> = {
    frames: 0,
    posts: 0,
    deadLettered: 0,
    deletions: 0,
    reconnects: 0,
    heartbeats: 0,
    duplicates: 0,
    ignored: 0,
    unresolvedReposts: 0,
    unresolvedDeletions: 0,
    serverErrors: 0,
    caughtUp: 0,
  };
  #lastEventTs = 0;
  connections = 0;
  paused = false;
  bufferedFrames = 0;

  constructor(source: string, clock: LiveClock) {
    this.source = source;
    this.#clock = clock;
  }

  add(counter: Counter, n = 1): void {
    this.#counters[counter] += n;
  }

  /** A post with this event time was handed on. */
  sawEvent(ts: number): void {
    if (Number.isFinite(ts) && ts > this.#lastEventTs) this.#lastEventTs = ts;
  }

  snapshot(): LiveCollectorStats {
    const now = this.#clock.now();
    return {
      source: this.source,
      ...this.#counters,
      lastEventTs: this.#lastEventTs,
      connections: this.connections,
      paused: this.paused,
      bufferedFrames: this.bufferedFrames,
      lagMs: this.#lastEventTs === 0 ? 0 : Math.max(0, now - this.#lastEventTs),
    };
  }
}

/** Logs a source's figures every `intervalMs`, with rates over the interval. */
export class StatsReporter {
  readonly #stats: LiveStats;
  readonly #log: Logger;
  readonly #clock: LiveClock;
  readonly #intervalMs: number;
  #previous: { at: number; frames: number; posts: number };
  #cancel: (() => void) | undefined;

  constructor(stats: LiveStats, log: Logger, clock: LiveClock, intervalMs: number) {
    this.#stats = stats;
    this.#log = log;
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#previous = { at: clock.now(), frames: 0, posts: 0 };
  }

  start(): void {
    if (this.#intervalMs <= 0) return;
    this.#cancel = this.#clock.setTimer(this.#intervalMs, () => {
      this.report();
      this.start();
    });
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  report(): void {
    const s = this.#stats.snapshot();
    const at = this.#clock.now();
    const seconds = Math.max(0.001, (at - this.#previous.at) / 1000);
    this.#log.info(
      {
        source: s.source,
        framesPerSec: round((s.frames - this.#previous.frames) / seconds),
        postsPerSec: round((s.posts - this.#previous.posts) / seconds),
        frames: s.frames,
        posts: s.posts,
        deletions: s.deletions,
        deadLettered: s.deadLettered,
        duplicates: s.duplicates,
        unresolvedReposts: s.unresolvedReposts,
        reconnects: s.reconnects,
        connections: s.connections,
        paused: s.paused,
        bufferedFrames: s.bufferedFrames,
        lastEventAt: s.lastEventTs === 0 ? null : new Date(s.lastEventTs).toISOString(),
        lagMs: s.lagMs,
      },
      'source stats',
    );
    this.#previous = { at, frames: s.frames, posts: s.posts };
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
