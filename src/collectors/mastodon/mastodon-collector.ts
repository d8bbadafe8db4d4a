import type { Logger } from 'pino';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';
import { ExponentialBackoff } from '../live/backoff.ts';
import { systemLiveClock, type LiveClock } from '../live/clock.ts';
import { LiveCollectorRunner } from '../live/live-collector-runner.ts';
import { LiveStats } from '../live/live-stats.ts';
import { hostOf, safeUrl } from '../live/safe-url.ts';
import { resolveSecret, type Secret } from '../live/secret.ts';
import { SourceFailureError } from '../live/source-failure.ts';
import type { LiveCollectorStats, LiveConnector } from '../live/types.ts';
import { openWebSocketSession } from '../live/websocket-session.ts';
import type { Collector, CollectorOutput } from '../types.ts';
import { MastodonFrameHandler } from './mastodon-frame-handler.ts';
import type { MastodonInstanceOptions, MastodonSourceOptions, MastodonStream } from './options.ts';

export interface MastodonCollectorDeps {
  log: Logger;
  clock?: LiveClock;
  /** Where `tokenEnv` names are looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
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
 * configuration error naming the instance, not a retry loop.
 */
export class MastodonCollector implements Collector {
  readonly name: string;
  readonly #runner: LiveCollectorRunner;
  readonly #handler: MastodonFrameHandler;
  readonly #connectors: LiveConnector[];

  constructor(options: MastodonSourceOptions, deps: MastodonCollectorDeps) {
    this.name = options.name ?? 'mastodon';
    const clock = deps.clock ?? systemLiveClock;
    const log = deps.log.child({ source: this.name });
    const stats = new LiveStats(this.name, clock);
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

  run(out: CollectorOutput, signal: AbortSignal): Promise<LiveCollectorStats> {
    return this.#runner.run(this.#handler, this.#connectors, out, signal);
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
    return {
      label: where.label,
      backoff: new ExponentialBackoff(options.backoff, clock),
      open: (sink, signal) =>
        openWebSocketSession(
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
        ),
    };
  }
}
