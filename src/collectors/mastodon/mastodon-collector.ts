import type { Logger } from 'pino';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';
import { ExponentialBackoff } from '../live/backoff.ts';
import { systemLiveClock, type LiveClock } from '../live/clock.ts';
import { LiveCollectorRunner } from '../live/live-collector-runner.ts';
import { LiveStats } from '../live/live-stats.ts';
import { hostOf, safeUrl } from '../live/safe-url.ts';
import { resolveSecret, type Secret } from '../live/secret.ts';
import { SourceFailureError } from '../live/source-failure.ts';
import type { FrameSink, LiveCollectorStats, LiveConnector, LiveSession } from '../live/types.ts';
import { openWebSocketSession } from '../live/websocket-session.ts';
import type { Collector, CollectorOutput } from '../types.ts';
import { MastodonFrameHandler } from './mastodon-frame-handler.ts';
import type { MastodonInstanceOptions, MastodonSourceOptions, MastodonStream } from './options.ts';
import { statusIdAt } from './status-ids.ts';
import { catchUpTimelines, type MastodonFetch } from './timeline-catch-up.ts';

export interface MastodonCollectorDeps {
  log: Logger;
  clock?: LiveClock;
  /** Where `tokenEnv` names are looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** For the REST catch-up after a reconnect (default: global fetch). */
  fetch?: MastodonFetch;
}

