/**
 * A schema change. Statements run in order and must each be idempotent (`IF NOT EXISTS`,
 * `ADD COLUMN IF NOT EXISTS`…): a migration interrupted half-way simply runs again.
 *
 * Placeholders, filled in when run: `{db}` the database, `{retention_days}` the configured
 * retention of personal data. The checksum covers the text with placeholders, so changing the
 * retention does not look like an edited migration (see `retention-policy.ts`).
 */
export interface Migration {
  /** Unique, ascending; ranges per issue are listed in notes/BRIEF.md (1–9 core store). */
  version: number;
  /** Short snake_case description, recorded with the version. */
  name: string;
  statements: readonly string[];
}

/** A row of `schema_migrations`. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  applied_at: string;
}
