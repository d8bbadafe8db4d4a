import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCollector } from '../../../src/collectors/create-collector.ts';
import { MastodonCollector, MastodonSourceOptionsSchema } from '../../../src/collectors/mastodon/index.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { parsePost } from '../../../src/model/index.ts';
import { captureLog } from './support/capture-log.ts';
import { frame, json } from './support/fixtures.ts';
import { RecordingOutput } from './support/recording-output.ts';
import { startCollector } from './support/running-collector.ts';
import { InstantSleepClock } from './support/test-clock.ts';
import { floodUntilBackedUp, WsProtocolServer } from './support/ws-protocol-server.ts';

const TOKEN = 'mastodon-token-0f3c9a';
const STATUS_URI = 'https://mastodon.example.fr/users/infos_fiables/statuses/115203318467788201';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Like Mastodon: every stream needs the token; without it a raw 401 with X-Error-Message. */
function requireToken(token: string) {
  return (req: IncomingMessage) =>
    req.headers.authorization === `Bearer ${token}` ? undefined : { status: 401, headers: { 'X-Error-Message': 'Invalid access token' }, body: '' };
}

async function instance(token = TOKEN): Promise<WsProtocolServer> {
  const server = await WsProtocolServer.start({ refuse: requireToken(token) });
  cleanups.push(() => server.close());
  return server;
}

function start(servers: WsProtocolServer[], overrides: Record<string, unknown> = {}, token = TOKEN, log = silentLogger()) {
  const clock = new InstantSleepClock();
  const options = MastodonSourceOptionsSchema.parse({
    type: 'mastodon',
    statsIntervalMs: 0,
    instances: servers.map((s) => ({ url: s.httpUrl(), token, streams: ['#MacronLeaks', 'public'] })),
    ...overrides,
  });
  const collector = new MastodonCollector(options, { log, clock });
  const { output, running } = startCollector(collector, cleanups);
  return { clock, collector, output, running };
}

/** An `update` frame for a status derived from the reference one, with its own ids. */
function updateFrame(localId: string, text = 'Encore un post #MacronLeaks'): string {
  const status = JSON.parse(json<{ payload: string }>('mastodon/update-hashtag.json').payload) as Record<string, unknown>;
  status['id'] = localId;
  status['uri'] = `https://social.example/users/someone/statuses/${localId}`;
  status['content'] = `<p>${text}</p>`;
  status['tags'] = [{ name: 'macronleaks', url: 'https://social.example/tags/macronleaks' }];
  return JSON.stringify({ stream: ['hashtag', 'MacronLeaks'], event: 'update', payload: JSON.stringify(status) });
}