/** `<instance>/api/v1/streaming` as ws:// or wss://, unless the instance says otherwise. */
export function streamingUrlOf(instance: Pick<MastodonInstanceOptions, 'url' | 'streamingUrl'>): string {
  if (instance.streamingUrl !== undefined) return instance.streamingUrl;
  const url = new URL(instance.url);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/streaming`;
  url.search = '';
  return url.toString();
}

/** The client → server message subscribing to one stream on a multiplexed socket. */
export function subscribeMessage(stream: MastodonStream): Record<string, string> {
  if ('tag' in stream) return { type: 'subscribe', stream: stream.stream, tag: stream.tag };
  if ('list' in stream) return { type: 'subscribe', stream: stream.stream, list: stream.list };
  return { type: 'subscribe', stream: stream.stream };
}

/**
 * Mastodon streaming from several instances at once: one multiplexed WebSocket per instance,
 * subscribed to the configured streams, token in the Authorization header. A refused token is a
 * configuration error naming the instance, not a retry loop. Streaming has no resume: after a
 * reconnect, what was missed is fetched from the instance's REST timelines in the background.
 */
export class MastodonCollector implements Collector {
  readonly name: string;
  readonly #runner: LiveCollectorRunner;
  readonly #handler: MastodonFrameHandler;
  readonly #connectors: LiveConnector[];
  readonly #log: Logger;
  readonly #stats: LiveStats;
  readonly #fetch: MastodonFetch;
  /** REST catch-ups under way, awaited at close. */
  readonly #catchUps = new Set<Promise<void>>();

  constructor(options: MastodonSourceOptions, deps: MastodonCollectorDeps) {
    this.name = options.name ?? 'mastodon';
    const clock = deps.clock ?? systemLiveClock;
    const log = deps.log.child({ source: this.name });
    const stats = new LiveStats(this.name, clock);
    this.#log = log;
    this.#stats = stats;
    this.#fetch = deps.fetch ?? ((url, init) => fetch(url, init));
    const env = deps.env ?? process.env;
    const instances = new Map<string, { label: string; host: string }>();
    this.#connectors = options.instances.map((instance) => {
      const label = safeUrl(instance.url).replace(/\/$/, '');
      const token = resolveSecret(instance.token, instance.tokenEnv, env, `source "${this.name}": mastodon instance ${label}`);
      const streamingUrl = streamingUrlOf(instance);
      const origin = safeUrl(streamingUrl);
      if (instances.has(origin)) throw new ConfigError(ErrorCodes.CONFIG_INVALID, `source "${this.name}": instance ${label} is listed twice`);
      instances.set(origin, { label, host: hostOf(instance.url) });
      return this.#connector(instance, { label, origin, streamingUrl, token }, options, clock);
    });
    this.#handler = new MastodonFrameHandler(options, { source: this.name, log, stats, instances });
    this.#runner = new LiveCollectorRunner(options, { log, clock, stats });
  }

  async run(out: CollectorOutput, signal: AbortSignal): Promise<LiveCollectorStats> {
    try {
      return await this.#runner.run(this.#handler, this.#connectors, out, signal);
    } finally {
      await Promise.all(this.#catchUps);
    }
  }

  stats(): LiveCollectorStats {
    return this.#runner.stats();
  }

  async close(): Promise<void> {
    await this.#runner.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #connector(
    instance: MastodonInstanceOptions,
    where: { label: string; origin: string; streamingUrl: string; token: Secret },
    options: MastodonSourceOptions,
    clock: LiveClock,
  ): LiveConnector {
    const subscriptions = instance.streams.map((s) => JSON.stringify(subscribeMessage(s)));
    let previousOpenAt: number | undefined;
    const open = async (sink: FrameSink, signal: AbortSignal): Promise<LiveSession> => {
      const session = await this.#openSession(where, options, clock, subscriptions, sink, signal);
      if (previousOpenAt !== undefined && options.catchUpMaxPages > 0) {
        // Nothing seen before the disconnect: everything since the previous connection opened may be missing.
        const sinceId = this.#handler.newestStatusId(where.origin) ?? statusIdAt(previousOpenAt);
        this.#startCatchUp(instance, where, options, clock, sinceId, sink, signal);
      }
      previousOpenAt = clock.now();
      return session;
    };
    return { label: where.label, backoff: new ExponentialBackoff(options.backoff, clock), open };
  }

  #startCatchUp(
    instance: MastodonInstanceOptions,
    where: { label: string; origin: string; token: Secret },
    options: MastodonSourceOptions,
    clock: LiveClock,
    sinceId: string,
    sink: FrameSink,
    signal: AbortSignal,
  ): void {
    const running = catchUpTimelines(
      {
        instanceUrl: instance.url,
        label: where.label,
        token: where.token,
        streams: instance.streams,
        sinceId,
        maxPages: options.catchUpMaxPages,
        pageSize: options.catchUpPageSize,
        timeoutMs: options.connectTimeoutMs,
        origin: where.origin,
        push: (frame) => {
          this.#stats.add('caughtUp');
          sink.push(frame);
        },
        signal,
      },
      { fetch: this.#fetch, clock, log: this.#log },
    ).then(
      (outcome) => this.#log.info({ instance: where.label, sinceId, ...outcome }, 'caught up through the REST timelines after a reconnect'),
      (err: unknown) => this.#log.error({ err, instance: where.label }, 'REST catch-up failed'),
    );
    this.#catchUps.add(running);
    void running.finally(() => this.#catchUps.delete(running));
  }

  #openSession(
    where: { label: string; origin: string; streamingUrl: string; token: Secret },
    options: MastodonSourceOptions,
    clock: LiveClock,
    subscriptions: readonly string[],
    sink: FrameSink,
    signal: AbortSignal,
  ): Promise<LiveSession> {
    return openWebSocketSession(
      {
        url: where.streamingUrl,
        origin: where.origin,
        headers: { authorization: `Bearer ${where.token.reveal()}` },
        maxPayloadBytes: Math.max(16 * 1024 * 1024, options.maxFrameBytes * 4),
        idleTimeoutMs: options.idleTimeoutMs,
        handshakeTimeoutMs: options.connectTimeoutMs,
        clock,
        onOpen: (socket) => {
          for (const message of subscriptions) socket.send(message);
        },
        onRejected: (status, message) => {
          const detail = `HTTP ${status}${message === '' ? '' : `: ${message.slice(0, 300)}`}`;
          if (status === 401 || status === 403) {
            return new ConfigError(
              ErrorCodes.SOURCE_AUTH,
              `source "${this.name}": mastodon instance ${where.label} rejected the access token (${detail}); check its token or tokenEnv`,
            );
          }
          if (status === 400 || status === 404) {
            return new ConfigError(
              ErrorCodes.SOURCE_CONNECT,
              `source "${this.name}": mastodon instance ${where.label} has no streaming API at ${where.origin} (${detail}); set streamingUrl`,
            );
          }
          return new SourceFailureError({ kind: status === 429 ? 'rate-limited' : 'http', status, detail: `${where.label}: ${detail}` });
        },
      },
      sink,
      signal,
    );
  }
}
