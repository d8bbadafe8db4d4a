import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JetstreamCollector, JetstreamSourceOptionsSchema, ProfileEnricher } from '../../../src/collectors/jetstream/index.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { parsePost } from '../../../src/model/index.ts';
import { captureLog } from './support/capture-log.ts';
import { frame, json } from './support/fixtures.ts';
import { RecordingOutput } from './support/recording-output.ts';
import { startCollector } from './support/running-collector.ts';
import { CapturedTimerClock, InstantSleepClock } from './support/test-clock.ts';
import { floodUntilBackedUp, WsProtocolServer } from './support/ws-protocol-server.ts';

const POST_URI = 'at://did:plc:r4vk2m7xq3bz6hdu5tcnelwo/app.bsky.feed.post/3mvioxv72w227';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(overrides: Record<string, unknown> = {}, serverOptions: Parameters<typeof WsProtocolServer.start>[0] = {}) {
  const server = await WsProtocolServer.start(serverOptions);
  const clock = new InstantSleepClock();
  const options = JetstreamSourceOptionsSchema.parse({ type: 'jetstream', url: server.url('/subscribe'), statsIntervalMs: 0, ...overrides });
  const collector = new JetstreamCollector(options, { log: silentLogger(), clock });
  const { output, abort, running } = startCollector(collector, cleanups, () => server.close());
  return { server, clock, collector, output, abort, running };
}

/** A post create at `timeUs` with its own rkey, as Jetstream sends it. */
function postFrame(i: number, timeUs: number, text = `post ${i} #MacronLeaks`): string {
  return JSON.stringify({
    did: 'did:plc:kq5tzx3mcv2alr7ehg4ybpnd',
    time_us: timeUs,
    kind: 'commit',
    commit: {
      rev: `rev${i}`,
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: `rk${String(i).padStart(6, '0')}`,
      record: {
        $type: 'app.bsky.feed.post',
        createdAt: new Date(Math.floor(timeUs / 1000)).toISOString(),
        text,
        langs: ['fr'],
        facets: [{ index: { byteStart: text.indexOf('#'), byteEnd: text.length }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'MacronLeaks' }] }],
      },
      cid: `bafy${i}`,
    },
  });
}

const T0 = 1_789_408_931_482_913;

