import type { Logger } from 'pino';
import { ConfigError, ErrorCodes } from '../../errors/index.ts';
import { systemLiveClock, type LiveClock } from '../live/clock.ts';
import { LiveCollectorRunner } from '../live/live-collector-runner.ts';
import { LiveStats } from '../live/live-stats.ts';
import { OriginRoutedHandler } from '../live/origin-routed-handler.ts';
import { safeUrl } from '../live/safe-url.ts';
import { resolveSecret, type Secret } from '../live/secret.ts';
import { SourceFailureError } from '../live/source-failure.ts';
import type { FrameHandler, FrameSink, LiveCollectorStats, LiveConnector, LiveSession } from '../live/types.ts';
import type { Collector, CollectorOutput } from '../types.ts';
import type { XSourceOptions } from './options.ts';
import { XBackoff } from './x-backoff.ts';
import { XComplianceFrameHandler } from './x-compliance-handler.ts';
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

/** X's compliance streams, by what they carry. */
const COMPLIANCE_PATHS = { posts: '/2/tweets/compliance/stream', users: '/2/users/compliance/stream' } as const;

/**
 * X's filtered stream: rules synchronized from the config at start, then one long GET whose
 * lines become posts. Reconnects follow X's rules; a refused bearer token stops the source.
 * With `compliance`, one more long GET per compliance stream and partition, whose events become
 * post and account deletions; they reconnect on their own, with the same rules.
 */
export class XCollector implements Collector {
  readonly name: string;
  readonly #options: XSourceOptions;
  readonly #log: Logger;
  readonly #clock: LiveClock;
  readonly #token: Secret;
  readonly #fetch: XFetch;
  readonly #runner: LiveCollectorRunner;
  readonly #handler: FrameHandler;
  readonly #connectors: LiveConnector[];
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
    const posts = new XFrameHandler(options, { source: this.name, log: this.#log, stats });
    this.#runner = new LiveCollectorRunner(options, { log: this.#log, clock: this.#clock, stats });
    const origin = safeUrl(new URL('/2/tweets/search/stream', options.url));
    this.#connectors = [{ label: origin, backoff: new XBackoff(options.backoff), open: (sink, signal) => this.#open(origin, sink, signal) }];
    const compliance = this.#complianceConnectors();
    this.#connectors.push(...compliance);
    if (compliance.length === 0) {
      this.#handler = posts;
    } else {
      const handler = new XComplianceFrameHandler({ source: this.name, log: this.#log, stats, dedupeCapacity: options.dedupeCapacity, maxFrameBytes: options.maxFrameBytes });
      this.#handler = new OriginRoutedHandler(new Map(compliance.map((c) => [c.label, handler])), posts);
    }
  }

  /** URLs of the compliance connections (one per stream and partition; reconnects add `backfill_minutes`), empty when compliance is off. */
  complianceUrls(): string[] {
    const compliance = this.#options.compliance;
    if (compliance === undefined) return [];
    const urls: string[] = [];
    for (const stream of ['posts', 'users'] as const) {
      if (!compliance[stream]) continue;
      for (const partition of compliance.partitions) {
        const url = new URL(COMPLIANCE_PATHS[stream], this.#options.url);
        url.searchParams.set('partition', String(partition));
        urls.push(url.toString());
      }
    }
    return urls;
  }

  #complianceConnectors(): LiveConnector[] {
    return this.complianceUrls().map((first) => {
      const origin = safeUrl(first);
      let sessions = 0;
      const open = async (sink: FrameSink, signal: AbortSignal): Promise<LiveSession> => {
        const url = new URL(first);
        const backfill = this.#options.compliance?.backfillMinutes ?? 0;
        if (sessions > 0 && backfill > 0) url.searchParams.set('backfill_minutes', String(backfill));
        const session = await this.#openStream(url.toString(), origin, sink, signal, (status, body) => this.#complianceRejection(origin, status, body));
        sessions++;
        return session;
      };
      return { label: origin, backoff: new XBackoff(this.#options.backoff), open };
    });
  }

  /** The stream URL; reconnects add `backfill_minutes` when configured. */
  streamUrl(reconnect: boolean): string {
    const url = new URL('/2/tweets/search/stream', this.#options.url);
    for (const [name, value] of STREAM_PARAMS) url.searchParams.set(name, value);
    if (reconnect && this.#options.backfillMinutes > 0) url.searchParams.set('backfill_minutes', String(this.#options.backfillMinutes));
    return url.toString();
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
    const session = await this.#openStream(this.streamUrl(this.#sessions > 0), origin, sink, signal, (status, body) => this.#rejection(origin, status, body));
    this.#sessions++;
    return session;
  }

  #openStream(url: string, origin: string, sink: FrameSink, signal: AbortSignal, onRejected: (status: number, body: string) => Error): Promise<LiveSession> {
    return openXStreamSession(
      {
        url,
        origin,
        headers: { authorization: `Bearer ${this.#token.reveal()}` },
        stallTimeoutMs: this.#options.stallTimeoutMs,
        connectTimeoutMs: this.#options.connectTimeoutMs,
        maxLineBytes: this.#options.maxFrameBytes,
        clock: this.#clock,
        onRejected,
      },
      sink,
      signal,
    );
  }

  /** As `#rejection`, but a 403 here usually means the App lacks the Enterprise access compliance streams need. */
  #complianceRejection(origin: string, status: number, body: string): Error {
    if (status !== 403) return this.#rejection(origin, status, body);
    const detail = `HTTP ${status}${body === '' ? '' : `: ${body.replace(/\s+/g, ' ').slice(0, 300)}`}`;
    return new ConfigError(
      ErrorCodes.SOURCE_AUTH,
      `source "${this.name}": X refused the compliance stream ${origin} (${detail}); compliance streams need Enterprise access: remove compliance from the source or use an App that has it`,
    );
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
