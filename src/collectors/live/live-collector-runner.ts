import type { Logger } from 'pino';
import { ClosedError, ConfigError, ErrorCodes, TagwatchError } from '../../errors/index.ts';
import type { CollectorOutput } from '../types.ts';
import type { Failure } from './backoff.ts';
import type { LiveClock } from './clock.ts';
import { FramePump } from './frame-pump.ts';
import { StatsReporter, type LiveStats } from './live-stats.ts';
import { failureOf } from './source-failure.ts';
import type { FrameHandler, LiveCollectorStats, LiveConnector, LiveSession, RawFrame } from './types.ts';

export interface LiveRunnerOptions {
  /** Frames handed to the handler at once. */
  maxBatchFrames: number;
  /** Frames held in memory before reading pauses. */
  maxBufferedFrames: number;
  /** How often the figures are logged, in ms (0 = never). */
  statsIntervalMs: number;
}

export interface LiveRunnerDeps {
  log: Logger;
  clock: LiveClock;
  stats: LiveStats;
}

/**
 * What every live collector shares: one reconnect loop per connector, a bounded frame buffer
 * that pauses the sockets while the pipeline is behind, a drain loop handing batches on, the
 * periodic stats line, and the shutdown order (stop reading → hand on what was read → resolve).
 * A configuration error (bad token) ends `run` with that error instead of a retry loop.
 */
export class LiveCollectorRunner {
  readonly #options: LiveRunnerOptions;
  readonly #log: Logger;
  readonly #clock: LiveClock;
  readonly #stats: LiveStats;
  readonly #stop = new AbortController();
  #running: Promise<LiveCollectorStats> | undefined;
  #closed = false;

  constructor(options: LiveRunnerOptions, deps: LiveRunnerDeps) {
    this.#options = options;
    this.#log = deps.log;
    this.#clock = deps.clock;
    this.#stats = deps.stats;
  }

  stats(): LiveCollectorStats {
    return this.#stats.snapshot();
  }

  run(handler: FrameHandler, connectors: readonly LiveConnector[], out: CollectorOutput, signal: AbortSignal): Promise<LiveCollectorStats> {
    if (this.#closed) return Promise.reject(new ClosedError(ErrorCodes.CLOSED, `${this.#stats.source}: collector is closed`));
    if (this.#running !== undefined) return Promise.reject(new TagwatchError(ErrorCodes.USAGE, `${this.#stats.source}: collector is already running`));
    this.#running = this.#run(handler, connectors, out, AbortSignal.any([signal, this.#stop.signal]));
    return this.#running;
  }

  /** Stops reading, hands on what was already read, and waits for `run` to finish. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort();
    if (this.#running !== undefined) await this.#running.catch(() => undefined);
  }

  async #run(handler: FrameHandler, connectors: readonly LiveConnector[], out: CollectorOutput, signal: AbortSignal): Promise<LiveCollectorStats> {
    const halt = new AbortController();
    const stopReading = AbortSignal.any([signal, halt.signal]);
    let fatal: unknown;
    const fail = (err: unknown): void => {
      fatal ??= err;
      halt.abort();
    };
    const pump = new FramePump(this.#options.maxBufferedFrames, this.#stats);
    const reporter = new StatsReporter(this.#stats, this.#log, this.#clock, this.#options.statsIntervalMs);
    reporter.start();
    const reading = Promise.all(connectors.map((c) => this.#connectionLoop(c, pump, stopReading).catch(fail))).then(() => pump.end());
    const draining = this.#drain(handler, pump, out, fail);
    try {
      await Promise.all([reading, draining]);
    } finally {
      reporter.stop();
      reporter.report();
    }
    if (fatal !== undefined) throw fatal;
    return this.#stats.snapshot();
  }

  async #drain(handler: FrameHandler, pump: FramePump, out: CollectorOutput, fail: (err: unknown) => void): Promise<void> {
    for (;;) {
      const frames = await pump.take(this.#options.maxBatchFrames);
      if (frames.length === 0) return;
      pump.setBusy(true);
      try {
        const handled = await handler.handle(frames);
        if (handled.fatal !== undefined) fail(handled.fatal);
        if (handled.posts.length > 0) {
          await out.posts(handled.posts);
          this.#stats.add('posts', handled.posts.length);
          for (const record of handled.posts) this.#stats.sawEvent(eventTimeOf(record.post));
        }
        if (handled.deletions.length > 0) {
          await out.deletions(handled.deletions);
          this.#stats.add('deletions', handled.deletions.length);
        }
        if (handled.deadLetters.length > 0) {
          await out.deadLetters(handled.deadLetters);
          this.#stats.add('deadLettered', handled.deadLetters.length);
        }
      } catch (err) {
        // The pipeline refused the batch (closed, failed): nothing more can be handed on.
        this.#log.error({ err, source: this.#stats.source }, 'collector output failed; stopping the source');
        fail(err);
        pump.discard();
        return;
      } finally {
        pump.setBusy(false);
      }
    }
  }

  async #connectionLoop(connector: LiveConnector, pump: FramePump, signal: AbortSignal): Promise<void> {
    const log = this.#log.child({ endpoint: connector.label });
    let attempt = 0;
    while (!signal.aborted) {
      if (attempt++ > 0) this.#stats.add('reconnects');
      let failure: Failure;
      let session: LiveSession | undefined;
      try {
        let healthy = false;
        session = await connector.open(
          {
            push: (frame: RawFrame) => {
              this.#stats.add('frames');
              if (!healthy) {
                healthy = true;
                connector.backoff.reset();
              }
              pump.push(frame);
            },
            heartbeat: () => {
              this.#stats.add('heartbeats');
              if (!healthy) {
                healthy = true;
                connector.backoff.reset();
              }
            },
          },
          signal,
        );
      } catch (err) {
        if (err instanceof ConfigError) {
          log.error({ err }, 'source configuration rejected; not retrying');
          throw err;
        }
        if (signal.aborted) break;
        failure = failureOf(err);
        await this.#backOff(connector, failure, log, signal);
        continue;
      }
      const detach = pump.attach(session);
      this.#stats.connections++;
      log.info('source connected');
      const onAbort = (): void => session?.close();
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) session.close();
      try {
        failure = await session.ended;
      } finally {
        signal.removeEventListener('abort', onAbort);
        detach();
        this.#stats.connections--;
      }
      if (signal.aborted) break;
      await this.#backOff(connector, failure, log, signal);
    }
  }

  async #backOff(connector: LiveConnector, failure: Failure, log: Logger, signal: AbortSignal): Promise<void> {
    const delayMs = connector.backoff.next(failure);
    log.warn({ failure, delayMs }, 'source disconnected; reconnecting after a delay');
    await this.#clock.sleep(delayMs, signal);
  }
}

function eventTimeOf(post: unknown): number {
  const createdAt = (post as { createdAt?: unknown } | null)?.createdAt;
  return typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
}
