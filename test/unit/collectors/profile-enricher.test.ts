import { describe, expect, it } from 'vitest';
import { enrichmentOptionsForTest } from './support/enricher-options.ts';
import { ProfileEnricher } from '../../../src/collectors/jetstream/profile-enricher.ts';
import type { FetchLike } from '../../../src/collectors/jetstream/types.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { fixture, ManualClock, settle } from './support/manual-clock.ts';

interface Call {
  actors: string[];
  respond(status: number, body?: unknown): void;
  fail(err: Error): void;
}

/** A fetch whose answers the test gives by hand. */
function manualFetch() {
  const calls: Call[] = [];
  const fetch: FetchLike = (url) =>
    new Promise<Response>((resolve, reject) => {
      calls.push({
        actors: new URL(url).searchParams.getAll('actors'),
        respond: (status, body = { profiles: [] }) => resolve(new Response(JSON.stringify(body), { status })),
        fail: reject,
      });
    });
  return { calls, fetch };
}

function profiles(dids: string[]) {
  return { profiles: dids.map((did, i) => ({ did, handle: `h${i}.example`, followersCount: i, createdAt: '2024-01-02T03:04:05.000Z' })) };
}

function setup(overrides: Partial<ReturnType<typeof enrichmentOptionsForTest>> = {}) {
  const clock = new ManualClock();
  const { calls, fetch } = manualFetch();
  const enricher = new ProfileEnricher({ ...enrichmentOptionsForTest(), ...overrides }, { log: silentLogger(), clock, fetch });
  return { clock, calls, enricher };
}

const dids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `did:plc:author${String(i + from).padStart(4, '0')}`);

describe('ProfileEnricher', () => {
  it('answers from the cache at once and batches unknown authors 25 to a call', async () => {
    const { clock, calls, enricher } = setup();
    for (const did of dids(30)) expect(enricher.lookup(did)).toBeUndefined();
    await clock.advance(0);
    expect(calls.map((c) => c.actors.length)).toEqual([25]);
    calls[0]!.respond(200, profiles(dids(25)));
    await settle();
    expect(enricher.lookup(dids(1)[0]!)).toEqual({ handle: 'h0.example', followers: 0, createdAt: '2024-01-02T03:04:05.000Z' });
    // The rest goes in the next call, no sooner than the rate limit allows (2 calls/s).
    await clock.advance(499);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    expect(calls[1]?.actors).toEqual(dids(5, 25));
  });

  it('waits a little for a batch to fill before calling with fewer authors', async () => {
    const { clock, calls, enricher } = setup({ batchWaitMs: 250 });
    enricher.lookup('did:plc:one');
    await clock.advance(249);
    enricher.lookup('did:plc:two');
    expect(calls).toHaveLength(0);
    await clock.advance(1);
    expect(calls[0]?.actors).toEqual(['did:plc:one', 'did:plc:two']);
  });

  it('remembers authors the API did not return, and parses the reference response', async () => {
    const { clock, calls, enricher } = setup();
    const response = fixture<{ profiles: Array<{ did: string }> }>('jetstream/get-profiles-response.json');
    enricher.lookup('did:plc:r4vk2m7xq3bz6hdu5tcnelwo');
    enricher.lookup('did:plc:gone');
    await clock.advance(0);
    calls[0]!.respond(200, response);
    await enricher.whenIdle();
    expect(enricher.lookup('did:plc:r4vk2m7xq3bz6hdu5tcnelwo')).toEqual({ handle: 'veille-electorale.example.fr', followers: 18342, createdAt: '2024-11-13T09:41:07.418Z' });
    expect(enricher.lookup('did:plc:gone')).toEqual({});
    await clock.advance(10_000);
    expect(calls).toHaveLength(1);
  });

  it('goes offline after a failed call: lookups stop queueing until offlineRetryMs has passed', async () => {
    const { clock, calls, enricher } = setup({ offlineRetryMs: 60_000 });
    enricher.lookup('did:plc:a');
    await clock.advance(0);
    calls[0]!.fail(new TypeError('fetch failed'));
    await enricher.whenIdle();
    expect(enricher.stats()).toMatchObject({ offline: true, failedCalls: 1 });
    enricher.lookup('did:plc:b');
    await clock.advance(59_000);
    expect(calls).toHaveLength(1);
    await clock.advance(1_000);
    enricher.lookup('did:plc:b');
    await clock.advance(0);
    expect(calls[1]?.actors).toEqual(['did:plc:b']);
    expect(enricher.stats().skipped).toBeGreaterThanOrEqual(2);
  });

  it('treats an HTTP error as a failure, and refreshes entries older than the TTL', async () => {
    const { clock, calls, enricher } = setup({ cacheTtlMs: 10_000, offlineRetryMs: 1_000 });
    enricher.lookup('did:plc:a');
    await clock.advance(0);
    calls[0]!.respond(503);
    await enricher.whenIdle();
    expect(enricher.stats().failedCalls).toBe(1);
    await clock.advance(1_000);
    enricher.lookup('did:plc:a');
    await clock.advance(0);
    calls[1]!.respond(200, profiles(['did:plc:a']));
    await enricher.whenIdle();
    await clock.advance(10_001);
    // Stale: still answered, and refreshed in the background.
    expect(enricher.lookup('did:plc:a')).toMatchObject({ handle: 'h0.example' });
    await clock.advance(0);
    expect(calls).toHaveLength(3);
  });

  it('skips authors beyond maxPending instead of growing', async () => {
    const { enricher } = setup({ maxPending: 3 });
    for (const did of dids(5)) enricher.lookup(did);
    expect(enricher.stats()).toMatchObject({ pending: 3, skipped: 2 });
    await enricher.close();
    expect(enricher.stats().pending).toBe(0);
  });
});