describe('Jetstream collector against a local Jetstream server', () => {
  it('maps the reference frames to exactly the expected posts, reposts, deletion and account takedown', async () => {
    const { server, output, collector } = await setup();
    const conn = await server.nextConnection();
    expect(conn.url.pathname).toBe('/subscribe');
    expect(conn.url.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post', 'app.bsky.feed.repost']);
    expect(conn.url.searchParams.has('cursor')).toBe(false);
    expect(conn.url.searchParams.has('compress')).toBe(false);
    // In server order (time_us): post, like, repost, reply+quote, repost via, identity, delete, account.
    for (const name of ['post', 'like', 'repost', 'reply-quote-v2server', 'repost-via', 'identity', 'delete', 'account']) {
      conn.socket.send(frame(`jetstream/${name}.json`));
    }
    await output.until(() => output.deletionRecords.length === 2);

    const author = 'did:plc:r4vk2m7xq3bz6hdu5tcnelwo';
    expect(output.postInputs).toEqual([
      {
        platform: 'bluesky',
        id: POST_URI,
        author: { id: author },
        createdAt: '2026-09-14T18:02:11.120Z',
        text: 'Des « documents internes » circulent déjà avant le second tour. Vérifiez la source avant de partager ! #MacronLeaks #Présidentielle2027 example.org/fuites-2027',
        tags: ['MacronLeaks', 'Présidentielle2027'],
        kind: 'original',
        lang: 'fr',
        urls: ['https://example.org/fuites-2027'],
      },
      {
        platform: 'bluesky',
        id: 'at://did:plc:f2hw6yq4nczo3ltke7ubaxim/app.bsky.feed.repost/3mvip2khaoc24',
        author: { id: 'did:plc:f2hw6yq4nczo3ltke7ubaxim' },
        createdAt: '2026-09-14T18:03:40.517Z',
        text: '',
        tags: ['MacronLeaks', 'Présidentielle2027'],
        kind: 'repost',
        parentId: POST_URI,
      },
      {
        platform: 'bluesky',
        id: 'at://did:plc:kq5tzx3mcv2alr7ehg4ybpnd/app.bsky.feed.post/3mvip4uauws2f',
        author: { id: 'did:plc:kq5tzx3mcv2alr7ehg4ybpnd' },
        createdAt: '2026-09-14T18:04:57.903Z',
        text: 'Même texte copié-collé par 40 comptes créés cette semaine. Signalé. #macronleaks 🧵',
        tags: ['macronleaks', 'Désinformation'],
        kind: 'reply',
        parentId: POST_URI,
        lang: 'fr',
      },
      {
        platform: 'bluesky',
        id: 'at://did:plc:7u2lbnqzv5xejy4ocmhwdfta/app.bsky.feed.repost/3mvip72wb722c',
        author: { id: 'did:plc:7u2lbnqzv5xejy4ocmhwdfta' },
        createdAt: '2026-09-14T18:06:12.004Z',
        text: '',
        tags: ['MacronLeaks', 'Présidentielle2027'],
        kind: 'repost',
        parentId: POST_URI,
      },
    ]);
    // Every post is one ingest accepts, with the tags normalized as stored.
    expect(output.postInputs.map((p) => parsePost(p).tags)).toEqual([
      ['macronleaks', 'présidentielle2027'],
      ['macronleaks', 'présidentielle2027'],
      ['macronleaks', 'désinformation'],
      ['macronleaks', 'présidentielle2027'],
    ]);
    expect(output.postRecords[0]?.origin).toBe(`jetstream:${server.url('/subscribe')}`);
    // The delete commit, then the account taken down: an account-level deletion of its DID.
    expect(output.deletionRecords).toEqual([
      { platform: 'bluesky', id: POST_URI, at: expect.any(Number) },
      { platform: 'bluesky', id: 'did:plc:7u2lbnqzv5xejy4ocmhwdfta', at: expect.any(Number), scope: 'account' },
    ]);
    expect(output.deadLetterRecords).toEqual([]);
    const stats = collector.stats();
    expect(stats).toMatchObject({ frames: 8, posts: 4, deletions: 2, ignored: 2, unresolvedReposts: 0, reconnects: 0, connections: 1 });
    expect(stats.lastEventTs).toBe(Date.parse('2026-09-14T18:06:12.004Z'));
  });

  it('resumes from the last time_us minus the rewind after the server closes, handing each post on once', async () => {
    const { server, output, collector, clock } = await setup({ rewindSeconds: 5 });
    const events = Array.from({ length: 30 }, (_, i) => ({ timeUs: T0 + i * 1_000_000, frame: postFrame(i, T0 + i * 1_000_000) }));
    const first = await server.nextConnection();
    for (const e of events.slice(0, 20)) first.socket.send(e.frame);
    await output.until(() => output.postRecords.length === 20);
    first.socket.close(1001, 'going away');

    const second = await server.nextConnection();
    const cursor = Number(second.url.searchParams.get('cursor'));
    expect(cursor).toBe(events[19]!.timeUs - 5_000_000);
    expect(second.url.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post', 'app.bsky.feed.repost']);
    // Like Jetstream, replay everything from the cursor on (at-least-once).
    for (const e of events.filter((e) => e.timeUs >= cursor)) second.socket.send(e.frame);
    await output.until(() => output.postRecords.length === 30);
    second.socket.send(events[29]!.frame);
    second.socket.send(postFrame(30, T0 + 30_000_000));
    await output.until(() => output.postRecords.length === 31);

    expect(new Set(output.postIds).size).toBe(31);
    // Events 14..19 come again (the cursor is inclusive), and event 29 once more.
    expect(collector.stats()).toMatchObject({ reconnects: 1, duplicates: 7 });
    // One reconnect, after the first backoff step (250 ms, jitter in its upper half).
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(125);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(250);
  });

  it('keeps the cursor of the events handed on in a file, and a restarted collector resumes from it minus the rewind', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tagwatch-cursor-'));
    cleanups.push(async () => rmSync(stateDir, { recursive: true, force: true }));
    const cursorPath = join(stateDir, 'collectors', 'bsky.cursor.json');
    const savedCursor = (): number | undefined => {
      try {
        return (JSON.parse(readFileSync(cursorPath, 'utf8')) as { cursor: number }).cursor;
      } catch {
        return undefined;
      }
    };
    const server = await WsProtocolServer.start();
    cleanups.push(() => server.close());
    const events = Array.from({ length: 12 }, (_, i) => ({ timeUs: T0 + i * 1_000_000, frame: postFrame(i, T0 + i * 1_000_000) }));
    const options = JetstreamSourceOptionsSchema.parse({ type: 'jetstream', name: 'bsky', url: server.url('/subscribe'), statsIntervalMs: 0, rewindSeconds: 5, cursorSaveIntervalMs: 12_345 });

    const clock = new CapturedTimerClock(12_345);
    const first = new JetstreamCollector(options, { log: silentLogger(), clock, stateDir });
    const output = new RecordingOutput();
    const abort = new AbortController();
    const running = first.run(output, abort.signal);
    const conn = await server.nextConnection();
    expect(conn.url.searchParams.has('cursor')).toBe(false);
    for (const e of events.slice(0, 5)) conn.socket.send(e.frame);
    await output.until(() => output.postRecords.length === 5);
    // A slow pipeline: events 5..9 are read but not handed on, so the periodic save keeps event 4.
    const release = output.hold();
    for (const e of events.slice(5, 10)) conn.socket.send(e.frame);
    await output.until(() => output.pendingPostCalls === 1);
    expect(clock.fire()).toBe(1);
    await vi.waitFor(() => expect(savedCursor()).toBe(events[4]!.timeUs));
    release();
    await output.until(() => output.postRecords.length === 10);
    abort.abort();
    await running;
    await first.close();
    // Stopping saves the last event handed on.
    expect(savedCursor()).toBe(events[9]!.timeUs);
    expect(readFileSync(cursorPath, 'utf8')).toMatch(/^\{"cursor":\d+,"savedAt":"[^"]+"\}\n$/);

    // A new process: the first connection resumes 5 s before the saved event.
    const second = new JetstreamCollector(options, { log: silentLogger(), clock: new InstantSleepClock(), stateDir });
    const again = new RecordingOutput();
    const stop = new AbortController();
    const rerun = second.run(again, stop.signal);
    const resumed = await server.nextConnection();
    expect(Number(resumed.url.searchParams.get('cursor'))).toBe(events[9]!.timeUs - 5_000_000);
    for (const e of events.slice(5)) resumed.socket.send(e.frame);
    await again.until(() => again.postRecords.length === 7);
    stop.abort();
    await rerun;
    await second.close();
    expect(savedCursor()).toBe(events[11]!.timeUs);
  });

  it('starts live, with a warning, when the cursor file is unreadable; `cursorFile: false` keeps none', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tagwatch-cursor-'));
    cleanups.push(async () => rmSync(stateDir, { recursive: true, force: true }));
    const broken = join(stateDir, 'broken.json');
    writeFileSync(broken, '{"cursor": "yesterday"}');
    const captured = captureLog();
    const server = await WsProtocolServer.start();
    cleanups.push(() => server.close());
    const collector = new JetstreamCollector(
      JetstreamSourceOptionsSchema.parse({ type: 'jetstream', url: server.url('/subscribe'), statsIntervalMs: 0, cursorFile: broken }),
      { log: captured.log, clock: new InstantSleepClock() },
    );
    const abort = new AbortController();
    const running = collector.run(new RecordingOutput(), abort.signal);
    const conn = await server.nextConnection();
    expect(conn.url.searchParams.has('cursor')).toBe(false);
    expect(captured.text()).toContain('resume cursor file has the wrong shape; starting live');
    abort.abort();
    await running;
    await collector.close();

    const off = new JetstreamCollector(JetstreamSourceOptionsSchema.parse({ type: 'jetstream', name: 'off', url: server.url('/subscribe'), statsIntervalMs: 0, cursorFile: false }), {
      log: silentLogger(),
      clock: new InstantSleepClock(),
      stateDir,
    });
    const output = new RecordingOutput();
    const stop = new AbortController();
    const run = off.run(output, stop.signal);
    (await server.nextConnection()).socket.send(postFrame(1, T0));
    await output.until(() => output.postRecords.length === 1);
    stop.abort();
    await run;
    await off.close();
    expect(() => readFileSync(join(stateDir, 'collectors', 'off.cursor.json'))).toThrow(/ENOENT/);
  });

  it('reconnects when the server goes silent past the idle timeout, and resumes', async () => {
    const { server, output, collector } = await setup({ idleTimeoutMs: 150 });
    const first = await server.nextConnection();
    for (let i = 0; i < 5; i++) first.socket.send(postFrame(i, T0 + i * 1_000_000));
    // Then nothing: no frames, no pings. The collector must give up on this socket by itself.
    const second = await server.nextConnection();
    expect(Number(second.url.searchParams.get('cursor'))).toBe(T0 + 4_000_000 - 5_000_000);
    await first.closed;
    for (let i = 0; i < 10; i++) second.socket.send(postFrame(i, T0 + i * 1_000_000));
    await output.until(() => output.postRecords.length === 10);
    expect(output.postIds).toEqual(Array.from({ length: 10 }, (_, i) => `at://did:plc:kq5tzx3mcv2alr7ehg4ybpnd/app.bsky.feed.post/rk${String(i).padStart(6, '0')}`));
    expect(collector.stats()).toMatchObject({ reconnects: 1, duplicates: 5 });
  });

  it('dead-letters malformed and oversized frames with the raw frame and reason, and the stream continues', async () => {
    const { server, output, collector } = await setup({ maxFrameBytes: 2_048 });
    const conn = await server.nextConnection();
    const broken = [
      '{"did":"did:plc:x","time_us":1789408931482913,"kind":"commit","commit":{',
      JSON.stringify({ did: 'did:plc:x', kind: 'commit' }),
      JSON.stringify({ did: 'did:plc:x', time_us: T0, kind: 'commit', commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.post', rkey: 'k', record: { createdAt: 'x' } } }),
      postFrame(99, T0 + 99, `${'x'.repeat(5_000)} #MacronLeaks`),
    ];
    conn.socket.send(postFrame(1, T0 + 1));
    for (const b of broken) conn.socket.send(b);
    conn.socket.send(postFrame(2, T0 + 2));
    await output.until(() => output.postRecords.length === 2 && output.deadLetterRecords.length === 4);

    expect(output.postIds).toEqual([
      'at://did:plc:kq5tzx3mcv2alr7ehg4ybpnd/app.bsky.feed.post/rk000001',
      'at://did:plc:kq5tzx3mcv2alr7ehg4ybpnd/app.bsky.feed.post/rk000002',
    ]);
    const letters = output.deadLetterRecords;
    expect(letters.map((d) => d.code)).toEqual(['TW_JSON_INVALID', 'TW_FRAME_INVALID', 'TW_FRAME_INVALID', 'TW_FRAME_TOO_LARGE']);
    expect(letters.every((d) => d.source === 'jetstream' && d.ref.startsWith(server.url('/subscribe')))).toBe(true);
    expect(letters[0]?.payload).toBe(broken[0]);
    expect(letters[1]?.reason).toMatch(/time_us/);
    expect(letters[2]?.reason).toMatch(/text/);
    expect(letters[3]?.reason).toMatch(/larger than maxFrameBytes \(2048\)/);
    expect(letters[3]?.payload).toBe(broken[3]);
    expect(collector.stats()).toMatchObject({ reconnects: 0, deadLettered: 4, posts: 2 });
  });

  it('pauses the socket while the pipeline is slow, so memory stays bounded, then delivers everything once', async () => {
    const { server, output, collector } = await setup({ maxBufferedFrames: 200, maxBatchFrames: 100 });
    const release = output.hold();
    const conn = await server.nextConnection();
    const padding = 'p'.repeat(900);
    const sent = await floodUntilBackedUp(conn.socket, (i) => postFrame(i, T0 + i, `${padding} ${i} #MacronLeaks`), 4 * 1024 * 1024, 200_000);

    // The server could not hand the kernel more: the client stopped reading.
    expect(conn.socket.bufferedAmount).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    const stats = collector.stats();
    expect(stats.paused).toBe(true);
    expect(output.pendingPostCalls).toBe(1);
    // Frames read and held stay far below what the server tried to send.
    expect(stats.bufferedFrames).toBeLessThanOrEqual(1_000);
    expect(stats.frames).toBeLessThanOrEqual(1_100);
    expect(sent).toBeGreaterThan(5 * stats.frames);

    release();
    await output.until(() => output.postRecords.length === sent);
    expect(new Set(output.postIds).size).toBe(sent);
    expect(collector.stats()).toMatchObject({ paused: false, reconnects: 0, bufferedFrames: 0 });
  });

  it('enriches authors from getProfiles in the background without holding the stream', async () => {
    const profileRequests: URL[] = [];
    const api: Server = createServer((req, res) => {
      profileRequests.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(frame('jetstream/get-profiles-response.json'));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => api.close(() => resolve())));
    const server = await WsProtocolServer.start();
    const options = JetstreamSourceOptionsSchema.parse({
      type: 'jetstream',
      url: server.url('/subscribe'),
      statsIntervalMs: 0,
      enrich: { enabled: true, url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, batchWaitMs: 0 },
    });
    const clock = new InstantSleepClock();
    const enricher = new ProfileEnricher(options.enrich, { log: silentLogger(), clock });
    const collector = new JetstreamCollector(options, { log: silentLogger(), clock, enricher });
    const output = new RecordingOutput();
    const abort = new AbortController();
    const running = collector.run(output, abort.signal);
    cleanups.push(async () => {
      abort.abort();
      await running;
      await collector.close();
      await server.close();
    });

    const conn = await server.nextConnection();
    conn.socket.send(frame('jetstream/post.json'));
    await output.until(() => output.postRecords.length === 1);
    expect((output.postInputs[0] as { author: unknown }).author).toEqual({ id: 'did:plc:r4vk2m7xq3bz6hdu5tcnelwo' });
    await enricher.whenIdle();
    expect(profileRequests).toHaveLength(1);
    expect(profileRequests[0]?.pathname).toBe('/xrpc/app.bsky.actor.getProfiles');
    expect(profileRequests[0]?.searchParams.getAll('actors')).toEqual(['did:plc:r4vk2m7xq3bz6hdu5tcnelwo']);

    const later = json('jetstream/post.json') as { commit: { rkey: string } };
    later.commit.rkey = '3mvioxv72w999';
    conn.socket.send(JSON.stringify(later));
    await output.until(() => output.postRecords.length === 2);
    expect((output.postInputs[1] as { author: unknown }).author).toEqual({
      id: 'did:plc:r4vk2m7xq3bz6hdu5tcnelwo',
      handle: 'veille-electorale.example.fr',
      followers: 18342,
      createdAt: '2024-11-13T09:41:07.418Z',
    });
    // The response also carried a profile not asked for (the fixture has two): it is cached too.
    expect(enricher.stats()).toMatchObject({ calls: 1, cached: 2, failedCalls: 0 });
  });

  it('fails fast with a configuration error when the server refuses the subscription (plain-text 400)', async () => {
    const { running, server, clock } = await setup(
      { wantedCollections: ['app.bsky.feed.nope'] },
      { refuse: () => ({ status: 400, body: 'invalid collection: app.bsky.feed.nope' }) },
    );
    const err = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`refused the subscription (HTTP 400: invalid collection: app.bsky.feed.nope)`);
    expect((err as Error).message).toContain(server.url('/subscribe'));
    expect(server.upgradeAttempts).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a 503 before the upgrade with backoff instead of failing', async () => {
    let refusals = 2;
    const { server, output, clock } = await setup({}, { refuse: () => (refusals-- > 0 ? { status: 503, body: 'overloaded' } : undefined) });
    const conn = await server.nextConnection();
    conn.socket.send(postFrame(1, T0));
    await output.until(() => output.postRecords.length === 1);
    expect(server.upgradeAttempts).toHaveLength(3);
    expect(clock.sleeps).toEqual([188, 375]);
  });
});
