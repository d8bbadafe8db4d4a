import type { Logger } from 'pino';
import type { MigrationContext } from './migration-runner.ts';

/**
 * Tables holding personal data and the column their retention counts from. A table added by a
 * later migration that holds personal data belongs here too, so a changed `retentionDays` reaches it.
 */
export const RETENTION_TABLES: ReadonlyArray<{ table: string; column: string }> = [
  { table: 'posts', column: 'ingested_at' },
  { table: 'post_deletions', column: 'stored_at' },
  { table: 'account_deletions', column: 'stored_at' },
  { table: 'dead_letters', column: 'stored_at' },
];

/**
 * Migrations create tables with the retention configured at the time; when `retentionDays`
 * changes later, this brings each table's TTL in line (ClickHouse applies it on merges).
 */
export async function applyRetention(ctx: MigrationContext, log: Logger): Promise<void> {
  const rows = await ctx.query<{ name: string; engine_full: string }>(
    `SELECT name, engine_full FROM system.tables WHERE database = '${ctx.database}'`,
  );
  const engines = new Map(rows.map((r) => [r.name, r.engine_full]));
  const columns = await ctx.query<{ table: string; name: string }>(
    `SELECT table, name FROM system.columns WHERE database = '${ctx.database}'`,
  );
  const hasColumn = new Set(columns.map((c) => `${c.table}.${c.name}`));
  for (const { table, column } of RETENTION_TABLES) {
    const engine = engines.get(table);
    if (engine === undefined) continue;
    if (!hasColumn.has(`${table}.${column}`)) {
      log.warn({ table, column }, 'cannot apply retention: the table lacks the column it counts from (a store created by an older build?)');
      continue;
    }
    const days = /toIntervalDay\((\d+)\)/.exec(engine)?.[1];
    if (days !== undefined && Number(days) === ctx.retentionDays) continue;
    await ctx.command(`ALTER TABLE ${ctx.database}.${table} MODIFY TTL toDateTime(${column}) + INTERVAL ${ctx.retentionDays} DAY`);
    log.info({ table, from: days === undefined ? null : Number(days), to: ctx.retentionDays }, 'retention changed');
  }
}
