import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations, openStore, type Migration } from '../../../src/store/index.ts';
import { ClosedError } from '../../../src/errors/index.ts';
import { coreOnly, log, storeOptions, tempStoreDir } from './store-fixture.ts';

describe('store migrations (embedded chDB)', () => {
  const dir = tempStoreDir();
  afterAll(() => dir.remove());

  it('creates the core tables once: opening twice records each version once', async () => {
    const first = await openStore(storeOptions(dir.path), log);
    await first.close();
    const second = await openStore(storeOptions(dir.path), log);
    try {
      const recorded = await second.query<{ version: number; n: number }>(
        'SELECT version, count() AS n FROM schema_migrations GROUP BY version ORDER BY version',
      );
      expect(recorded).toEqual(migrations.map((m) => ({ version: m.version, n: 1 })).sort((a, b) => a.version - b.version));
      const tables = await second.query<{ name: string }>(`SELECT name FROM system.tables WHERE database = '${second.database}' ORDER BY name`);
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['dead_letters', 'flags', 'post_deletions', 'posts', 'schema_migrations', 'tag_minute']),
      );
    } finally {
      await second.close();
    }
  });

  it('applies a newly appended migration once, and leaves the applied ones alone', async () => {
    const extra: Migration = {
      version: 9,
      name: 'test_extra_table',
      statements: ['CREATE TABLE IF NOT EXISTS {db}.test_extra (k String) ENGINE = ReplacingMergeTree ORDER BY k'],
    };
    for (let i = 0; i < 2; i++) {
      const store = await openStore(storeOptions(dir.path), log, { migrations: [...migrations, extra] });
      await store.close();
    }
    const store = await openStore(storeOptions(dir.path), log);
    try {
      const rows = await store.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_migrations WHERE version = 9',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.name).toBe('test_extra_table');
      expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await store.close();
    }
  });

  it('sets the retention TTL on personal-data tables and follows a changed retentionDays', async () => {
    const ttlOf = async (days: number): Promise<Record<string, string>> => {
      const store = await openStore(storeOptions(dir.path, { retentionDays: days }), log);
      try {
        const rows = await store.query<{ name: string; engine_full: string }>(
          `SELECT name, engine_full FROM system.tables WHERE database = '${store.database}' AND name IN ('posts', 'post_deletions', 'dead_letters')`,
        );
        return Object.fromEntries(rows.map((r) => [r.name, r.engine_full]));
      } finally {
        await store.close();
      }
    };
    const initial = await ttlOf(90);
    expect(initial['posts']).toContain('TTL toDateTime(ingested_at) + toIntervalDay(90)');
    expect(initial['dead_letters']).toContain('TTL toDateTime(stored_at) + toIntervalDay(90)');
    const changed = await ttlOf(30);
    expect(changed['posts']).toContain('TTL toDateTime(ingested_at) + toIntervalDay(30)');
    expect(changed['post_deletions']).toContain('TTL toDateTime(stored_at) + toIntervalDay(30)');
  });

  it('a closed store rejects work, and closing twice is harmless', async () => {
    const store = await openStore(storeOptions(dir.path), log);
    await store.close();
    await store.close();
    await expect(store.query('SELECT 1')).rejects.toBeInstanceOf(ClosedError);
    await expect(store.insert('posts', [{ id: 'x' }])).rejects.toBeInstanceOf(ClosedError);
  });
});

describe('reading deduplicated data', () => {
  const dir = tempStoreDir();
  let store: Awaited<ReturnType<typeof openStore>>;
  beforeAll(async () => {
    store = await openStore(storeOptions(dir.path), log, coreOnly);
  });
  afterAll(async () => {
    await store?.close();
    dir.remove();
  });

  it('final=1 hides ReplacingMergeTree duplicates before any merge', async () => {
    const row = { tag: 't', minute: '2017-05-05 18:50:00', posts: 3, revision: 0 };
    await store.insert('tag_minute', [row]);
    await store.insert('tag_minute', [row]);
    await store.insert('tag_minute', [{ ...row, posts: 4, revision: 1 }]);
    const raw = await store.query<{ n: number }>('SELECT count() AS n FROM tag_minute', undefined, { final: 0 });
    expect(raw[0]?.n).toBe(3);
    const deduplicated = await store.query<{ n: number; posts: number }>('SELECT count() AS n, sum(posts) AS posts FROM tag_minute');
    expect(deduplicated).toEqual([{ n: 1, posts: 4 }]);
  });
});
