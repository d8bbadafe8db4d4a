import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Streams, type BusRecord } from '../../../src/bus/index.ts';
import { XCollector, XSourceOptionsSchema } from '../../../src/collectors/x/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { parsePost, type Deletion, type Post } from '../../../src/model/index.ts';
import { defaultStreamWriters, openStore, SinkStage, type Store } from '../../../src/store/index.ts';
import { batch, CapturingProducer, log, postRecord, storeOptions, T0, tempStoreDir } from '../store/store-fixture.ts';
import { frame } from './support/fixtures.ts';
import { RecordingOutput } from './support/recording-output.ts';
import { InstantSleepClock } from './support/test-clock.ts';
import { FILTERED_STREAM, XProtocolServer } from './support/x-protocol-server.ts';

/**
 * Account-level deletions (Bluesky takedowns, X user compliance) as the sink applies them, on an
 * embedded store with every registered migration (account_deletions is migration 40).
 */
const dir = tempStoreDir();
let store: Store;
const INGESTED_AT = Date.now();

beforeAll(async () => {
  store = await openStore(storeOptions(dir.path), log);
});
afterAll(async () => {
  await store?.close();
  dir.remove();
});
afterEach(async () => {
  for (const table of ['posts', 'post_deletions', 'account_deletions']) await store.command(`TRUNCATE TABLE ${store.table(table)}`);
});

function sink(recentDeletions?: number): SinkStage {
  return new SinkStage(store, log, { now: () => INGESTED_AT, ...(recentDeletions === undefined ? {} : { writers: defaultStreamWriters({ recentDeletions }) }) });
}

/** A post by `author`, created `seconds` after T0. */
function authored(id: string, author: string, seconds: number): BusRecord<'accepted'> {
  return postRecord(id, { author: { id: author, handle: `h_${author}` }, ts: T0 + seconds * 1000 });
}

function accountDeletion(author: string, at: number, platform = 'sim'): BusRecord<'deletions'> {
  const value: Deletion = { platform, id: author, at, scope: 'account' };
  return { key: `${platform}:${author}`, value };
}

async function write(stage: SinkStage, stream: 'accepted' | 'deletions', records: ReadonlyArray<BusRecord<'accepted'> | BusRecord<'deletions'>>): Promise<CapturingProducer> {
  const out = new CapturingProducer();
  await stage.process(batch(stream, records as ReadonlyArray<BusRecord<typeof stream>>), out);
  return out;
}

async function posts(): Promise<Array<{ id: string; text: string; author_handle: string; deleted: number; deleted_at: number | null }>> {
  return store.query(
    'SELECT id, text, author_handle, deleted, toUnixTimestamp64Milli(deleted_at) AS deleted_at FROM posts FINAL ORDER BY id',
  );
}

const kept = (id: string, author: string) => ({ id, text: `post ${id} #MacronLeaks #Presidentielle2017`, author_handle: `h_${author}`, deleted: 0, deleted_at: null });
const redacted = (id: string, at: number) => ({ id, text: '', author_handle: '', deleted: 1, deleted_at: at });

