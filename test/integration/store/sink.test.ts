import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Streams, type BusRecord } from '../../../src/bus/index.ts';
import { ErrorCodes, ExternalError } from '../../../src/errors/index.ts';
import type { DeadLetter, Flag, TagMinute } from '../../../src/model/index.ts';
import { defaultStreamWriters, openStore, SinkStage, tableRowWriter, type Store, type StreamWriter } from '../../../src/store/index.ts';
import { coreOnly, batch, CapturingProducer, deletionRecord, log, postRecord, storeOptions, T0, tempStoreDir } from './store-fixture.ts';

const dir = tempStoreDir();
let store: Store;
const tables = ['posts', 'post_deletions', 'tag_minute', 'flags', 'dead_letters'];

beforeAll(async () => {
  store = await openStore(storeOptions(dir.path), log, coreOnly);
  await store.command('CREATE TABLE IF NOT EXISTS sink_test_bytes (k String, v UInt8) ENGINE = ReplacingMergeTree ORDER BY k');
});
afterAll(async () => {
  await store?.close();
  dir.remove();
});
afterEach(async () => {
  for (const table of [...tables, 'sink_test_bytes']) await store.command(`TRUNCATE TABLE ${store.table(table)}`);
});

// ingested_at must be recent: retention (TTL) counts from it, and would drop rows stored "in 2017".
const INGESTED_AT = Date.now();

function sink(settings: ConstructorParameters<typeof SinkStage>[2] = {}): SinkStage {
  return new SinkStage(store, log, { now: () => INGESTED_AT, ...settings });
}

function minute(tag: string, at: number, posts: number, revision = 0): BusRecord<'metrics'> {
  const value: TagMinute = {
    tag,
    minute: at,
    posts,
    originals: posts,
    reposts: 0,
    replies: 0,
    quotes: 0,
    uniqueAuthors: posts,
    newAuthors: posts,
    reach: 100,
    youngPosts: 0,
    languages: 1,
    platforms: 1,
    top10Share: 1,
    gini: 0,
    latePosts: 0,
    velocity: posts,
    acceleration: 0,
    baselineMean: 0,
    baselineStd: 0,
    zscore: Number.POSITIVE_INFINITY,
    revision,
  };
  return { key: tag, value };
}

