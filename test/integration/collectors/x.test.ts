import { afterEach, describe, expect, it } from 'vitest';
import { XCollector, XSourceOptionsSchema } from '../../../src/collectors/x/index.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { parsePost } from '../../../src/model/index.ts';
import { captureLog } from './support/capture-log.ts';
import { bytes, frame, json } from './support/fixtures.ts';
import { startCollector } from './support/running-collector.ts';
import { InstantSleepClock } from './support/test-clock.ts';
import { writeUntilBackedUp, XProtocolServer, type XRuleRecord } from './support/x-protocol-server.ts';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAx-bearer-7d1e';
const ORIGINAL = '2099559292860837888';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { overrides?: Record<string, unknown>; rules?: XRuleRecord[]; token?: string; log?: ReturnType<typeof silentLogger> } = {}) {
  const server = await XProtocolServer.start(TOKEN, options.rules ?? []);
  const clock = new InstantSleepClock();
  const parsed = XSourceOptionsSchema.parse({ type: 'x', url: server.url, bearerToken: options.token ?? TOKEN, statsIntervalMs: 0, ...options.overrides });
  const collector = new XCollector(parsed, { log: options.log ?? silentLogger(), clock });
  const { output, running } = startCollector(collector, cleanups, () => server.close());
  return { server, clock, collector, output, running };
}

/** An original post line with its own id and hashtags. */
function postLine(id: string, tags: string[] = ['MacronLeaks']): string {
  const text = `post ${id} ${tags.map((t) => `#${t}`).join(' ')}`;
  return JSON.stringify({
    data: {
      id,
      text,
      author_id: '1502233445566778899',
      created_at: '2026-09-14T18:01:58.000Z',
      lang: 'fr',
      edit_history_tweet_ids: [id],
      entities: { hashtags: tags.map((tag) => ({ start: text.indexOf(`#${tag}`), end: text.indexOf(`#${tag}`) + tag.length + 1, tag })) },
    },
    includes: { users: [{ id: '1502233445566778899', username: 'veille_2027', created_at: '2022-03-11T07:45:12.000Z', public_metrics: { followers_count: 18342 } }] },
    matching_rules: [{ id: '1835021339218120705', tag: 'fr-election:macronleaks' }],
  });
}

const VEILLE = { id: '1502233445566778899', handle: 'veille_2027', followers: 18342, createdAt: '2022-03-11T07:45:12.000Z' };

