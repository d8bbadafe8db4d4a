import { afterAll, describe, expect, it } from 'vitest';
import { Streams } from '../../../src/bus/index.ts';
import { EmbeddedPipeline } from '../../../src/pipeline/index.ts';
import { PipelineOptionsSchema } from '../../../src/pipeline/options.ts';
import { openStore, SinkStage } from '../../../src/store/index.ts';
import { coreOnly, deletionRecord, log, postRecord, storeOptions, T0, tempStoreDir } from './store-fixture.ts';

describe('SinkStage in the embedded pipeline', () => {
  const dir = tempStoreDir();
  afterAll(() => dir.remove());

  it('stores every post once and applies deletions racing with their posts', async () => {
    const store = await openStore(storeOptions(dir.path, { batchRows: 500, flushIntervalMs: 20 }), log, coreOnly);
    try {
      const sink = new SinkStage(store, log);
      const pipeline = new EmbeddedPipeline(PipelineOptionsSchema.parse({ batchSize: 300 }), log).add(sink);
      pipeline.start();
      const posts = Array.from({ length: 3_000 }, (_, i) => postRecord(String(i)));
      const deleted = posts.filter((_, i) => i % 10 === 0).map((p) => deletionRecord(p.value.id, Date.now()));
      // Posts (twice, as a second replay would) and deletions travel on separate streams, so
      // the sink's consumers run concurrently; writes are serialized inside the sink.
      await Promise.all([
        (async () => {
          for (let i = 0; i < posts.length; i += 250) await pipeline.send(Streams.accepted, posts.slice(i, i + 250));
          for (let i = 0; i < posts.length; i += 250) await pipeline.send(Streams.accepted, posts.slice(i, i + 250));
        })(),
        (async () => {
          for (let i = 0; i < deleted.length; i += 25) await pipeline.send(Streams.deletions, deleted.slice(i, i + 25));
        })(),
      ]);
      await pipeline.flush(true);
      await pipeline.close();
      expect(await store.query('SELECT count() AS n, countIf(deleted = 1) AS redacted, countIf(deleted = 1 AND text != \'\') AS leaked FROM posts')).toEqual([
        { n: 3_000, redacted: 300, leaked: 0 },
      ]);
      const pairs = posts.reduce((n, p) => n + p.value.tags.length, 0);
      expect(await store.query('SELECT sum(length(tags)) AS pairs, min(created_at) = toDateTime64({t:UInt64} / 1000, 3, \'UTC\') AS first FROM posts', { t: T0 })).toEqual([
        { pairs, first: 1 },
      ]);
      expect(sink.figures.rowsWritten['posts']).toBe(6_000);
      expect(sink.figures.deadLettered).toBe(0);
    } finally {
      await store.close();
    }
  });
});