describe('SinkStage', () => {
  it('reads exactly the streams with a registered writer, batched by the store options', () => {
    const stage = sink();
    expect(stage.inputs).toEqual(defaultStreamWriters(store.options).map((w) => w.stream));
    expect(stage.inputs).toEqual(expect.arrayContaining([Streams.accepted, Streams.deletions, Streams.deadLetters, Streams.flags, Streams.metrics]));
    expect(new SinkStage(store, log, { writers: [] }).inputs).toEqual([]);
    expect(stage.batching).toEqual({ maxRecords: store.options.batchRows, maxWaitMs: store.options.flushIntervalMs });
  });

  it('writes posts, tag minutes, flags and dead letters to their tables', async () => {
    const stage = sink();
    const out = new CapturingProducer();
    await stage.process(batch(Streams.accepted, [postRecord('1'), postRecord('2', { kind: 'reply', parentId: '1', lang: 'fr' })]), out);
    await stage.process(batch(Streams.metrics, [minute('macronleaks', T0, 2), minute('presidentielle2017', T0, 2)]), out);
    const flag: Flag = {
      flagId: 'burst:macronleaks:1',
      tag: 'macronleaks',
      kind: 'burst',
      detectedAt: T0 + 60_000,
      windowStart: T0,
      windowEnd: T0 + 60_000,
      score: 7.5,
      authors: ['a1', 'a2'],
      postIds: ['1', '2'],
      signals: { zscore: 7.5, velocity: 2 },
      evidence: JSON.stringify({ summary: '2 posts in a minute against a baseline of 0' }),
      revision: 0,
    };
    await stage.process(batch(Streams.flags, [{ key: flag.tag, value: flag }]), out);
    const letter: DeadLetter = { source: 'replay', ref: 's.jsonl:7', code: ErrorCodes.JSON_INVALID, reason: 'Unexpected token', payload: '{nope', at: T0 };
    await stage.process(batch(Streams.deadLetters, [{ key: 's.jsonl:7', value: letter }]), out);

    expect(await store.query('SELECT id, author_handle, kind, parent_id, lang, tags, deleted, version FROM posts ORDER BY id')).toEqual([
      { id: '1', author_handle: 'handle1', kind: 'original', parent_id: '', lang: '', tags: ['macronleaks', 'presidentielle2017'], deleted: 0, version: 1 },
      { id: '2', author_handle: 'handle2', kind: 'reply', parent_id: '1', lang: 'fr', tags: ['macronleaks', 'presidentielle2017'], deleted: 0, version: 1 },
    ]);
    expect(await store.query('SELECT tag, toUnixTimestamp(minute) * 1000 AS minute, posts, isInfinite(zscore) AS inf FROM tag_minute ORDER BY tag')).toEqual([
      { tag: 'macronleaks', minute: T0, posts: 2, inf: 1 },
      { tag: 'presidentielle2017', minute: T0, posts: 2, inf: 1 },
    ]);
    expect(
      await store.query(
        'SELECT flag_id, kind, toUnixTimestamp64Milli(detected_at) AS detected_at, score, authors, post_ids, signals, JSONExtractString(evidence, \'summary\') AS summary FROM flags',
      ),
    ).toEqual([
      {
        flag_id: flag.flagId,
        kind: 'burst',
        detected_at: flag.detectedAt,
        score: 7.5,
        authors: ['a1', 'a2'],
        post_ids: ['1', '2'],
        signals: { velocity: 2, zscore: 7.5 },
        summary: '2 posts in a minute against a baseline of 0',
      },
    ]);
    expect(await store.query('SELECT source, ref, code, reason, payload FROM dead_letters')).toEqual([
      { source: 'replay', ref: 's.jsonl:7', code: ErrorCodes.JSON_INVALID, reason: 'Unexpected token', payload: '{nope' },
    ]);
    expect(stage.figures.rowsWritten).toEqual({ posts: 2, tag_minute: 2, flags: 1, dead_letters: 1 });
    expect(out.sent.size).toBe(0);
  });

  it('is idempotent: the same batches written twice count once', async () => {
    const posts = Array.from({ length: 50 }, (_, i) => postRecord(String(i)));
    const minutes = [minute('macronleaks', T0, 30), minute('macronleaks', T0 + 60_000, 20)];
    for (let round = 0; round < 2; round++) {
      const stage = sink();
      await stage.process(batch(Streams.accepted, posts), new CapturingProducer());
      await stage.process(batch(Streams.metrics, minutes), new CapturingProducer());
      await stage.close();
    }
    expect(await store.query('SELECT count() AS n FROM posts')).toEqual([{ n: 50 }]);
    expect(await store.query('SELECT count() AS n, sum(posts) AS posts FROM tag_minute')).toEqual([{ n: 2, posts: 50 }]);
    // The duplicates are there until a merge; final=1 is what hides them.
    expect(await store.query('SELECT count() AS n FROM posts', undefined, { final: 0 })).toEqual([{ n: 100 }]);
  });

  it('a later revision of a tag minute replaces the earlier one', async () => {
    const stage = sink();
    await stage.process(batch(Streams.metrics, [minute('macronleaks', T0, 5, 0)]), new CapturingProducer());
    await stage.process(batch(Streams.metrics, [minute('macronleaks', T0, 7, 1)]), new CapturingProducer());
    expect(await store.query('SELECT posts, revision FROM tag_minute')).toEqual([{ posts: 7, revision: 1 }]);
  });

  it('a deletion after its post redacts the stored post and keeps what explains counts', async () => {
    const stage = sink();
    await stage.process(batch(Streams.accepted, [postRecord('1'), postRecord('2')]), new CapturingProducer());
    await stage.process(batch(Streams.deletions, [deletionRecord('1', T0 + 10_000)]), new CapturingProducer());
    expect(
      await store.query(
        'SELECT id, text, author_handle, author_id, urls, tags, deleted, toUnixTimestamp64Milli(deleted_at) AS deleted_at, toUnixTimestamp64Milli(created_at) AS created_at FROM posts ORDER BY id',
      ),
    ).toEqual([
      { id: '1', text: '', author_handle: '', author_id: 'a1', urls: [], tags: ['macronleaks', 'presidentielle2017'], deleted: 1, deleted_at: T0 + 10_000, created_at: T0 + 1000 },
      {
        id: '2',
        text: 'post 2 #MacronLeaks #Presidentielle2017',
        author_handle: 'handle2',
        author_id: 'a2',
        urls: ['https://example.org/leak'],
        tags: ['macronleaks', 'presidentielle2017'],
        deleted: 0,
        deleted_at: null,
        created_at: T0 + 2000,
      },
    ]);
    expect(await store.query('SELECT platform, id FROM post_deletions')).toEqual([{ platform: 'sim', id: '1' }]);
    // A replay of the post after its deletion does not bring the text back.
    await stage.process(batch(Streams.accepted, [postRecord('1')]), new CapturingProducer());
    expect(await store.query("SELECT text, deleted FROM posts WHERE id = '1'")).toEqual([{ text: '', deleted: 1 }]);
  });

  it('a deletion before its post is remembered, also by a sink started later', async () => {
    const first = sink();
    await first.process(batch(Streams.deletions, [deletionRecord('7', T0 + 1), deletionRecord('8', T0 + 2)]), new CapturingProducer());
    await first.process(batch(Streams.accepted, [postRecord('7'), postRecord('9')]), new CapturingProducer());
    await first.close();
    // A new sink (a restart) loads recent deletions from post_deletions.
    const second = sink();
    await second.process(batch(Streams.accepted, [postRecord('8')]), new CapturingProducer());
    expect(await store.query('SELECT id, text, deleted FROM posts ORDER BY id')).toEqual([
      { id: '7', text: '', deleted: 1 },
      { id: '8', text: '', deleted: 1 },
      { id: '9', text: 'post 9 #MacronLeaks #Presidentielle2017', deleted: 0 },
    ]);
  });

  it('past its memory of deletions, checks post_deletions in SQL', async () => {
    const stage = sink({ writers: defaultStreamWriters({ recentDeletions: 1 }) });
    await stage.process(batch(Streams.deletions, [deletionRecord('1', T0 + 1), deletionRecord('2', T0 + 2), deletionRecord('3', T0 + 3)]), new CapturingProducer());
    await stage.process(batch(Streams.accepted, [postRecord('1'), postRecord('2'), postRecord('3'), postRecord('4')]), new CapturingProducer());
    expect(await store.query('SELECT id, deleted, text = \'\' AS redacted FROM posts ORDER BY id')).toEqual([
      { id: '1', deleted: 1, redacted: 1 },
      { id: '2', deleted: 1, redacted: 1 },
      { id: '3', deleted: 1, redacted: 1 },
      { id: '4', deleted: 0, redacted: 0 },
    ]);
  });

  it('dead-letters a record it cannot map and writes the rest of the batch', async () => {
    const stage = sink();
    const out = new CapturingProducer();
    await stage.process(batch(Streams.accepted, [postRecord('1'), postRecord('2', { ts: Number.NaN }), postRecord('3')]), out);
    expect(await store.query('SELECT id FROM posts ORDER BY id')).toEqual([{ id: '1' }, { id: '3' }]);
    const letters = out.of(Streams.deadLetters);
    expect(letters).toHaveLength(1);
    expect(letters[0]?.value).toMatchObject({ source: 'sink', ref: 'accepted/sim:2', code: ErrorCodes.STORE_ROW_INVALID });
    expect(stage.figures.deadLettered).toBe(1);
  });

  it('isolates rows ClickHouse refuses and writes the others', async () => {
    const bytes: StreamWriter = tableRowWriter({
      stream: Streams.metrics,
      table: 'sink_test_bytes',
      toRow: (value) => ({ k: value.tag, v: value.tag.startsWith('bad') ? 'not a number' : value.posts }),
    });
    const stage = sink({ writers: [bytes] });
    const out = new CapturingProducer();
    const records = Array.from({ length: 16 }, (_, i) => minute(i === 5 || i === 12 ? `bad${i}` : `ok${i}`, T0, i));
    await stage.process(batch(Streams.metrics, records), out);
    const written = await store.query<{ n: number }>('SELECT count() AS n FROM sink_test_bytes');
    expect(written).toEqual([{ n: 14 }]);
    expect(out.of(Streams.deadLetters).map((r) => (r.value as DeadLetter).ref)).toEqual(['metrics/bad5', 'metrics/bad12']);
    expect((out.of(Streams.deadLetters)[0]?.value as DeadLetter).reason).toMatch(/parse|number/i);
  });

  it('retries a retriable failure with backoff and resolves only once written', async () => {
    let failures = 2;
    const inner = defaultStreamWriters(store.options).find((w) => w.stream === Streams.flags);
    if (inner === undefined) throw new Error('no flags writer');
    const flaky: StreamWriter = {
      stream: Streams.flags,
      tables: inner.tables,
      async write(records, ctx) {
        if (failures > 0) {
          failures--;
          throw new ExternalError(ErrorCodes.STORE_UNAVAILABLE, 'connection refused', { retriable: true });
        }
        return inner.write(records, ctx);
      },
    };
    const stage = sink({ writers: [flaky] });
    const flag: Flag = {
      flagId: 'f',
      tag: 't',
      kind: 'burst',
      detectedAt: T0,
      windowStart: T0,
      windowEnd: T0,
      score: 1,
      authors: [],
      postIds: [],
      signals: {},
      evidence: '{}',
      revision: 0,
    };
    await stage.process(batch(Streams.flags, [{ key: 't', value: flag }]), new CapturingProducer());
    expect(stage.figures.retries).toBe(2);
    expect(await store.query('SELECT count() AS n FROM flags')).toEqual([{ n: 1 }]);
  });

  it('a closed sink stops retrying and rejects new work', async () => {
    const down: StreamWriter = {
      stream: Streams.flags,
      tables: ['flags'],
      write: async () => {
        throw new ExternalError(ErrorCodes.STORE_UNAVAILABLE, 'server down', { retriable: true });
      },
    };
    const stage = new SinkStage(store, log, { writers: [down] });
    const pending = stage.process(batch(Streams.flags, [{ key: 't', value: {} as Flag }]), new CapturingProducer());
    const rejected = expect(pending).rejects.toThrow(/server down/);
    await stage.close();
    await rejected;
    await expect(stage.process(batch(Streams.flags, []), new CapturingProducer())).rejects.toThrow(/closed/);
  });
});
