import { describe, expect, it } from 'vitest';
import { Streams } from '../../../src/bus/index.ts';
import { ErrorCodes, ExternalError, TagwatchError } from '../../../src/errors/index.ts';
import { assertReadOnlyStatement, isRetriableStoreError, isRowDataError, migrations } from '../../../src/store/index.ts';
import { migrationChecksum, renderStatement } from '../../../src/store/migrations/index.ts';
import { defaultStreamWriters, KAFKA_SINK_WRITERS, RecentDeletions } from '../../../src/store/sink/index.ts';

describe('assertReadOnlyStatement', () => {
  it.each([
    'SELECT count() AS n FROM posts',
    '  select 1;',
    'WITH 1 AS x SELECT x',
    '(SELECT 1) UNION ALL (SELECT 2)',
    'SHOW TABLES',
    'DESCRIBE TABLE posts',
    'EXPLAIN SELECT 1',
    "SELECT 'DROP TABLE posts; INSERT INTO x' AS s",
    'SELECT 1 -- ; DROP TABLE posts',
    'SELECT /* ; DELETE */ 1',
    'SELECT `into` FROM t WHERE "outfile" = 1',
    "SELECT 'it''s; fine', 'back\\'slash;'",
  ])('lets a read through: %s', (sql) => {
    expect(() => assertReadOnlyStatement(sql)).not.toThrow();
  });

  it.each([
    ['INSERT INTO posts VALUES (1)', /INSERT statements are not allowed/],
    ['drop table posts', /DROP statements are not allowed/],
    ['ALTER TABLE posts DELETE WHERE 1', /ALTER/],
    ['OPTIMIZE TABLE posts FINAL', /OPTIMIZE/],
    ['SET readonly = 0', /SET/],
    ['/* SELECT */ TRUNCATE TABLE posts', /TRUNCATE/],
    ['SELECT 1; DROP TABLE posts', /only one statement/],
    ["SELECT * FROM posts INTO OUTFILE '/tmp/x'", /INTO OUTFILE/],
    ['   ', /empty/],
    ['-- only a comment', /empty/],
  ])('refuses %s', (sql, message) => {
    let caught: unknown;
    try {
      assertReadOnlyStatement(sql);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TagwatchError);
    expect((caught as TagwatchError).code).toBe(ErrorCodes.STORE_READONLY);
    expect((caught as TagwatchError).message).toMatch(message);
  });
});

describe('store error classification', () => {
  const clickhouse = (code: number): Error => Object.assign(new Error(`code ${code}`), { code: String(code), type: 'X' });

  it('retries an overloaded or unreachable server, not a bad statement', () => {
    expect(isRetriableStoreError(clickhouse(252))).toBe(true); // TOO_MANY_PARTS
    expect(isRetriableStoreError(clickhouse(159))).toBe(true); // TIMEOUT_EXCEEDED
    expect(isRetriableStoreError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetriableStoreError(new Error('socket hang up'))).toBe(true);
    expect(isRetriableStoreError(clickhouse(60))).toBe(false); // UNKNOWN_TABLE
    expect(isRetriableStoreError(clickhouse(72))).toBe(false); // CANNOT_PARSE_NUMBER
    expect(isRetriableStoreError(new TypeError('x is undefined'))).toBe(false);
  });

  it('sees a data error through a wrapping TagwatchError', () => {
    const wrapped = new ExternalError(ErrorCodes.STORE_QUERY, 'insert failed', { cause: clickhouse(27) });
    expect(isRowDataError(wrapped)).toBe(true);
    expect(isRowDataError(clickhouse(60))).toBe(false);
  });
});

describe('RecentDeletions', () => {
  it('remembers the most recent deletions and says when older ones were dropped', () => {
    const recent = new RecentDeletions(2);
    recent.add('sim', '1', 10);
    recent.add('sim', '2', 20);
    expect(recent.overflowed).toBe(false);
    recent.add('sim', '3', 30);
    expect(recent.get('sim', '1')).toBeUndefined();
    expect(recent.get('sim', '3')).toBe(30);
    expect(recent.size).toBe(2);
    expect(recent.overflowed).toBe(true);
  });

  it('forgets exactly like a Map kept in add order (a re-added key moves to the young end), through compactions', () => {
    // Reference: the Map delete + set idiom RecentDeletions used to be.
    const capacity = 40;
    const recent = new RecentDeletions(capacity);
    const ref = new Map<string, number>();
    let refOverflowed = false;
    let seed = 3;
    for (let i = 0; i < 6_000; i++) {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      // Mostly new ids, some re-deleted ones (recent and old): both slot kinds go dead.
      const id = seed % 4 === 0 ? String(Math.max(0, i - (seed % 90))) : String(i);
      recent.add('sim', id, i);
      ref.delete(`sim:${id}`);
      ref.set(`sim:${id}`, i);
      if (ref.size > capacity) {
        ref.delete(ref.keys().next().value as string);
        refOverflowed = true;
      }
      expect(recent.size).toBe(ref.size);
      expect(recent.overflowed).toBe(refOverflowed);
      if (i % 50 === 0) for (let j = Math.max(0, i - 120); j <= i; j++) expect(recent.get('sim', String(j)), `after ${i}: ${j}`).toBe(ref.get(`sim:${j}`));
    }
  });

  it('with no capacity remembers nothing and always defers to SQL', () => {
    const recent = new RecentDeletions(0);
    recent.add('sim', '1', 10);
    expect(recent.get('sim', '1')).toBeUndefined();
    expect(recent.overflowed).toBe(true);
  });
});

describe('sink writer registry', () => {
  const options = { recentDeletions: 100 };
  it('stores analyze checkpoints in tag_state by default (the embedded runtime restores from it)', () => {
    expect(defaultStreamWriters(options).map((w) => w.stream)).toContain(Streams.analyzeState);
  });

  it('leaves checkpoints in their compacted topic on Kafka, and still writes every other stream', () => {
    const all = defaultStreamWriters(options).map((w) => w.stream);
    const kafka = defaultStreamWriters(options, KAFKA_SINK_WRITERS).map((w) => w.stream);
    expect(kafka).not.toContain(Streams.analyzeState);
    expect(kafka).toEqual(all.filter((s) => s !== Streams.analyzeState));
  });
});

describe('migrations', () => {
  it('have unique versions, core ones within 1–9', () => {
    const versions = migrations.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(migrations.find((m) => m.version === 1)?.name).toBe('core_tables');
  });

  it('render placeholders, and checksum the template so a retention change is not an edit', () => {
    const core = migrations[0];
    expect(core).toBeDefined();
    if (core === undefined) return;
    const sql = core.statements.map((s) => renderStatement(s, { database: 'tw_x', retentionDays: 7 })).join('\n');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS tw_x.posts');
    expect(sql).toContain('INTERVAL 7 DAY');
    expect(sql).not.toMatch(/\{db\}|\{retention_days\}/);
    expect(migrationChecksum(core)).toMatch(/^[0-9a-f]{64}$/);
  });
});
