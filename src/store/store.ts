import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import type { Logger } from 'pino';
import { ClosedError, ErrorCodes } from '../errors/index.ts';
import { createClickHouseClient, embeddedPath } from './clickhouse-client.ts';
import { StoreDirectoryLock } from './directory-lock.ts';
import { toStoreError } from './clickhouse-errors.ts';
import { applyRetention, migrations as coreMigrations, runMigrations, type Migration, type MigrationContext } from './migrations/index.ts';
import type { StoreOptions } from './options.ts';
import type { ClickHouseHandle, QueryParams, StoreKind, TableRow } from './types.ts';
import { readTagStates } from './tag-state-source.ts';
import type { TagStateSnapshot } from '../bus/index.ts';

export interface OpenStoreSettings {
  /** Migrations to apply instead of the registered list (tests). */
  migrations?: readonly Migration[];
  /**
   * false: a reader (tagwatch sql, eval): no migrations, and no directory lock, so it may read an
   * embedded store another process is writing. Default true: a writer, which takes the lock.
   */
  migrate?: boolean;
}

/**
 * The ClickHouse store: one client, the database it uses, and small helpers. Every read is
 * deduplicated (`final = 1`, see `READ_SETTINGS`). Only the sink writes posts, metrics, flags and
 * dead letters; other components read through `query`.
 *
 * Closing waits for the statements in flight, then closes the client (and, embedded, releases the
 * data directory so another store may open in this process). A closed store rejects new work.
 */
export class Store implements AsyncDisposable {
  readonly client: ClickHouseClient;
  readonly database: string;
  readonly kind: StoreKind;
  readonly options: StoreOptions;
  readonly #log: Logger;
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;
  #lock: StoreDirectoryLock | undefined;

  constructor(handle: ClickHouseHandle, options: StoreOptions, log: Logger) {
    this.client = handle.client;
    this.database = handle.database;
    this.kind = handle.kind;
    this.options = options;
    this.#log = log;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** `database.name`: table names in statements are always qualified. */
  table(name: string): string {
    return `${this.database}.${name}`;
  }

  /** Runs a SELECT and returns its rows (JSONEachRow). `params` fill `{name:Type}` placeholders. */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams, settings?: ClickHouseSettings): Promise<T[]> {
    return this.#track('query', sql, async () => {
      const result = await this.client.query({
        query: sql,
        format: 'JSONEachRow',
        ...(params === undefined ? {} : { query_params: params }),
        ...(settings === undefined ? {} : { clickhouse_settings: settings }),
      });
      return result.json<T>();
    });
  }

  /** Runs a statement without a result (DDL, INSERT … SELECT, ALTER). */
  command(sql: string, params?: QueryParams, settings?: ClickHouseSettings): Promise<void> {
    return this.#track('command', sql, async () => {
      await this.client.command({
        query: sql,
        ...(params === undefined ? {} : { query_params: params }),
        ...(settings === undefined ? {} : { clickhouse_settings: settings }),
      });
    });
  }

  /** Inserts rows (JSONEachRow) into a table; an unqualified name is taken in this database. */
  insert(table: string, rows: ReadonlyArray<TableRow>): Promise<void> {
    if (rows.length === 0) return this.#track('insert', table, async () => undefined);
    const target = table.includes('.') ? table : this.table(table);
    return this.#track('insert', `INSERT INTO ${target}`, async () => {
      await this.client.insert({ table: target, values: rows as TableRow[], format: 'JSONEachRow' });
    });
  }

  /** The analyze stage's latest checkpoint per tag (`tag_state`), streamed page by page. */
  tagStates(): AsyncGenerator<TagStateSnapshot> {
    return readTagStates(this, (tag, err) => this.#log.error({ err, tag }, 'tag_state row skipped'));
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Holds `lock` until the store is closed. */
  holdLock(lock: StoreDirectoryLock): void {
    this.#lock = lock;
  }

  async #close(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
    try {
      await this.client.close();
    } catch (err) {
      this.#log.error({ err }, 'closing the ClickHouse client failed');
    } finally {
      this.#lock?.release();
    }
  }

  #track<T>(kind: string, sql: string, run: () => Promise<T>): Promise<T> {
    if (this.#closing !== undefined) return Promise.reject(new ClosedError(ErrorCodes.CLOSED, 'store is closed'));
    const work = run().catch((err: unknown) => {
      throw toStoreError(err, `${kind} failed (${summarize(sql)})`);
    });
    this.#inFlight.add(work);
    const forget = (): void => {
      this.#inFlight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }
}

/**
 * Opens the store: connects (embedded chDB or a server), creates the database, applies pending
 * migrations and the configured retention. `log` is used as given (pass `moduleLogger(root, 'store')`).
 */
export async function openStore(options: StoreOptions, log: Logger, settings: OpenStoreSettings = {}): Promise<Store> {
  const storeLog = log;
  const writer = settings.migrate !== false;
  // Locked before the engine opens the directory: opening already loads (and may merge) parts.
  const lock = writer && options.url === undefined ? StoreDirectoryLock.acquire(embeddedPath(options)) : undefined;
  let handle: ClickHouseHandle;
  try {
    handle = await createClickHouseClient(options, storeLog);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const store = new Store(handle, options, storeLog);
  if (lock !== undefined) store.holdLock(lock);
  if (!writer) return store;
  try {
    const ctx = migrationContext(store);
    const report = await runMigrations(ctx, settings.migrations ?? coreMigrations, storeLog);
    await applyRetention(ctx, storeLog);
    storeLog.debug({ kind: store.kind, database: store.database, ...report }, 'store open');
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

function migrationContext(store: Store): MigrationContext {
  return {
    database: store.database,
    retentionDays: store.options.retentionDays,
    command: (sql) => store.command(sql),
    query: (sql) => store.query(sql),
    insert: (table, rows) => store.insert(table, rows),
  };
}

function summarize(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 120)}…` : oneLine;
}
