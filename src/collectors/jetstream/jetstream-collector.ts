import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';
import { ExponentialBackoff } from '../live/backoff.ts';
import { systemLiveClock, type LiveClock } from '../live/clock.ts';
import { CursorFile } from '../live/cursor-file.ts';
import { LiveCollectorRunner } from '../live/live-collector-runner.ts';
import { LiveStats } from '../live/live-stats.ts';
import type { ParentTagResolver } from '../live/parent-tags.ts';
import { safeUrl } from '../live/safe-url.ts';
import { SourceFailureError } from '../live/source-failure.ts';
import type { FrameHandler, FrameSink, LiveCollectorStats, LiveConnector, LiveSession } from '../live/types.ts';
import { openWebSocketSession } from '../live/websocket-session.ts';
import type { Collector, CollectorOutput } from '../types.ts';
import { JetstreamFrameHandler } from './jetstream-frame-handler.ts';
import type { JetstreamSourceOptions } from './options.ts';
import { ProfileEnricher } from './profile-enricher.ts';
import type { FetchLike } from './types.ts';

export interface JetstreamCollectorDeps {
  log: Logger;
  clock?: LiveClock;
  /** Store-backed lookup of reposted posts' tags, asked when the recent-posts cache misses. */
  parentTags?: ParentTagResolver;
  /** Replaces the enricher built from `options.enrich` (tests). */
  enricher?: ProfileEnricher;
  fetch?: FetchLike;
  /** Directory for state kept across restarts (the store's data directory); the cursor file goes under it. */
  stateDir?: string;
}

/** Messages above this make ws drop the connection; the softer `maxFrameBytes` dead-letters. */
function hardFrameLimit(maxFrameBytes: number): number {
  return Math.max(16 * 1024 * 1024, maxFrameBytes * 4);
}

/**
 * Bluesky through Jetstream: posts and reposts of the wanted collections, resumed after a
 * disconnect from the last `time_us` minus `rewindSeconds` (redelivered events are dropped).
 * With a cursor file, a restarted process resumes from the last event the previous one handed on.
 */
export class JetstreamCollector implements Collector {
  readonly name: string;
  readonly #options: JetstreamSourceOptions;
  readonly #log: Logger;
  readonly #clock: LiveClock;
  readonly #stats: LiveStats;
  readonly #runner: LiveCollectorRunner;
  readonly #handler: JetstreamFrameHandler;
  readonly #enricher: ProfileEnricher | undefined;
  readonly #connector: LiveConnector;
  readonly #cursorFile: CursorFile | undefined;
  /** The handler as the runner sees it: it tracks which events were handed on. */
  readonly #tracked: FrameHandler;
  /** `time_us` loaded from the cursor file: where the first connection resumes. */
  #resumeFromUs = 0;
  /** Newest `time_us` of the batch being handed on, and of the batches already handed on. */
  #pendingUs = 0;
  #committedUs = 0;