describe('account deletions in the store', () => {
  it("redacts the account's stored posts created up to the deletion, and keeps later posts and other accounts", async () => {
    const stage = sink();
    await write(stage, 'accepted', [authored('1', 'a', 1), authored('2', 'a', 3), authored('3', 'b', 1)]);
    await write(stage, 'deletions', [accountDeletion('a', T0 + 2_000)]);
    expect(await posts()).toEqual([redacted('1', T0 + 2_000), kept('2', 'a'), kept('3', 'b')]);
    expect(await store.query('SELECT platform, author_id, toUnixTimestamp64Milli(deleted_at) AS at FROM account_deletions')).toEqual([
      { platform: 'sim', author_id: 'a', at: T0 + 2_000 },
    ]);
    // Counts stay explainable: the redacted post keeps its id, time, author id and tags.
    expect(await store.query("SELECT author_id, tags, toUnixTimestamp64Milli(created_at) AS ts FROM posts FINAL WHERE id = '1'")).toEqual([
      { author_id: 'a', tags: ['macronleaks', 'presidentielle2017'], ts: T0 + 1_000 },
    ]);
  });

  it('remembers the account for posts that arrive later, also in a sink started later', async () => {
    const first = sink();
    await write(first, 'deletions', [accountDeletion('a', T0 + 5_000)]);
    await write(first, 'accepted', [authored('1', 'a', 1), authored('2', 'b', 1)]);
    await first.close();
    const second = sink();
    await write(second, 'accepted', [authored('3', 'a', 4), authored('4', 'a', 6)]);
    expect(await posts()).toEqual([redacted('1', T0 + 5_000), kept('2', 'b'), redacted('3', T0 + 5_000), kept('4', 'a')]);
  });

  it('is idempotent: a redelivered or older deletion of the same account changes nothing, and a post keeps its own deletion time', async () => {
    const stage = sink();
    await write(stage, 'accepted', [authored('1', 'a', 1), authored('2', 'a', 2)]);
    await write(stage, 'deletions', [{ key: 'sim:1', value: { platform: 'sim', id: '1', at: T0 + 1_500 } }]);
    await write(stage, 'deletions', [accountDeletion('a', T0 + 3_000)]);
    const once = await posts();
    expect(once).toEqual([redacted('1', T0 + 1_500), redacted('2', T0 + 3_000)]);
    await write(stage, 'deletions', [accountDeletion('a', T0 + 3_000), accountDeletion('a', T0 + 2_500)]);
    expect(await posts()).toEqual(once);
    expect(await store.query('SELECT author_id, toUnixTimestamp64Milli(deleted_at) AS at FROM account_deletions FINAL')).toEqual([{ author_id: 'a', at: T0 + 3_000 }]);
    // A post created between the older and the newer deletion, arriving now, is still covered.
    await write(stage, 'accepted', [authored('3', 'a', 2.8)]);
    expect((await posts())[2]).toEqual(redacted('3', T0 + 3_000));
  });

  it('past its memory of accounts, checks account_deletions in SQL', async () => {
    const stage = sink(1);
    await write(stage, 'deletions', [accountDeletion('a', T0 + 5_000), accountDeletion('b', T0 + 5_000), accountDeletion('c', T0 + 5_000)]);
    await write(stage, 'accepted', [authored('1', 'a', 1), authored('2', 'b', 1), authored('3', 'c', 1), authored('4', 'd', 1), authored('5', 'a', 9)]);
    expect(await posts()).toEqual([redacted('1', T0 + 5_000), redacted('2', T0 + 5_000), redacted('3', T0 + 5_000), kept('4', 'd'), kept('5', 'a')]);
  });

  it('finds the posts of a Bluesky account by their at:// id prefix, without touching an account whose DID extends it', async () => {
    const stage = sink();
    const bsky = (did: string, rkey: string, seconds: number): BusRecord<'accepted'> =>
      postRecord(rkey, { platform: 'bluesky', id: `at://${did}/app.bsky.feed.post/${rkey}`, author: { id: did, handle: `${rkey}.bsky.social` }, ts: T0 + seconds * 1000 });
    await write(stage, 'accepted', [bsky('did:plc:abc', 'r1', 1), bsky('did:plc:abc', 'r2', 9), bsky('did:plc:abcd', 'r3', 1)]);
    await write(stage, 'deletions', [accountDeletion('did:plc:abc', T0 + 5_000, 'bluesky')]);
    expect(await store.query("SELECT id, author_handle, deleted FROM posts FINAL WHERE platform = 'bluesky' ORDER BY id")).toEqual([
      { id: 'at://did:plc:abc/app.bsky.feed.post/r1', author_handle: '', deleted: 1 },
      { id: 'at://did:plc:abc/app.bsky.feed.post/r2', author_handle: 'r2.bsky.social', deleted: 0 },
      { id: 'at://did:plc:abcd/app.bsky.feed.post/r3', author_handle: 'r3.bsky.social', deleted: 0 },
    ]);
  });

  it('applies what the X collector reads from the compliance streams: a post delete and an account suspension', async () => {
    const token = 'AAAAAAAAAAAAAAAAAAAAAx-bearer-st0re';
    const server = await XProtocolServer.start(token);
    const collector = new XCollector(
      XSourceOptionsSchema.parse({ type: 'x', url: server.url, bearerToken: token, statsIntervalMs: 0, compliance: { partitions: [1] } }),
      { log: silentLogger(), clock: new InstantSleepClock() },
    );
    const output = new RecordingOutput();
    const abort = new AbortController();
    const running = collector.run(output, abort.signal);
    try {
      const [stream, tweets, users] = await Promise.all([
        server.nextStream(FILTERED_STREAM),
        server.nextStream('/2/tweets/compliance/stream?partition=1'),
        server.nextStream('/2/users/compliance/stream?partition=1'),
      ]);
      // The byte-exact transcript: an original by veille_2027, a retweet by patriote84213, a quote.
      stream.res.write(Buffer.from(frame('x/stream-transcript.txt')));
      await output.until(() => output.postRecords.length === 3);
      tweets.res.write(`${frame('x/compliance-tweet-delete.json')}\r\n`);
      users.res.write(`${frame('x/compliance-user-suspend.json')}\r\n`);
      await output.until(() => output.deletionRecords.length === 2);
    } finally {
      abort.abort();
      await running;
      await collector.close();
      await server.close();
    }
    const stage = sink();
    const accepted = output.postRecords.map((r): BusRecord<'accepted'> => {
      const post: Post = parsePost(r.post);
      return { key: `x:${post.id}`, value: post };
    });
    await write(stage, 'accepted', accepted);
    const deletions = output.deletionRecords.map((value): BusRecord<'deletions'> => ({ key: `x:${value.id}`, value }));
    const out = await write(stage, 'deletions', deletions);
    expect(out.of(Streams.deadLetters)).toEqual([]);
    expect(await store.query('SELECT id, author_handle, text = \'\' AS redacted, deleted FROM posts FINAL ORDER BY id')).toEqual([
      { id: '2099559292860837888', author_handle: 'veille_2027', redacted: 0, deleted: 0 },
      { id: '2099559475363561475', author_handle: '', redacted: 1, deleted: 1 },
      { id: '2099561114043252737', author_handle: 'obs_desinfo', redacted: 0, deleted: 0 },
    ]);
    expect(await store.query('SELECT platform, author_id FROM account_deletions FINAL')).toEqual([{ platform: 'x', author_id: '1834990012345678901' }]);
    expect(await store.query('SELECT platform, id FROM post_deletions FINAL')).toEqual([{ platform: 'x', id: '2099559475363561475' }]);
  });
});
