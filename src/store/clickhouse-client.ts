import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import type { Logger } from 'pino';
import { createChdbConnection } from 'chdb/connection';
import { ErrorCodes, ExternalError } from '../errors/index.ts';
import { toStoreError } from './clickhouse-errors.ts';
import type { StoreOptions } from './options.ts';
import { StoreKinds, type ClickHouseHandle } from './types.ts';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/**
 * Settings of every statement. `final = 1` applies FINAL to each table a query reads, so reads see
 * ReplacingMergeTree tables deduplicated even before a merge (a replayed file counts once);
 * 64-bit integers come back as JSON numbers in both modes (counts are far below 2^53).
 */
export const READ_SETTINGS = { final: 1, output_format_json_quote_64bit_integers: 0 } as const;

/**
 * Opens ClickHouse: embedded chDB at `options.path` when no `url` is set, else the server at `url`.
 * Creates `options.database` if missing and makes it the default database of every statement.
 *
 * chDB keeps one engine per process, bound to one data directory: opening a second, different
 * path while one is open fails (close the first store before opening another).
 */
export async function createClickHouseClient(options: StoreOptions, log?: Logger): Promise<ClickHouseHandle> {
  const clientLog = clientLogSettings(log);
  return options.url === undefined ? openEmbedded(options, clientLog) : openServer(options, options.url, clientLog);
}

type ClientLogSettings = NonNullable<ClickHouseClientConfigOptions['log']>;

/**
 * The client logs failed requests to the console on its own; tagwatch handles (retries, wraps,
 * reports) every failure itself, so the client's lines go to our logger at debug level.
 */
function clientLogSettings(log: Logger | undefined): ClientLogSettings {
  const target = log;
  class ClientLogger {
    trace(p: { module: string; message: string; args?: Record<string, unknown> }): void {
      target?.trace({ client: p.module, args: p.args }, p.message);
    }
    debug(p: { module: string; message: string; args?: Record<string, unknown> }): void {
      target?.debug({ client: p.module, args: p.args }, p.message);
    }
    info(p: { module: string; message: string; args?: Record<string, unknown> }): void {
      target?.debug({ client: p.module, args: p.args }, p.message);
    }
    warn(p: { module: string; message: string; args?: Record<string, unknown>; err?: Error }): void {
      target?.debug({ client: p.module, args: p.args, err: p.err }, p.message);
    }
    error(p: { module: string; message: string; args?: Record<string, unknown>; err: Error }): void {
      target?.debug({ client: p.module, args: p.args, err: p.err }, p.message);
    }
  }
  return { LoggerClass: ClientLogger, level: ClickHouseLogLevel.WARN };
}

/** The embedded store's directory, absolute, created if missing. */
export function embeddedPath(options: Pick<StoreOptions, 'path'>): string {
  const path = resolve(options.path);
  mkdirSync(path, { recursive: true });
  return path;
}

async function openEmbedded(options: StoreOptions, clientLog: ClientLogSettings): Promise<ClickHouseHandle> {
  let path = resolve(options.path);
  let client: ClickHouseClient;
  try {
    path = embeddedPath(options);
    // chdb types its Connection against its own copy of @clickhouse/client-common; the shapes are the same.
    const connection = createChdbConnection({ path }) as unknown as ClientConnection;
    client = createClient({ connection, clickhouse_settings: READ_SETTINGS, log: clientLog });
  } catch (cause) {
    throw new ExternalError(
      ErrorCodes.STORE_UNAVAILABLE,
      `cannot open the embedded store at ${path}: ${(cause as Error).message} (one process can hold only one store directory)`,
      { cause, input: path },
    );
  }
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${options.database}` });
    // chDB runs every statement in one session, so USE makes the database the default for all of them.
    await client.command({ query: `USE ${options.database}` });
  } catch (err) {
    await client.close();
    throw toStoreError(err, `cannot create database ${options.database} in ${path}`);
  }
  return { client, database: options.database, kind: StoreKinds.embedded, path };
}

async function openServer(options: StoreOptions, url: string, clientLog: ClientLogSettings): Promise<ClickHouseHandle> {
  const base = {
    url,
    username: options.user,
    password: options.password,
    request_timeout: options.requestTimeoutMs,
    clickhouse_settings: READ_SETTINGS,
    log: clientLog,
  };
  // The database may not exist yet, and a client bound to a missing database fails every request.
  const bootstrap = createClient(base);
  try {
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${options.database}` });
  } catch (err) {
    throw toStoreError(err, `cannot reach ClickHouse at ${redactUrl(url)} to create database ${options.database}`);
  } finally {
    await bootstrap.close();
  }
  const client = createClient({ ...base, database: options.database });
  return { client, database: options.database, kind: StoreKinds.server };
}

/** The URL without credentials, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '[redacted]';
    return u.toString();
  } catch {
    return '[invalid url]';
  }
}
