import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TagStateSnapshot } from '../../../src/bus/index.ts';
import type { TagMinute } from '../../../src/model/index.ts';
import { migrations, openStore, SinkStage, type Store } from '../../../src/store/index.ts';
import { AnalyzeStage } from '../../../src/stream/index.ts';
import { batch, CapturingProducer, log, postRecord, storeOptions, T0, tempStoreDir } from '../store/store-fixture.ts';
import { feed, finalMinutes, RecordingProducer, tagEvent } from '../../unit/stream/stream-fixtures.ts';

function minuteRow(tag: string, minute: number, posts: number, revision: number): TagMinute {
  return {
    tag, minute, posts, originals: posts, reposts: 0, replies: 0, quotes: 0, uniqueAuthors: posts, newAuthors: posts, reach: 10 * posts,
    youngPosts: 0, languages: 1, platforms: 1, top10Share: 1, gini: 0, latePosts: revision, velocity: posts, acceleration: 0,
    baselineMean: 1, baselineStd: 1, zscore: posts, revision,
  };
}

describe('analyze tables in the store', () => {
  const dir = tempStoreDir();
  let store!: Store;
  let sink!: SinkStage;
  const out = new CapturingProducer();

  beforeAll(async () => {
    // Core tables and the analyze range only: this file tests migration 10 and the tag_state mapper.
    store = await openStore(storeOptions(dir.path), log, { migrations: migrations.filter((m) => m.version <= 19) });
    sink = new SinkStage(store, log);
  });

  afterAll(async () => {
    // Undefined when beforeAll failed.
    await (sink as SinkStage | undefined)?.close();
    await (store as Store | undefined)?.close();
    dir.remove();
  });

  it('rolls tag_minute up into tag_hour without counting revisions or re-inserts twice', async () => {
    const hour = Date.UTC(2017, 4, 5, 18);
    const rows = [minuteRow('leak', hour, 5, 0), minuteRow('leak', hour + 60_000, 7, 0), minuteRow('leak', hour, 6, 1), minuteRow('leak', hour + 3_600_000, 2, 0)];
    await sink.process(batch('metrics', rows.map((value) => ({ key: value.tag, value }))), out);
    // The sink may write a batch twice (retry) and a replay re-emits rows: neither may change the rollup.
    await sink.process(batch('metrics', rows.slice(0, 2).map((value) => ({ key: value.tag, value }))), out);
    await sink.process(batch('accepted', [postRecord('1', { tags: ['leak'], tagDisplay: ['leak'], ts: hour + 1000 }), postRecord('2', { tags: ['leak'], tagDisplay: ['leak'], ts: hour + 2000, author: { id: 'a1' } })]), out);
    const got = await store.query<{ hour: string; posts: number; late_posts: number; reach: number; peak_posts_per_minute: number; unique_authors: number }>(
      `SELECT toString(hour) AS hour, posts, late_posts, reach, peak_posts_per_minute, unique_authors FROM ${store.table('tag_hour')} WHERE tag = 'leak' ORDER BY hour`,
    );
    expect(got).toEqual([
      { hour: '2017-05-05 18:00:00', posts: 13, late_posts: 1, reach: 130, peak_posts_per_minute: 7, unique_authors: 1 },
      { hour: '2017-05-05 19:00:00', posts: 2, late_posts: 0, reach: 20, peak_posts_per_minute: 2, unique_authors: 0 },
    ]);
  });

  it('stores checkpoints (latest wins, tombstones forget) and restores a stage from them', async () => {
    const stage = new AnalyzeStage();
    const produced = new RecordingProducer();
    const events = [
      tagEvent('alpha', T0, { author: 'u1' }),
      tagEvent('alpha', T0 + 5_000, { author: 'u2' }),
      tagEvent('beta', T0 + 9_000),
      // Still in the reorder buffer at the checkpoint: it must travel with alpha's state.
      tagEvent('alpha', T0 + 40_000, { author: 'u3' }),
    ];
    await feed(stage, produced, events, 2, false);
    await stage.flush(produced, false);
    const records = produced.sent.get('analyze-state') ?? [];
    expect(records.length).toBeGreaterThan(0);
    await sink.process(batch('analyze-state', records as Array<{ key: string; value: TagStateSnapshot | null }>), out);
    // An evicted tag's tombstone after its checkpoint: it must not come back.
    await sink.process(batch('analyze-state', [{ key: 'beta', value: null }]), out);
    const snapshots: TagStateSnapshot[] = [];
    for await (const s of store.tagStates()) snapshots.push(s);
    expect(snapshots.map((s) => s.tag).sort()).toEqual(['alpha', '~stage']);

    const resumed = new AnalyzeStage();
    expect(await resumed.restore(store.tagStates())).toBe(1);
    const after = new RecordingProducer();
    await feed(resumed, after, [tagEvent('alpha', T0 + 45_000, { author: 'u1' })], 1);
    const [row] = finalMinutes(after.metrics);
    expect(row).toMatchObject({ tag: 'alpha', minute: T0, posts: 4, uniqueAuthors: 3, newAuthors: 3, revision: 0 });
  });
});
