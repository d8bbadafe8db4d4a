import { describe, expect, it } from 'vitest';
import { AlertsOptionsSchema, resolveOutboxDir } from '../../../src/alerts/index.ts';
import { parseConfig } from '../../../src/config/index.ts';

const secret = '0123456789abcdef-secret';

function issues(input: unknown): string[] {
  const result = AlertsOptionsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('alerts options', () => {
  it('defaults: no subscribers, https only, 15 min cooldown', () => {
    const options = AlertsOptionsSchema.parse({});
    expect(options).toMatchObject({ subscribers: [], allowInsecureHttp: false, updateCooldownMinutes: 15, timeoutMs: 10_000 });
    expect(options.retry).toEqual({ initialDelayMs: 5_000, maxDelayMs: 600_000, maxAgeMinutes: 1_440, jitter: 0.2 });
  });

  it('a subscriber gets default filters and format; tag patterns are normalized like tags', () => {
    const options = AlertsOptionsSchema.parse({
      subscribers: [{ name: 'observers', url: 'https://hooks.example.org/tw', secret, filters: { tags: ['#MacronLeaks', '＃Élection*'] } }],
    });
    expect(options.subscribers[0]).toEqual({
      name: 'observers',
      url: 'https://hooks.example.org/tw',
      secret,
      format: 'json',
      filters: { tags: ['macronleaks', 'élection*'], kinds: [], minScore: 0 },
    });
  });

  it('requires https except to loopback, unless allowInsecureHttp', () => {
    expect(issues({ subscribers: [{ name: 'a', url: 'http://hooks.example.org/x', secret }] })).toEqual([
      'subscribers.0.url: https is required for hooks.example.org (plain http is allowed only to loopback, or with alerts.allowInsecureHttp: true)',
    ]);
    for (const url of ['http://127.0.0.1:9000/x', 'http://localhost/x', 'http://[::1]:8080/x']) {
      expect(issues({ subscribers: [{ name: 'a', url, secret }] })).toEqual([]);
    }
    expect(issues({ allowInsecureHttp: true, subscribers: [{ name: 'a', url: 'http://10.1.2.3/x', secret }] })).toEqual([]);
  });

  it('names each bad key with what is allowed', () => {
    expect(
      issues({
        subscribers: [
          { name: 'bad name', url: 'ftp://x.example.org', secret: 'short', format: 'xml', filters: { tags: ['two words'], minScore: -1 } },
          { name: 'dup', url: 'https://user:pw@x.example.org/', secret },
          { name: 'dup', url: 'https://x.example.org/', secret, colour: 'red' },
        ],
        retry: { initialDelayMs: 10_000, maxDelayMs: 1_000 },
      }),
    ).toEqual(
      expect.arrayContaining([
        'subscribers.0.name: a name of 1–64 letters, digits, "_", "-" or "."',
        'subscribers.0.url: an http(s) URL',
        'subscribers.0.secret: a secret of at least 16 characters (shared with the receiver to verify signatures)',
        expect.stringMatching(/^subscribers\.0\.format: /),
        expect.stringMatching(/^subscribers\.0\.filters\.tags\.0: a tag pattern/),
        expect.stringMatching(/^subscribers\.0\.filters\.minScore: /),
        expect.stringMatching(/^subscribers\.2: Unrecognized key/),
      ]),
    );
    const all = issues({
      subscribers: [
        { name: 'dup', url: 'https://user:pw@x.example.org/', secret },
        { name: 'dup', url: 'https://x.example.org/', secret },
      ],
      retry: { initialDelayMs: 10_000, maxDelayMs: 1_000 },
    });
    expect(all).toEqual([
      expect.stringMatching(/^subscribers\.0\.url: credentials in the URL are not allowed/),
      'subscribers.1.name: duplicate subscriber name "dup"',
      'retry.maxDelayMs: must be at least retry.initialDelayMs',
    ]);
  });

  it('is the `alerts` section of the config, and its error never shows the secret', () => {
    expect(parseConfig({}).alerts.subscribers).toEqual([]);
    let message = '';
    try {
      parseConfig({ alerts: { subscribers: [{ name: 'x', url: 'https://x.example.org/', secret: 'tooshort-secret' }] } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('alerts.subscribers.0.secret = [redacted]');
    expect(message).not.toContain('tooshort-secret');
  });

  it('outbox defaults to alerts-outbox beside the store directory', () => {
    expect(resolveOutboxDir({}, '/var/lib/tagwatch/data')).toBe('/var/lib/tagwatch/alerts-outbox');
    expect(resolveOutboxDir({ outboxDir: '/srv/outbox' }, '/var/lib/tagwatch/data')).toBe('/srv/outbox');
  });
});