describe('Mastodon collector against local Mastodon streaming servers', () => {
  it('subscribes with the token in a header and maps the reference frames to exactly the expected posts', async () => {
    const server = await instance();
    const { output, collector } = start([server]);
    const conn = await server.nextConnection();
    expect(conn.url.pathname).toBe('/api/v1/streaming');
    expect(conn.url.search).toBe('');
    expect(conn.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect((await conn.receivedAtLeast(2)).map((m) => JSON.parse(m))).toEqual([json('mastodon/subscribe.json'), { type: 'subscribe', stream: 'public' }]);

    for (const name of ['update-hashtag', 'update-public', 'update-local-reply', 'status-update', 'update-user-reblog', 'ws-error', 'delete']) {
      conn.socket.send(frame(`mastodon/${name}.json`));
    }
    await output.until(() => output.deletionRecords.length === 1);

    expect(output.postInputs).toEqual([
      {
        platform: 'mastodon',
        id: STATUS_URI,
        author: {
          id: 'https://mastodon.example.fr/users/infos_fiables',
          handle: 'infos_fiables@mastodon.example.fr',
          followers: 2381,
          createdAt: '2022-11-08T00:00:00.000Z',
        },
        createdAt: '2026-09-14T18:02:13.000Z',
        text: 'Les « documents » qui circulent ce soir ne sont pas authentifiés. #MacronLeaks #Présidentielle2027\n\nhttps://example.org/fuites-2027',
        tags: ['MacronLeaks', 'Présidentielle2027'],
        kind: 'original',
        lang: 'fr',
        urls: ['https://example.org/fuites-2027'],
      },
      {
        platform: 'mastodon',
        id: 'https://social.example/users/jdupont/statuses/117270710933061633',
        author: { id: 'https://social.example/users/jdupont', handle: 'jdupont@social.example', followers: 3, createdAt: '2026-09-10T00:00:00.000Z' },
        createdAt: '2026-09-14T18:04:01.337Z',
        text: '@infos_fiables Tout est vrai, partagez avant suppression !!! #MACRONLEAKS',
        tags: ['MACRONLEAKS'],
        kind: 'reply',
        parentId: STATUS_URI,
        lang: 'fr',
      },
      {
        platform: 'mastodon',
        id: 'https://social.example/users/jdupont/statuses/117270724142759943/activity',
        author: { id: 'https://social.example/users/jdupont', handle: 'jdupont@social.example', followers: 3, createdAt: '2026-09-10T00:00:00.000Z' },
        createdAt: '2026-09-14T18:07:22.901Z',
        text: '',
        tags: ['MacronLeaks', 'Présidentielle2027'],
        kind: 'repost',
        parentId: STATUS_URI,
      },
    ]);
    expect(output.postInputs.map((p) => parsePost(p).tags)).toEqual([['macronleaks', 'présidentielle2027'], ['macronleaks'], ['macronleaks', 'présidentielle2027']]);
    // The delete names the instance's own id; it is mapped to the federated uri.
    expect(output.deletionRecords).toEqual([{ platform: 'mastodon', id: STATUS_URI, at: expect.any(Number) }]);
    expect(output.deadLetterRecords).toEqual([]);
    // The same status on the public stream is a duplicate; its edit of a post already handed on is not re-sent.
    expect(collector.stats()).toMatchObject({ frames: 7, posts: 3, deletions: 1, duplicates: 1, ignored: 1, serverErrors: 1, reconnects: 0 });
  });

  it('deduplicates a status seen through several instances on its uri', async () => {
    const [a, b] = [await instance(), await instance()];
    const { output, collector } = start([a!, b!]);
    const [connA, connB] = [await a!.nextConnection(), await b!.nextConnection()];
    connA.socket.send(frame('mastodon/update-hashtag.json'));
    await output.until(() => output.postRecords.length === 1);
    // Instance B knows the same status under another local id.
    const payload = JSON.parse(json<{ payload: string }>('mastodon/update-hashtag.json').payload) as Record<string, unknown>;
    payload['id'] = '998877';
    connB.socket.send(JSON.stringify({ stream: ['public'], event: 'update', payload: JSON.stringify(payload) }));
    connB.socket.send(updateFrame('555'));
    await output.until(() => output.postRecords.length === 2);
    // Both instances report the deletion, each with its own id: one deletion is handed on.
    connA.socket.send(JSON.stringify({ stream: ['public'], event: 'delete', payload: '117270703898624003' }));
    await output.until(() => output.deletionRecords.length === 1);
    connB.socket.send(JSON.stringify({ stream: ['public'], event: 'delete', payload: '998877' }));
    // A status this collector never saw: its instance id cannot be named.
    connB.socket.send(JSON.stringify({ stream: ['public'], event: 'delete', payload: '424242' }));
    connB.socket.send(updateFrame('556'));
    await output.until(() => output.postRecords.length === 3);

    expect(output.postIds).toEqual([STATUS_URI, 'https://social.example/users/someone/statuses/555', 'https://social.example/users/someone/statuses/556']);
    expect(output.postRecords.map((r) => r.origin)).toEqual([`mastodon:${a!.httpUrl()}`, `mastodon:${b!.httpUrl()}`, `mastodon:${b!.httpUrl()}`]);
    expect(output.deletionRecords.map((d) => d.id)).toEqual([STATUS_URI]);
    expect(collector.stats()).toMatchObject({ duplicates: 2, unresolvedDeletions: 1, connections: 2 });
  });

  it('reconnects and resubscribes after the server closes, handing each status on once', async () => {
    const server = await instance();
    const { output, collector, clock } = start([server]);
    const first = await server.nextConnection();
    await first.receivedAtLeast(2);
    for (let i = 1; i <= 3; i++) first.socket.send(updateFrame(String(i)));
    await output.until(() => output.postRecords.length === 3);
    first.socket.close(1012, 'service restart');

    const second = await server.nextConnection();
    expect((await second.receivedAtLeast(2)).map((m) => JSON.parse(m))).toEqual([json('mastodon/subscribe.json'), { type: 'subscribe', stream: 'public' }]);
    // Streaming has no resume: the server goes on with what is new (and may repeat what was in flight).
    for (let i = 3; i <= 6; i++) second.socket.send(updateFrame(String(i)));
    await output.until(() => output.postRecords.length === 6);
    expect(output.postIds).toEqual([1, 2, 3, 4, 5, 6].map((i) => `https://social.example/users/someone/statuses/${i}`));
    expect(collector.stats()).toMatchObject({ reconnects: 1, duplicates: 1 });
    expect(clock.sleeps).toEqual([188]);
  });

  it('after a reconnect, fetches what was missed from the REST timelines, paged from the newest status seen, each status once', async () => {
    const statusOf = (id: number) => JSON.parse(JSON.parse(updateFrame(String(id))).payload) as { id: string };
    const timelines: Record<string, number[]> = {
      '/api/v1/timelines/tag/MacronLeaks': Array.from({ length: 12 }, (_, i) => i + 1),
      // The public timeline overlaps the hashtag one: status 5 is seen twice.
      '/api/v1/timelines/public': [5, 13],
    };
    const requests: URL[] = [];
    const server = await WsProtocolServer.start({
      refuse: requireToken(TOKEN),
      http: (req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        requests.push(url);
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('{"error":"The access token is invalid"}');
        const ids = timelines[url.pathname];
        if (ids === undefined) return void res.writeHead(404).end('{"error":"Record not found"}');
        // Mastodon's min_id: the statuses just after it, newest first.
        const minId = Number(url.searchParams.get('min_id'));
        const page = ids.filter((id) => id > minId).slice(0, Number(url.searchParams.get('limit'))).reverse();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page.map(statusOf)));
      },
    });
    cleanups.push(() => server.close());
    const { output, collector } = start([server], { catchUpPageSize: 4 });
    const first = await server.nextConnection();
    await first.receivedAtLeast(2);
    for (let i = 1; i <= 3; i++) first.socket.send(updateFrame(String(i)));
    await output.until(() => output.postRecords.length === 3);
    expect(requests).toEqual([]);
    first.socket.close(1012, 'service restart');

    await server.nextConnection();
    await output.until(() => output.postRecords.length === 13);
    expect(output.postIds).toEqual(Array.from({ length: 13 }, (_, i) => `https://social.example/users/someone/statuses/${i + 1}`));
    expect(requests.map((u) => [u.pathname, u.searchParams.get('min_id'), u.searchParams.get('limit')])).toEqual([
      ['/api/v1/timelines/tag/MacronLeaks', '3', '4'],
      ['/api/v1/timelines/tag/MacronLeaks', '7', '4'],
      ['/api/v1/timelines/tag/MacronLeaks', '11', '4'],
      ['/api/v1/timelines/public', '3', '4'],
    ]);
    expect(collector.stats()).toMatchObject({ caughtUp: 11, duplicates: 1, reconnects: 1, deadLettered: 0 });
  });

  it('bounds the catch-up by catchUpMaxPages, and a refused timeline only costs a warning', async () => {
    const captured = captureLog();
    const requests: string[] = [];
    const server = await WsProtocolServer.start({
      refuse: requireToken(TOKEN),
      http: (req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        requests.push(url.pathname);
        if (url.pathname === '/api/v1/timelines/public') return void res.writeHead(403).end('{"error":"This action is outside the authorized scopes"}');
        const minId = Number(url.searchParams.get('min_id'));
        const page = [minId + 2, minId + 1].map((id) => JSON.parse(JSON.parse(updateFrame(String(id))).payload) as unknown);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
      },
    });
    cleanups.push(() => server.close());
    const { output, collector } = start([server], { catchUpPageSize: 2, catchUpMaxPages: 2 }, TOKEN, captured.log);
    const first = await server.nextConnection();
    first.socket.send(updateFrame('100'));
    await output.until(() => output.postRecords.length === 1);
    first.socket.close(1012, 'service restart');
    const second = await server.nextConnection();
    await output.until(() => output.postRecords.length === 5);
    await vi.waitFor(() => expect(captured.text()).toContain('outside the authorized scopes'));
    expect(requests).toEqual(['/api/v1/timelines/tag/MacronLeaks', '/api/v1/timelines/tag/MacronLeaks', '/api/v1/timelines/public']);
    expect(captured.text()).toContain('catch-up stopped at catchUpMaxPages');
    expect(captured.text()).toContain('the token needs the read:statuses scope');
    expect(captured.text()).not.toContain(TOKEN);
    // The stream carries on.
    second.socket.send(updateFrame('200'));
    await output.until(() => output.postRecords.length === 6);
    expect(output.postIds.map((id) => id.split('/').pop())).toEqual(['100', '101', '102', '103', '104', '200']);
    expect(collector.stats()).toMatchObject({ caughtUp: 4, reconnects: 1 });
  });

  it('reconnects when an instance goes silent past the idle timeout', async () => {
    const server = await instance();
    const { output, collector } = start([server], { idleTimeoutMs: 150 });
    const first = await server.nextConnection();
    first.socket.send(updateFrame('1'));
    const second = await server.nextConnection();
    await first.closed;
    second.socket.send(updateFrame('2'));
    await output.until(() => output.postRecords.length === 2);
    expect(collector.stats()).toMatchObject({ reconnects: 1 });
  });

  it('dead-letters malformed and oversized frames (including a payload that fails the second parse), and the stream continues', async () => {
    const server = await instance();
    const { output } = start([server], { maxFrameBytes: 8_192 });
    const conn = await server.nextConnection();
    const broken = [
      '{"stream":["public"],"event":"update","payload":',
      JSON.stringify({ stream: ['public'], event: 'update', payload: '{"id":"1","uri":' }),
      JSON.stringify({ stream: ['public'], event: 'update', payload: JSON.stringify({ id: '2', content: '<p>no uri, no account</p>' }) }),
      JSON.stringify({ stream: ['public'], event: 'delete' }),
      updateFrame('3', 'x'.repeat(10_000)),
    ];
    conn.socket.send(updateFrame('1'));
    for (const b of broken) conn.socket.send(b);
    conn.socket.send(updateFrame('2'));
    await output.until(() => output.postRecords.length === 2 && output.deadLetterRecords.length === 5);
    expect(output.postIds).toEqual(['https://social.example/users/someone/statuses/1', 'https://social.example/users/someone/statuses/2']);
    expect(output.deadLetterRecords.map((d) => d.code)).toEqual(['TW_JSON_INVALID', 'TW_JSON_INVALID', 'TW_FRAME_INVALID', 'TW_FRAME_INVALID', 'TW_FRAME_TOO_LARGE']);
    expect(output.deadLetterRecords[1]?.reason).toContain('mastodon status payload is not valid JSON');
    expect(output.deadLetterRecords[2]?.reason).toMatch(/uri/);
    expect(output.deadLetterRecords.map((d) => d.payload)).toEqual([...broken.slice(0, 4), broken[4]]);
    expect(output.deadLetterRecords.every((d) => d.source === 'mastodon')).toBe(true);
  });

  it('pauses reading while the pipeline is slow, then delivers everything once', async () => {
    const server = await instance();
    const { output, collector } = start([server], { maxBufferedFrames: 200, maxBatchFrames: 100 });
    const release = output.hold();
    const conn = await server.nextConnection();
    const sent = await floodUntilBackedUp(conn.socket, (i) => updateFrame(String(i + 1)), 4 * 1024 * 1024, 100_000);
    expect(conn.socket.bufferedAmount).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    const stats = collector.stats();
    expect(stats.paused).toBe(true);
    expect(stats.frames).toBeLessThanOrEqual(1_100);
    expect(sent).toBeGreaterThan(2 * stats.frames);
    release();
    await output.until(() => output.postRecords.length === sent);
    expect(new Set(output.postIds).size).toBe(sent);
  });

  it('fails fast on a refused token with an error naming the instance, without retrying and without logging the token', async () => {
    const good = await instance();
    const refusing = await instance('another-token');
    const captured = captureLog();
    const { running, clock } = start([good, refusing], {}, TOKEN, captured.log);
    const err = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('TW_SOURCE_AUTH');
    expect((err as Error).message).toContain(`mastodon instance ${refusing.httpUrl()} rejected the access token (HTTP 401: Invalid access token)`);
    expect(refusing.upgradeAttempts).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(captured.text()).toContain('Invalid access token');
    expect(captured.text()).not.toContain(TOKEN);
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('reads the token from the environment variable the config names, and names the source when it is unset', async () => {
    const server = await instance();
    const options = MastodonSourceOptionsSchema.parse({
      type: 'mastodon',
      name: 'fr-instances',
      statsIntervalMs: 0,
      instances: [{ url: server.httpUrl(), tokenEnv: 'TAGWATCH_TEST_MASTODON_TOKEN', streams: ['#MacronLeaks'] }],
    });
    expect(() => createCollector(options, { log: silentLogger(), env: {} })).toThrow(
      `source "fr-instances": mastodon instance ${server.httpUrl()}: environment variable TAGWATCH_TEST_MASTODON_TOKEN is not set`,
    );
    const collector = createCollector(options, { log: silentLogger(), env: { TAGWATCH_TEST_MASTODON_TOKEN: TOKEN }, clock: new InstantSleepClock() });
    const output = new RecordingOutput();
    const abort = new AbortController();
    const running = collector.run(output, abort.signal);
    const conn = await server.nextConnection();
    expect(conn.headers.authorization).toBe(`Bearer ${TOKEN}`);
    conn.socket.send(updateFrame('9'));
    await output.until(() => output.postRecords.length === 1);
    abort.abort();
    await expect(running).resolves.toMatchObject({ source: 'fr-instances', posts: 1 });
    await collector.close();
  });
});
