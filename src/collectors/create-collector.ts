import type { Logger } from 'pino';
import { JetstreamCollector } from './jetstream/jetstream-collector.ts';
import type { FetchLike } from './jetstream/types.ts';
import type { LiveClock } from './live/clock.ts';
import type { ParentTagResolver } from './live/parent-tags.ts';
import { MastodonCollector } from './mastodon/mastodon-collector.ts';
import type { SourceOptions } from './options.ts';
import { ReplayCollector } from './replay/replay-collector.ts';
import type { Collector } from './types.ts';
import { XCollector } from './x/x-collector.ts';

export interface CollectorDeps {
  log: Logger;
  /** Where `tokenEnv`/`bearerTokenEnv` are looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Live sources' time and timers (tests). */
  clock?: LiveClock;
  /** Store lookup of reposted posts' tags, for Bluesky reposts of posts older than the collector's cache. */
  parentTags?: ParentTagResolver;
  /** HTTP client for profile enrichment and X rules (tests). */
  fetch?: FetchLike & ((url: string, init: RequestInit) => Promise<Response>);
  /** Directory for state live sources keep across restarts (Jetstream's resume cursor): the store's data directory. */
  stateDir?: string;
}

/**
 * Builds the collector a `sources` entry describes. Credentials named by environment variable are
 * resolved here: a missing one throws a `ConfigError` naming the source before anything connects.
 */
export function createCollector(source: SourceOptions, deps: CollectorDeps): Collector {
  const common = { log: deps.log, ...(deps.clock === undefined ? {} : { clock: deps.clock }) };
  const env = deps.env === undefined ? {} : { env: deps.env };
  const fetch = deps.fetch === undefined ? {} : { fetch: deps.fetch };
  switch (source.type) {
    case 'jetstream':
      return new JetstreamCollector(source, {
        ...common,
        ...fetch,
        ...(deps.parentTags === undefined ? {} : { parentTags: deps.parentTags }),
        ...(deps.stateDir === undefined ? {} : { stateDir: deps.stateDir }),
      });
    case 'mastodon':
      return new MastodonCollector(source, { ...common, ...env, ...fetch });
    case 'x':
      return new XCollector(source, { ...common, ...env, ...fetch });
    case 'replay':
      return new ReplayCollector(source, deps.log.child({ source: source.name ?? 'replay' }));
  }
}

/** One collector per source, in order; if one cannot be built, those already built are closed. */
export async function createCollectors(sources: readonly SourceOptions[], deps: CollectorDeps): Promise<Collector[]> {
  const built: Collector[] = [];
  try {
    for (const source of sources) built.push(createCollector(source, deps));
  } catch (err) {
    await Promise.all(built.map((c) => c.close()));
    throw err;
  }
  return built;
}
