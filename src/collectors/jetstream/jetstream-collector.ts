import type { Logger } from 'pino';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';
import { ExponentialBackoff } from '../live/backoff.ts';
import { systemLiveClock, type LiveClock } from '../live/clock.ts';
import { LiveCollectorRunner } from '../live/live-collector-runner.ts';
import { LiveStats } from '../live/live-stats.ts';
import type { ParentTagResolver } from '../live/parent-tags.ts';
import { safeUrl } from '../live/safe-url.ts';
import { SourceFailureError } from '../live/source-failure.ts';
import type { FrameSink, LiveCollectorStats, LiveConnector, LiveSession } from '../live/types.ts';
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
}

/** Messages above this make ws drop the connection; the softer `maxFrameBytes` dead-letters. */
function hardFrameLimit(maxFrameBytes: number): number {
  return Math.max(16 * 1024 * 1024, maxFrameBytes * 4);
}

/**
 * Bluesky through Jetstream: posts and reposts of the wanted collections, resumed after a
 * disconnect from the last `time_us` minus `rewindSeconds` (redelivered events are dropped).
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
    const last = this.#handler.lastTimeUs;
    if (last > 0) url.searchParams.set('cursor', String(Math.max(1, last - Math.round(this.#options.rewindSeconds * 1_000_000))));
    return url.toString();
  }

  run(out: CollectorOutput, signal: AbortSignal): Promise<LiveCollectorStats> {
    return this.#runner.run(this.#handler, [this.#connector], out, signal);
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
