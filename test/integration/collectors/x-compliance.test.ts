import { afterEach, describe, expect, it } from 'vitest';
import { XCollector, XSourceOptionsSchema } from '../../../src/collectors/x/index.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { frame } from './support/fixtures.ts';
import { RecordingOutput } from './support/recording-output.ts';
import { startCollector } from './support/running-collector.ts';
import { InstantSleepClock } from './support/test-clock.ts';
import { FILTERED_STREAM, XProtocolServer } from './support/x-protocol-server.ts';

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAx-bearer-c0mp';
const TWEETS = '/2/tweets/compliance/stream';
const USERS = '/2/users/compliance/stream';
const RETWEET = '2099559475363561475';
const QUOTE = '2099561114043252737';
const PATRIOTE = '1834990012345678901';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(compliance: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const server = await XProtocolServer.start(TOKEN);
  const clock = new InstantSleepClock();
  const parsed = XSourceOptionsSchema.parse({ type: 'x', url: server.url, bearerToken: TOKEN, statsIntervalMs: 0, compliance, ...overrides });
  const collector = new XCollector(parsed, { log: silentLogger(), clock });
  const { output, running } = startCollector(collector, cleanups, () => server.close());
  return { server, clock, collector, output, running };
}

function postLine(id: string): string {
  return JSON.stringify({
    data: { id, text: `post ${id} #MacronLeaks`, author_id: '1502233445566778899', created_at: '2026-09-14T18:01:58.000Z', entities: { hashtags: [{ start: 8 + id.length, end: 20 + id.length, tag: 'MacronLeaks' }] } },
    includes: { users: [{ id: '1502233445566778899', username: 'veille_2027' }] },
  });
}

