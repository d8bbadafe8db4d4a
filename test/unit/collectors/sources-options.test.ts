import { describe, expect, it } from 'vitest';
import { createCollector, createCollectors } from '../../../src/collectors/create-collector.ts';
import { JetstreamCollector } from '../../../src/collectors/jetstream/index.ts';
import { MastodonCollector } from '../../../src/collectors/mastodon/index.ts';
import { SourcesOptionsSchema } from '../../../src/collectors/options.ts';
import { ReplayCollector } from '../../../src/collectors/replay/index.ts';
import { XCollector } from '../../../src/collectors/x/index.ts';
import { parseConfig } from '../../../src/config/index.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { silentLogger } from '../../../src/log/index.ts';

function configError(raw: unknown): string {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

const example = {
  sources: [
    { type: 'jetstream' },
    { type: 'mastodon', instances: [{ url: 'https://mastodon.social', tokenEnv: 'MASTODON_SOCIAL_TOKEN', streams: ['#MacronLeaks', 'public:local'] }] },
    { type: 'x', bearerTokenEnv: 'X_BEARER_TOKEN', rules: [{ value: '#MacronLeaks lang:fr', tag: 'macronleaks' }] },
    { type: 'replay', name: 'archive', file: 'posts.jsonl.gz', speed: 60 },
  ],
};

describe('sources configuration', () => {
  it('is optional, and accepts the documented example with defaults filled in', () => {
    expect(parseConfig({}).sources).toEqual([]);
    const sources = parseConfig(example).sources;
    expect(sources.map((s) => s.type)).toEqual(['jetstream', 'mastodon', 'x', 'replay']);
    expect(sources[0]).toMatchObject({ url: 'wss://jetstream2.us-east.bsky.network/subscribe', wantedCollections: ['app.bsky.feed.post', 'app.bsky.feed.repost'], rewindSeconds: 5, enrich: { enabled: false } });
    expect(sources[1]).toMatchObject({ instances: [{ streams: [{ stream: 'hashtag', tag: 'MacronLeaks' }, { stream: 'public:local' }] }] });
    expect(sources[2]).toMatchObject({ url: 'https://api.x.com', stallTimeoutMs: 30_000, backoff: { networkStepMs: 250, httpInitialMs: 5_000, rateLimitedInitialMs: 60_000 } });
  });

  it('names the allowed types when a type is unknown', () => {
    expect(configError({ sources: [{ type: 'bluesky' }] })).toContain('sources.0.type = "bluesky": unknown source type; allowed types: jetstream, mastodon, x, replay');
  });

  it('names the source and instance when a token is missing', () => {
    expect(configError({ sources: [{ type: 'mastodon', name: 'fr', instances: [{ url: 'https://mastodon.social', streams: ['public'] }] }] })).toContain(
      'sources.0.instances.0.token = missing: source "fr": instance https://mastodon.social needs an access token (set token or tokenEnv)',
    );
    expect(configError({ sources: [{ type: 'x' }] })).toContain('sources.0.bearerToken = missing: source "x" needs an X bearer token (set bearerToken or bearerTokenEnv)');
  });

  it('refuses misspelt keys, bad URLs, unknown streams and duplicate names', () => {
    expect(configError({ sources: [{ type: 'jetstream', wantedCollection: ['app.bsky.feed.post'] }] })).toContain('Unrecognized key: "wantedCollection"');
    expect(configError({ sources: [{ type: 'jetstream', url: 'https://jetstream.example/subscribe' }] })).toMatch(/sources\.0\.url = "https:\/\/jetstream\.example\/.*": a ws:\/\/ or wss:\/\/ URL/);
    expect(configError({ sources: [{ type: 'mastodon', instances: [{ url: 'https://m.example', token: 't', streams: ['home'] }] }] })).toContain(
      'unknown Mastodon stream; allowed: hashtag, hashtag:local, public',
    );
    expect(configError({ sources: [{ type: 'jetstream' }, { type: 'jetstream' }] })).toContain('source name "jetstream" is already used by sources.0');
  });

  it('never shows a token in its errors or when the parsed config is logged', () => {
    const message = configError({ sources: [{ type: 'x', bearerToken: 'sekrit-123', backfillMinutes: 9 }] });
    expect(message).toContain('backfillMinutes');
    expect(message).not.toContain('sekrit-123');
    const parsed = parseConfig({ sources: [{ type: 'mastodon', instances: [{ url: 'https://m.example', token: 'sekrit-456', streams: ['public'] }] }] });
    expect(JSON.stringify(parsed)).not.toContain('sekrit-456');
    expect(JSON.stringify(parsed)).toContain('[redacted]');
  });
});

describe('createCollector', () => {
  it('builds the collector each source describes', async () => {
    const sources = SourcesOptionsSchema.parse(example.sources);
    const env = { MASTODON_SOCIAL_TOKEN: 'm', X_BEARER_TOKEN: 'x' };
    const collectors = await createCollectors(sources, { log: silentLogger(), env });
    expect(collectors.map((c) => c.constructor)).toEqual([JetstreamCollector, MastodonCollector, XCollector, ReplayCollector]);
    expect(collectors.map((c) => c.name)).toEqual(['jetstream', 'mastodon', 'x', 'replay']);
    await Promise.all(collectors.map((c) => c.close()));
  });

  it('fails before connecting when a token variable is unset, naming the source', async () => {
    const sources = SourcesOptionsSchema.parse(example.sources);
    await expect(createCollectors(sources, { log: silentLogger(), env: { MASTODON_SOCIAL_TOKEN: 'm' } })).rejects.toThrow(
      'source "x": X bearer token: environment variable X_BEARER_TOKEN is not set',
    );
    expect(() => createCollector(sources[1]!, { log: silentLogger(), env: {} })).toThrow(
      'source "mastodon": mastodon instance https://mastodon.social: environment variable MASTODON_SOCIAL_TOKEN is not set',
    );
  });
});
