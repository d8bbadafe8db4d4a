import type { Logger } from 'pino';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';
import { systemLiveClock, type LiveClock } from '../live/clock.ts';
import { LiveCollectorRunner } from '../live/live-collector-runner.ts';
import { LiveStats } from '../live/live-stats.ts';
import { safeUrl } from '../live/safe-url.ts';
import { resolveSecret, type Secret } from '../live/secret.ts';
import { SourceFailureError } from '../live/source-failure.ts';
import type { FrameSink, LiveCollectorStats, LiveConnector, LiveSession } from '../live/types.ts';
import type { Collector, CollectorOutput } from '../types.ts';
import type { XSourceOptions } from './options.ts';
import { XBackoff } from './x-backoff.ts';
import { XFrameHandler } from './x-frame-handler.ts';
import type { XFetch } from './types.ts';
import { syncRules } from './x-rules.ts';
import { openXStreamSession } from './x-stream-session.ts';

export interface XCollectorDeps {
  log: Logger;
  clock?: LiveClock;
  /** Where `bearerTokenEnv` is looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** For the rules endpoint (default: global fetch). */
  fetch?: XFetch;
}

/** Fields and expansions the mapper needs: author fields, references, long-post text and entities. */
const STREAM_PARAMS: ReadonlyArray<[string, string]> = [
  ['tweet.fields', 'created_at,lang,author_id,entities,referenced_tweets,note_tweet,conversation_id'],
  ['expansions', 'author_id,referenced_tweets.id,referenced_tweets.id.author_id'],
  ['user.fields', 'created_at,public_metrics,username'],
];

/**
 * X's filtered stream: rules synchronized from the config at start, then one long GET whose
 * lines become posts. Reconnects follow X's rules; a refused bearer token stops the source.
 */
export class XCollector implements Collector {
  readonly name: string;
  readonly #options: XSourceOptions;
  readonly #log: Logger;
  readonly #clock: LiveClock;
  readonly #token: Secret;
  readonly #fetch: XFetch;
  readonly #runner: LiveCollectorRunner;
  readonly #handler: XFrameHandler;
  readonly #connector: LiveConnector;
  #rulesSynced = false;
  #sessions = 0;

  constructor(options: XSourceOptions, deps: XCollectorDeps) {
    this.name = options.name ?? 'x';
    this.#options = options;
    this.#clock = deps.clock ?? systemLiveClock;
    this.#log = deps.log.child({ source: this.name });
    this.#token = resolveSecret(options.bearerToken, options.bearerTokenEnv, deps.env ?? process.env, `source "${this.name}": X bearer token`);
    this.#fetch = deps.fetch ?? ((url, init) => fetch(url, init));
    const stats = new LiveStats(this.name, this.#clock);
    this.#handler = new XFrameHandler(options, { source: this.name, log: this.#log, stats });
    this.#runner = new LiveCollectorRunner(options, { log: this.#log, clock: this.#clock, stats });
    const origin = safeUrl(new URL('/2/tweets/search/stream', options.url));
    this.#connector = { label: origin, backoff: new XBackoff(options.backoff), open: (sink, signal) => this.#open(origin, sink, signal) };
  }

  /** The stream URL; reconnects add `backfill_minutes` when configured. */
  streamUrl(reconnect: boolean): string {
    const url = new URL('/2/tweets/search/stream', this.#options.url);
    for (const [name, value] of STREAM_PARAMS) url.searchParams.set(name, value);
    if (reconnect && this.#options.backfillMinutes > 0) url.searchParams.set('backfill_minutes', String(this.#options.backfillMinutes));
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
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #open(origin: string, sink: FrameSink, signal: AbortSignal): Promise<LiveSession> {
    if (!this.#rulesSynced && this.#options.rules !== undefined) {
      await syncRules(this.#options.rules, {
        source: this.name,
        baseUrl: this.#options.url,
        token: this.#token,
        fetch: this.#fetch,
        log: this.#log,
        signal,
        timeoutMs: this.#options.connectTimeoutMs,
      });
      this.#rulesSynced = true;
    }
    const session = await openXStreamSession(
      {
        url: this.streamUrl(this.#sessions > 0),
        origin,
        headers: { authorization: `Bearer ${this.#token.reveal()}` },
        stallTimeoutMs: this.#options.stallTimeoutMs,
        connectTimeoutMs: this.#options.connectTimeoutMs,
        maxLineBytes: this.#options.maxFrameBytes,
        clock: this.#clock,
        onRejected: (status, body) => this.#rejection(origin, status, body),
      },
      sink,
      signal,
    );
    this.#sessions++;
    return session;
  }

  #rejection(origin: string, status: number, body: string): Error {
    const detail = `HTTP ${status}${body === '' ? '' : `: ${body.replace(/\s+/g, ' ').slice(0, 300)}`}`;
    if (status === 401 || status === 403) {
      return new ConfigError(ErrorCodes.SOURCE_AUTH, `source "${this.name}": X rejected the bearer token at ${origin} (${detail}); check bearerToken or bearerTokenEnv`);
    }
    if (status === 429) return new SourceFailureError({ kind: 'rate-limited', status, detail: `${origin}: ${detail}` });
    return new SourceFailureError({ kind: 'http', status, detail: `${origin}: ${detail}` });
  }
}