describe('X collector reading the compliance streams from a local server', () => {
  it('opens one connection per stream and partition, and maps deletes, drops and account suspensions to deletions', async () => {
    const { server, output, collector } = await setup({ partitions: [1, 2] });
    const [posts, tweets1, tweets2, users1, users2] = await Promise.all([
      server.nextStream(FILTERED_STREAM),
      server.nextStream(`${TWEETS}?partition=1`),
      server.nextStream(`${TWEETS}?partition=2`),
      server.nextStream(`${USERS}?partition=1`),
      server.nextStream(`${USERS}?partition=2`),
    ]);
    expect(users2.url.searchParams.has('backfill_minutes')).toBe(false);
    expect(users2.req.headers.authorization).toBe(`Bearer ${TOKEN}`);

    posts.res.write(`${postLine('1')}\r\n`);
    tweets1.res.write(`\r\n${frame('x/compliance-tweet-delete.json')}\r\n`);
    tweets2.res.write(`${frame('x/compliance-tweet-withheld.json')}\r\n${frame('x/compliance-tweet-drop.json')}\r\n`);
    users1.res.write(`${frame('x/compliance-user-suspend.json')}\r\n\r\n`);
    users2.res.write(`${frame('x/compliance-user-undelete.json')}\r\n`);
    await output.until(() => output.deletionRecords.length === 3 && output.postRecords.length === 1 && collector.stats().ignored === 2);

    const byId = [...output.deletionRecords].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId.map(({ at: _at, ...rest }) => rest)).toEqual([
      { platform: 'x', id: PATRIOTE, scope: 'account' },
      { platform: 'x', id: RETWEET },
      { platform: 'x', id: QUOTE },
    ]);
    for (const deletion of output.deletionRecords) expect(Number.isFinite(deletion.at)).toBe(true);
    expect(output.postIds).toEqual(['1']);
    expect(collector.stats()).toMatchObject({ deletions: 3, ignored: 2, heartbeats: 2, deadLettered: 0, connections: 5, reconnects: 0 });
  });

  it('reconnects a compliance stream the server ended, asks for backfill, and hands each deletion on once', async () => {
    const { server, output, collector, clock } = await setup({ users: false, partitions: [3], backfillMinutes: 2 });
    const first = await server.nextStream(`${TWEETS}?partition=3`);
    expect(first.url.searchParams.has('backfill_minutes')).toBe(false);
    first.res.write(`${frame('x/compliance-tweet-delete.json')}\r\n`);
    await output.until(() => output.deletionRecords.length === 1);
    first.res.end();

    const second = await server.nextStream(`${TWEETS}?partition=3`);
    expect(second.url.searchParams.get('backfill_minutes')).toBe('2');
    expect(second.url.searchParams.get('partition')).toBe('3');
    // The backfill repeats the delete already applied, then carries a new event.
    second.res.write(`${frame('x/compliance-tweet-delete.json')}\r\n${frame('x/compliance-tweet-drop.json')}\r\n`);
    await output.until(() => output.deletionRecords.length === 2 && collector.stats().duplicates === 1);
    expect(output.deletionRecords.map((d) => d.id)).toEqual([RETWEET, QUOTE]);
    expect(clock.sleeps).toEqual([250]);
    expect(server.requestsByKey.get(USERS)).toBeUndefined();
    expect(collector.stats()).toMatchObject({ reconnects: 1, deletions: 2 });
  });

  it('reconnects a compliance stream that goes silent past the stall timeout', async () => {
    const { server, output } = await setup({ users: false, partitions: [1] }, { stallTimeoutMs: 150 });
    const first = await server.nextStream(`${TWEETS}?partition=1`);
    first.res.write('\r\n');
    // …then silence with the connection open: the collector drops it and connects again.
    const second = await server.nextStream(`${TWEETS}?partition=1`);
    await first.closed;
    second.res.write(`${frame('x/compliance-tweet-drop.json')}\r\n`);
    await output.until(() => output.deletionRecords.length === 1);
    expect(output.deletionRecords[0]?.id).toBe(QUOTE);
  });

  it('dead-letters malformed compliance lines with the raw line and reason, and the stream continues', async () => {
    const { server, output, collector } = await setup({ users: false, partitions: [1] });
    const stream = await server.nextStream(`${TWEETS}?partition=1`);
    const broken = [
      '{"data":{"delete":{"tweet"',
      JSON.stringify({ data: { delete: { event_at: '2026-09-14T18:20:03.512Z' } } }),
      JSON.stringify({ data: { delete: { tweet: { id: 'not-a-number' } } } }),
      JSON.stringify({ data: { delete: { tweet: { id: '1' } }, drop: { tweet: { id: '2' } } } }),
    ];
    for (const line of broken) stream.res.write(`${line}\r\n`);
    stream.res.write(`${JSON.stringify({ errors: [{ title: 'operational-disconnect', disconnect_type: 'UpstreamOperationalDisconnect' }] })}\r\n`);
    stream.res.write(`${frame('x/compliance-tweet-delete.json')}\r\n`);
    await output.until(() => output.deletionRecords.length === 1 && output.deadLetterRecords.length === 4);
    expect(output.deadLetterRecords.map((d) => d.code)).toEqual(['TW_JSON_INVALID', 'TW_FRAME_INVALID', 'TW_FRAME_INVALID', 'TW_FRAME_INVALID']);
    expect(output.deadLetterRecords[1]?.reason).toContain('X compliance delete event');
    expect(output.deadLetterRecords[3]?.reason).toContain('exactly one compliance event');
    expect(output.deadLetterRecords.map((d) => d.payload)).toEqual(broken);
    expect(output.deletionRecords.map((d) => d.id)).toEqual([RETWEET]);
    expect(collector.stats()).toMatchObject({ serverErrors: 1, reconnects: 0 });
  });

  it('fails fast when X refuses a compliance stream (no Enterprise access), naming the stream and the fix', async () => {
    const server = await XProtocolServer.start(TOKEN);
    server.complianceRefusals.set(`${USERS}?partition=1`, [{ status: 403, body: '{"title":"Client Forbidden","status":403}' }]);
    const clock = new InstantSleepClock();
    const collector = new XCollector(
      XSourceOptionsSchema.parse({ type: 'x', url: server.url, bearerToken: TOKEN, statsIntervalMs: 0, compliance: { posts: false, partitions: [1] } }),
      { log: silentLogger(), clock },
    );
    cleanups.push(async () => {
      await collector.close();
      await server.close();
    });
    const err = await collector.run(new RecordingOutput(), new AbortController().signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`X refused the compliance stream ${server.url}${USERS}?partition=1 (HTTP 403`);
    expect((err as Error).message).toContain('compliance streams need Enterprise access');
    expect(clock.sleeps).toEqual([]);
  });

  it('validates the compliance options with messages naming the problem', () => {
    const parse = (compliance: unknown) => XSourceOptionsSchema.safeParse({ type: 'x', bearerToken: TOKEN, compliance });
    expect(parse({}).data?.compliance).toEqual({ posts: true, users: true, partitions: [1, 2, 3, 4], backfillMinutes: 0 });
    expect(parse({ partitions: [5] }).error?.issues[0]?.path).toEqual(['compliance', 'partitions', 0]);
    expect(parse({ partitions: [1, 1] }).error?.issues[0]?.message).toBe('each partition once');
    expect(parse({ posts: false, users: false }).error?.issues[0]?.message).toContain('compliance reads no stream');
    expect(XSourceOptionsSchema.parse({ type: 'x', bearerToken: TOKEN }).compliance).toBeUndefined();
  });
});