  constructor(options: JetstreamSourceOptions, deps: JetstreamCollectorDeps) {
    this.name = options.name ?? 'jetstream';
    this.#options = options;
    this.#clock = deps.clock ?? systemLiveClock;
    this.#log = deps.log.child({ source: this.name });
    this.#stats = new LiveStats(this.name, this.#clock);
    this.#enricher =
      deps.enricher ??
      (options.enrich.enabled
        ? new ProfileEnricher(options.enrich, { log: this.#log, clock: this.#clock, ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }) })
        : undefined);
    this.#handler = new JetstreamFrameHandler(options, {
      source: this.name,
      log: this.#log,
      stats: this.#stats,
      enricher: this.#enricher,
      parentTags: deps.parentTags,
    });
    this.#tracked = {
      handle: async (frames) => {
        // The runner asks for the next batch only once the previous one was handed on.
        this.#committedUs = this.#pendingUs;
        const handled = await this.#handler.handle(frames);
        this.#pendingUs = this.#handler.lastTimeUs;
        return handled;
      },
    };
    const cursorPath =
      options.cursorFile === false ? undefined : (options.cursorFile ?? (deps.stateDir === undefined ? undefined : join(deps.stateDir, 'collectors', `${this.name}.cursor.json`)));
    this.#cursorFile = cursorPath === undefined ? undefined : new CursorFile(cursorPath, this.#log);
    this.#runner = new LiveCollectorRunner(options, { log: this.#log, clock: this.#clock, stats: this.#stats });
    const origin = safeUrl(options.url);
    this.#connector = {
      label: origin,
      backoff: new ExponentialBackoff(options.backoff, this.#clock),
      open: (sink, signal) => this.#open(origin, sink, signal),
    };
  }

  /** The URL the next connection will use: filters, and the resume cursor once events were seen. */
  subscribeUrl(): string {
    const url = new URL(this.#options.url);
    for (const collection of this.#options.wantedCollections) url.searchParams.append('wantedCollections', collection);
    for (const did of this.#options.wantedDids) url.searchParams.append('wantedDids', did);
    const last = this.#handler.lastTimeUs > 0 ? this.#handler.lastTimeUs : this.#resumeFromUs;
    if (last > 0) url.searchParams.set('cursor', String(Math.max(1, last - Math.round(this.#options.rewindSeconds * 1_000_000))));
    return url.toString();
  }

  /** `time_us` of the newest event handed on to the pipeline (what the cursor file keeps), 0 before the first. */
  get committedTimeUs(): number {
    return this.#committedUs;
  }

  async run(out: CollectorOutput, signal: AbortSignal): Promise<LiveCollectorStats> {
    const saved = await this.#cursorFile?.load();
    if (saved !== undefined && this.#handler.lastTimeUs === 0) {
      this.#resumeFromUs = saved;
      this.#log.info({ cursor: saved, path: this.#cursorFile?.path }, 'resuming from the saved cursor');
    }
    const stopSaving = this.#saveEvery(this.#options.cursorSaveIntervalMs);
    try {
      const stats = await this.#runner.run(this.#tracked, [this.#connector], out, signal);
      // The run ended normally: everything read was handed on.
      this.#committedUs = this.#pendingUs;
      return stats;
    } finally {
      stopSaving();
      await this.#cursorFile?.save(this.#committedUs, this.#clock.now());
    }
  }

  stats(): LiveCollectorStats {
    return this.#runner.stats();
  }

  async close(): Promise<void> {
    await this.#runner.close();
    await this.#enricher?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Saves the handed-on cursor every `ms` until the returned function is called. */
  #saveEvery(ms: number): () => void {
    const file = this.#cursorFile;
    if (file === undefined) return () => undefined;
    let cancel: (() => void) | undefined;
    let stopped = false;
    const tick = (): void => {
      void file.save(this.#committedUs, this.#clock.now()).then(() => {
        if (!stopped) cancel = this.#clock.setTimer(ms, tick);
      });
    };
    cancel = this.#clock.setTimer(ms, tick);
    return () => {
      stopped = true;
      cancel?.();
    };
  }

  #open(origin: string, sink: FrameSink, signal: AbortSignal): Promise<LiveSession> {
    const url = this.subscribeUrl();
    this.#log.debug({ url: safeUrl(url) }, 'connecting');
    return openWebSocketSession(
      {
        url,
        origin,
        maxPayloadBytes: hardFrameLimit(this.#options.maxFrameBytes),
        idleTimeoutMs: this.#options.idleTimeoutMs,
        handshakeTimeoutMs: this.#options.connectTimeoutMs,
        clock: this.#clock,
        onRejected: (status, message) => {
          // Jetstream refuses bad filters with a plain-text 400 before the upgrade: retrying cannot help.
          if (status === 400 || status === 401 || status === 403 || status === 404) {
            return new ConfigError(
              ErrorCodes.SOURCE_CONNECT,
              `${this.name}: ${origin} refused the subscription (HTTP ${status}${message === '' ? '' : `: ${message.slice(0, 300)}`}); check url, wantedCollections and wantedDids`,
            );
          }
          return new SourceFailureError({
            kind: status === 429 ? 'rate-limited' : 'http',
            status,
            detail: `${origin} answered HTTP ${status}${message === '' ? '' : `: ${message.slice(0, 300)}`}`,
          });
        },
      },
      sink,
      signal,
    );
  }
}
