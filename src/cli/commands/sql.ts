import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataFormat } from '@clickhouse/client';
import { Option, type Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { ErrorCodes, TagwatchError } from '../../errors/index.ts';
import { createLogger } from '../../log/index.ts';
import { assertReadOnlyStatement, isReadonlyRefusal, openStore, type Store } from '../../store/index.ts';

export const SqlFormats = ['JSONEachRow', 'CSV', 'CSVWithNames', 'TSV', 'TSVWithNames', 'JSON', 'Pretty'] as const;
export type SqlFormat = (typeof SqlFormats)[number];

/** Exit code of a refused write (a usage error). */
const EXIT_REFUSED = 2;

interface SqlCommandOptions {
  store?: string;
  config?: string;
  format?: SqlFormat;
}

export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description('Run one read-only query against the store and print the result (posts, tag_minute, flags, dead_letters…)')
    .argument('<query>', 'a SELECT (or WITH, SHOW, DESCRIBE, EXPLAIN, EXISTS) statement')
    .option('--store <dir>', 'embedded store directory (default: store.path, ./data); ignored when CLICKHOUSE_URL is set')
    .option('--config <file>', 'YAML/JSON configuration file')
    .addOption(new Option('--format <format>', 'output format (default: Pretty on a terminal, else TSV)').choices(SqlFormats))
    .addHelpText(
      'after',
      `
Reads see deduplicated rows (final = 1) and run with readonly = 1: write statements are refused
(exit code ${EXIT_REFUSED}). Example:
  tagwatch sql --store st --format JSONEachRow "SELECT tag, sum(posts) AS n FROM tag_minute GROUP BY tag ORDER BY n DESC LIMIT 10"`,
    )
    .action(async (query: string, options: SqlCommandOptions) => {
      try {
        await runSql(query, options);
      } catch (err) {
        if (err instanceof TagwatchError && err.code === ErrorCodes.STORE_READONLY) {
          process.stderr.write(`tagwatch sql: ${err.message} [${err.code}]\n`);
          process.exitCode = EXIT_REFUSED;
          return;
        }
        throw err;
      }
    });
}

async function runSql(query: string, options: SqlCommandOptions): Promise<void> {
  assertReadOnlyStatement(query);
  const config = await loadConfig({
    file: options.config,
    overrides: options.store === undefined ? {} : { store: { path: options.store } },
  });
  if (config.store.url === undefined && !existsSync(config.store.path)) {
    throw new TagwatchError(ErrorCodes.USAGE, `no store at ${resolve(config.store.path)} (give --store DIR, or set CLICKHOUSE_URL)`);
  }
  const log = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level });
  // A reading tool migrates nothing: on a server its user may well be read-only.
  const store = await openStore(config.store, log, { migrate: false });
  try {
    await printQuery(store, query, options.format ?? (process.stdout.isTTY ? 'Pretty' : 'TSV'));
  } finally {
    await store.close();
  }
}

async function printQuery(store: Store, query: string, format: SqlFormat): Promise<void> {
  let result;
  try {
    // Order matters: once readonly is on, no further setting may change (chDB applies them as SETs).
    result = await store.client.exec({ query, clickhouse_settings: { default_format: format as DataFormat, readonly: '1' } });
  } catch (err) {
    if (isReadonlyRefusal(err)) {
      throw new TagwatchError(ErrorCodes.STORE_READONLY, `refused: the store is read-only here (${(err as Error).message.trim()})`, { cause: err });
    }
    throw new TagwatchError(ErrorCodes.STORE_QUERY, `query failed: ${err instanceof Error ? err.message.trim() : String(err)}`, { cause: err });
  }
  for await (const chunk of result.stream) {
    if (!process.stdout.write(chunk as Buffer)) await new Promise((done) => process.stdout.once('drain', done));
  }
}
