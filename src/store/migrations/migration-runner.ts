import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ErrorCodes, TagwatchError } from '../../errors/index.ts';
import type { AppliedMigration, Migration } from './types.ts';

/** What migrations need from the store. */
export interface MigrationContext {
  database: string;
  retentionDays: number;
  command(sql: string): Promise<void>;
  query<T>(sql: string): Promise<T[]>;
  insert(table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
}

export interface MigrationReport {
  applied: number[];
  alreadyApplied: number[];
}

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.statements.join('\n;\n')).digest('hex');
}

export function renderStatement(statement: string, ctx: Pick<MigrationContext, 'database' | 'retentionDays'>): string {
  return statement.replaceAll('{db}', ctx.database).replaceAll('{retention_days}', String(ctx.retentionDays));
}

/**
 * Applies every migration not yet recorded, in version order. Safe to run from several processes
 * at once against one server: statements are idempotent and `schema_migrations` collapses a
 * version recorded twice.
 */
export async function runMigrations(ctx: MigrationContext, list: readonly Migration[], log: Logger): Promise<MigrationReport> {
  checkList(list);
  await ctx.command(
    `CREATE TABLE IF NOT EXISTS ${ctx.database}.schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree ORDER BY version`,
  );
  const rows = await ctx.query<AppliedMigration>(
    `SELECT version, name, checksum, toString(applied_at) AS applied_at FROM ${ctx.database}.schema_migrations ORDER BY version`,
  );
  const done = new Map(rows.map((r) => [Number(r.version), r]));
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    const checksum = migrationChecksum(migration);
    const previous = done.get(migration.version);
    if (previous !== undefined) {
      report.alreadyApplied.push(migration.version);
      if (previous.checksum !== checksum) {
        // Not fatal: the statements are idempotent, and refusing to start would strand the data.
        log.warn({ version: migration.version, name: migration.name }, 'migration changed after it was applied; add a new migration instead of editing one');
      }
      continue;
    }
    const started = Date.now();
    for (const [index, statement] of migration.statements.entries()) {
      try {
        await ctx.command(renderStatement(statement, ctx));
      } catch (cause) {
        throw new TagwatchError(
          ErrorCodes.MIGRATION_FAILED,
          `migration ${migration.version} (${migration.name}) failed at statement ${index + 1}: ${(cause as Error).message}`,
          { cause, retriable: (cause as { retriable?: boolean }).retriable === true },
        );
      }
    }
    await ctx.insert(`${ctx.database}.schema_migrations`, [
      { version: migration.version, name: migration.name, checksum, applied_at: new Date().toISOString().replace('T', ' ').slice(0, 23) },
    ]);
    report.applied.push(migration.version);
    log.info({ version: migration.version, name: migration.name, ms: Date.now() - started }, 'migration applied');
  }
  return report;
}

function checkList(list: readonly Migration[]): void {
  const seen = new Set<number>();
  for (const m of list) {
    if (!Number.isInteger(m.version) || m.version < 1) throw new TagwatchError(ErrorCodes.MIGRATION_FAILED, `migration ${m.name}: version must be a positive integer`);
    if (seen.has(m.version)) throw new TagwatchError(ErrorCodes.MIGRATION_FAILED, `two migrations share version ${m.version}`);
    seen.add(m.version);
  }
}