describe('X collector against a local filtered-stream server', () => {
  it('synchronizes the rules, then maps the byte-exact transcript (keep-alives, retweet, long quote) to exactly the expected posts', async () => {
    const stale = { id: '1700000000000000001', value: 'from:someone_else', tag: 'old' };
    const kept = json<{ data: XRuleRecord[] }>('x/rules-get-response.json').data[0]!;
    const wanted = json<{ add: Array<{ value: string; tag: string }> }>('x/rules-add-request.json').add;
    const { server, output, collector, clock } = await setup({ rules: [stale, kept], overrides: { rules: wanted } });

    const stream = await server.nextStream();
    expect(server.ruleCalls).toEqual([
      { method: 'GET', body: undefined },
      { method: 'POST', body: { delete: { ids: [stale.id] } } },
      { method: 'POST', body: { add: [wanted[1]] } },
    ]);
    expect(server.rules.map((r) => [r.value, r.tag])).toEqual(wanted.map((r) => [r.value, r.tag]));
    expect(stream.url.searchParams.get('expansions')).toBe('author_id,referenced_tweets.id,referenced_tweets.id.author_id');
    expect(stream.url.searchParams.get('tweet.fields')).toContain('note_tweet');
    expect(stream.url.searchParams.has('backfill_minutes')).toBe(false);

    // The transcript, cut into awkward chunks (mid-line, mid-UTF-8 sequence) as TCP may deliver it.
    const transcript = bytes('x/stream-transcript.txt');
    for (let at = 0; at < transcript.length; at += 777) stream.res.write(transcript.subarray(at, at + 777));
    await output.until(() => output.postRecords.length === 3);
    stream.res.end(); // the operational disconnect: the server ends the stream

    const quoteText = JSON.parse(frame('x/quote-notetweet-line.json')).data.note_tweet.text as string;
    expect(output.postInputs).toEqual([
      {
        platform: 'x',
        id: ORIGINAL,
        author: VEILLE,
        createdAt: '2026-09-14T18:01:58.000Z',
        text: 'Vérifiez avant de partager : ces « fuites » ne sont pas authentifiées. #MacronLeaks #Présidentielle2027 @AFPFactuel https://t.co/Qw3rTy12Ab',
        tags: ['MacronLeaks', 'Présidentielle2027'],
        kind: 'original',
        lang: 'fr',
        urls: ['https://example.org/fuites-2027'],
      },
      {
        platform: 'x',
        id: '2099559475363561475',
        author: { id: '1834990012345678901', handle: 'patriote84213', followers: 2, createdAt: '2026-09-12T22:10:05.000Z' },
        createdAt: '2026-09-14T18:02:41.000Z',
        text: '',
        tags: ['MacronLeaks', 'Présidentielle2027'],
        kind: 'repost',
        parentId: ORIGINAL,
      },
      {
        platform: 'x',
        id: '2099561114043252737',
        author: { id: '987650001234567', handle: 'obs_desinfo', followers: 55120, createdAt: '2011-05-30T12:00:41.000Z' },
        createdAt: '2026-09-14T18:09:12.000Z',
        text: quoteText,
        tags: ['MacronLeaks', 'DésinfoAlerte'],
        kind: 'quote',
        parentId: ORIGINAL,
        lang: 'fr',
      },
    ]);
    expect(output.postInputs.map((p) => parsePost(p).tags)).toEqual([['macronleaks', 'présidentielle2027'], ['macronleaks', 'présidentielle2027'], ['macronleaks', 'désinfoalerte']]);

    // After the server ended the stream: reconnect at once on X's network schedule (250 ms first).
    await server.nextStream();
    expect(clock.sleeps).toEqual([250]);
    expect(server.ruleCalls).toHaveLength(3);
    expect(collector.stats()).toMatchObject({ frames: 4, heartbeats: 4, posts: 3, serverErrors: 1, reconnects: 1, deadLettered: 0 });
  });

  it('reconnects after a stall past the keep-alive interval, asks for backfill, and hands each post on once', async () => {
    const { server, output, collector, clock } = await setup({ overrides: { stallTimeoutMs: 150, backfillMinutes: 2 } });
    const first = await server.nextStream();
    expect(first.url.searchParams.has('backfill_minutes')).toBe(false);
    first.res.write('\r\n');
    first.res.write(`${postLine('1')}\r\n${postLine('2')}\r\n`);
    // …and then silence, with the connection still open.
    const second = await server.nextStream();
    expect(second.url.searchParams.get('backfill_minutes')).toBe('2');
    await first.closed;
    // The backfill repeats what was already read.
    second.res.write(`${postLine('2')}\r\n${postLine('3')}\r\n\r\n`);
    await output.until(() => output.postRecords.length === 3);
    expect(output.postIds).toEqual(['1', '2', '3']);
    expect(collector.stats()).toMatchObject({ reconnects: 1, duplicates: 1 });
    expect(clock.sleeps).toEqual([250]);
  });

  it("follows X's backoff: 429 from one minute doubling, HTTP errors from 5 s doubling", async () => {
    const { server, output, clock } = await setup();
    const tooMany = frame('x/http-429-too-many-connections.json');
    server.refusals.push({ status: 429, body: tooMany }, { status: 429, body: tooMany }, { status: 503, body: '{"title":"Service Unavailable"}' }, { status: 500, body: '' });
    const stream = await server.nextStream();
    stream.res.write(`${postLine('1')}\r\n`);
    await output.until(() => output.postRecords.length === 1);
    expect(clock.sleeps).toEqual([60_000, 120_000, 5_000, 10_000]);
  });

  it('dead-letters malformed and oversized lines with the raw line and reason, and the stream continues', async () => {
    const { server, output, collector } = await setup({ overrides: { maxFrameBytes: 4_096 } });
    const stream = await server.nextStream();
    const broken = [
      '{"data":{"id":"9","text":"cut',
      '{"includes":{"users":[]}}',
      JSON.stringify({ data: { id: '10', text: 'no author', created_at: '2026-09-14T18:01:58.000Z' } }),
      postLine('11', Array.from({ length: 400 }, (_, i) => `Tag${i}`)),
    ];
    stream.res.write(`${postLine('1')}\r\n`);
    for (const b of broken) stream.res.write(`${b}\r\n`);
    stream.res.write(`${postLine('2')}\r\n`);
    await output.until(() => output.postRecords.length === 2 && output.deadLetterRecords.length === 4);
    expect(output.postIds).toEqual(['1', '2']);
    expect(output.deadLetterRecords.map((d) => d.code)).toEqual(['TW_JSON_INVALID', 'TW_FRAME_INVALID', 'TW_FRAME_INVALID', 'TW_FRAME_TOO_LARGE']);
    expect(output.deadLetterRecords[2]?.reason).toContain('has no author_id');
    expect(output.deadLetterRecords[3]?.reason).toMatch(/larger than maxFrameBytes \(4096\)/);
    expect(output.deadLetterRecords.map((d) => d.payload)).toEqual([broken[0], broken[1], broken[2], broken[3]!.slice(0, 4_096)]);
    expect(collector.stats()).toMatchObject({ reconnects: 0 });
  });

  it('stops reading the response while the pipeline is slow, then delivers everything once', async () => {
    const { server, output, collector } = await setup({ overrides: { maxBufferedFrames: 200, maxBatchFrames: 100 } });
    const release = output.hold();
    const stream = await server.nextStream();
    const sent = await writeUntilBackedUp(stream.res, (i) => postLine(String(i + 1), ['MacronLeaks', 'x'.repeat(120)]), 4 * 1024 * 1024, 200_000);
    expect(stream.res.writableLength).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    const stats = collector.stats();
    expect(stats.paused).toBe(true);
    expect(stats.frames).toBeLessThanOrEqual(1_100);
    expect(sent).toBeGreaterThan(5 * stats.frames);
    release();
    await output.until(() => output.postRecords.length === sent);
    expect(new Set(output.postIds).size).toBe(sent);
    expect(collector.stats()).toMatchObject({ reconnects: 0, bufferedFrames: 0 });
  });

  it('fails fast when X rejects the bearer token, naming the source and never logging the token', async () => {
    const wrong = 'wrong-token-5b2f';
    const captured = captureLog();
    const { running, server, clock } = await setup({ token: wrong, log: captured.log });
    const err = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('TW_SOURCE_AUTH');
    expect((err as Error).message).toContain('source "x": X rejected the bearer token');
    expect((err as Error).message).toContain('HTTP 401');
    expect(server.streamRequests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(captured.text()).toContain('X rejected the bearer token');
    expect(captured.text()).not.toContain(wrong);
    expect(JSON.stringify(XSourceOptionsSchema.parse({ type: 'x', bearerToken: wrong }))).not.toContain(wrong);
  });

  it('fails fast, naming the rule, when X refuses a configured rule', async () => {
    const { running, server } = await setup({ overrides: { rules: [{ value: '#MacronLeaks (((', tag: 'broken' }] } });
    const err = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('X refused stream rules "#MacronLeaks (((": UnprocessableEntity; Rules must contain balanced parentheses');
    expect(server.streamRequests).toHaveLength(0);
  });
});
