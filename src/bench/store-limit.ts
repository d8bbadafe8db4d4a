import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Session } from 'chdb';
import { parseConfig } from '../config/index.ts';
import { silentLogger } from '../log/index.ts';
import { migrations, openStore, runMigrations, type TableRow } from '../store/index.ts';
import { toPostRow } from '../store/sink/index.ts';
import { perSecond } from './bench-stats.ts';
import { firstLine } from './failure-text.ts';
import { readAllLines } from './jsonl-lines.ts';
import { collectGarbage } from './memory-probe.ts';
import { parseLines } from './tag-event-batches.ts';
import type { Benchmark, BenchRow } from './types.ts';

interface StoreInput {
  file: string;
  posts: number;
  dir: string;
}

interface StoreOutput {
  rows: number;
  batchRows: number;
  batches: number;
  ms: number;
}

/** Rows of `posts` exactly as the sink maps them, in the sink's batch size. */
async function postRowBatches(file: string, posts: number, batchRows: number): Promise<TableRow[][]> {
  const now = Date.now();
  const rows = parseLines(await readAllLines(file, posts)).posts.map((p) => toPostRow(p, now));
  const batches: TableRow[][] = [];
  for (let i = 0; i < rows.length; i += batchRows) batches.push(rows.slice(i, i + batchRows));
  return batches;
}

/**
 * Child task: the posts inserted into a fresh embedded store with no processing, through
 * `Store.insert` (@clickhouse/client over `chdb/connection`, as the sink writes), one batch of
 * `store.batchRows` at a time.
 */
export async function storeClientTask(input: unknown): Promise<StoreOutput> {
  const { file, posts, dir } = input as StoreInput;
  const config = parseConfig({ store: { path: dir } });
  const batches = await postRowBatches(file, posts, config.store.batchRows);
  const store = await openStore(config.store, silentLogger());
  try {
    collectGarbage();
    const started = performance.now();
    for (const batch of batches) await store.insert('posts', batch);
    const ms = performance.now() - started;
    return { rows: batches.reduce((n, b) => n + b.length, 0), batchRows: config.store.batchRows, batches: batches.length, ms };
  } finally {
    await store.close();
  }
}

/**
 * Child task, the lever the issue names: the same rows through chDB's native raw insert (a
 * JSONEachRow Buffer handed to the engine's parser, no SQL text built in JS). Same table (the
 * store's migrations), same batch size; the JSON serialization is inside the clock, as it is in
 * the client path.
 */
export async function storeNativeTask(input: unknown): Promise<StoreOutput> {
  const { file, posts, dir } = input as StoreInput;
  const config = parseConfig({ store: { path: dir } });
  const batches = await postRowBatches(file, posts, config.store.batchRows);
  const session = new Session(dir);
  const db = config.store.database;
  try {
    await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${db}`);
    await runMigrations(
      {
        database: db,
        retentionDays: config.store.retentionDays,
        command: async (sql) => {
          await session.queryAsync(sql);
        },
        query: async <T>(sql: string) => {
          const text = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text();
          return text
            .split('\n')
            .filter((l) => l.length > 0)
            .map((l) => JSON.parse(l) as T);
        },
        insert: async (table, rows) => {
          await session.insert({ table, values: rows.map((r) => JSON.stringify(r)).join('\n'), format: 'JSONEachRow' });
        },
      },
      migrations,
      silentLogger(),
    );
    collectGarbage();
    const started = performance.now();
    for (const batch of batches) {
      const payload = Buffer.from(batch.map((r) => JSON.stringify(r)).join('\n'));
      await session.insert({ table: `${db}.posts`, values: payload, format: 'JSONEachRow' });
    }
    const ms = performance.now() - started;
    return { rows: batches.reduce((n, b) => n + b.length, 0), batchRows: config.store.batchRows, batches: batches.length, ms };
  } finally {
    session.close();
  }
}

export const storeLimitBenchmark: Benchmark = {
  name: 'store',
  description: 'the same posts inserted into the embedded ClickHouse with no processing (the store ceiling), via the client and via chDB native inserts',
  async run(ctx): Promise<BenchRow[]> {
    const input = (name: string): StoreInput => ({ file: ctx.stream.file, posts: ctx.options.posts, dir: join(ctx.workDir, name) });
    const rows: BenchRow[] = [];
    const client = await ctx.runChild<StoreOutput>('store-client', input('store-client'), { heapMb: 8_192, nodeFlags: ['--expose-gc'] });
    ctx.detail('storeClient', client);
    rows.push({
      id: 'store',
      label: '4 Raw store limit (@clickhouse/client over chdb)',
      value: perSecond(client.rows, client.ms),
      unit: 'posts/s',
      note: `${client.rows.toLocaleString('en-US')} posts rows, ${client.batches} inserts of ≤ ${client.batchRows.toLocaleString('en-US')} rows`,
    });
    try {
      const native = await ctx.runChild<StoreOutput>('store-native', input('store-native'), { heapMb: 8_192, nodeFlags: ['--expose-gc'] });
      ctx.detail('storeNative', native);
      rows.push({
        id: 'store.native',
        label: '4b Store, chDB native raw insert (lever)',
        value: perSecond(native.rows, native.ms),
        unit: 'posts/s',
        limitOf: 'store',
        note: 'Session.insert of a JSONEachRow Buffer; ratio = native / client path',
      });
    } catch (err) {
      rows.push({ id: 'store.native', label: '4b Store, chDB native raw insert (lever)', unit: 'posts/s', error: firstLine(err) });
    }
    return rows;
  },
};
