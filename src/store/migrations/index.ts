/**
 * Schema migrations, applied in version order at `openStore` and recorded in `schema_migrations`.
 *
 * To add one: create `NNN-what-it-does.ts` exporting a `Migration` (version from your issue's
 * range in notes/BRIEF.md; idempotent statements; `{db}` for the database) and append it to
 * `migrations` below. Never edit a migration once it is merged: add a new one.
 */
import { coreTables } from './001-core-tables.ts';
import { analyzeTables } from './010-analyze-tables.ts';
import { webhookDeliveriesTable } from './020-webhook-deliveries.ts';
import { accountDeletionsTable } from './040-account-deletions.ts';
import type { Migration } from './types.ts';

export const migrations: readonly Migration[] = [coreTables, analyzeTables, webhookDeliveriesTable, accountDeletionsTable];

export { runMigrations, migrationChecksum, renderStatement, type MigrationContext, type MigrationReport } from './migration-runner.ts';
export { applyRetention, RETENTION_TABLES } from './retention-policy.ts';
export type { Migration, AppliedMigration } from './types.ts';
