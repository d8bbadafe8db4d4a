import { z } from 'zod';

export const StoreOptionsSchema = z.object({
  /** Directory of the embedded ClickHouse (chDB); used when `url` is not set. */
  path: z.string().min(1).default('./data'),
  /** A ClickHouse server (`http://host:8123`); set by CLICKHOUSE_URL. Empty = embedded. */
  url: z.url().optional(),
  user: z.string().default('default'),
  password: z.string().default(''),
  database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a ClickHouse identifier').default('tagwatch'),
  /**
   * Posts (and dead letters, deletion records) are deleted by ClickHouse TTL this many days after
   * tagwatch stored them: they are personal data. In days. Counted from ingestion, not event time,
   * so that replaying an archive older than this does not drop every row on insert.
   */
  retentionDays: z.number().int().min(1).default(90),
  /** The sink writes a table's buffer once it holds this many rows. */
  batchRows: z.number().int().min(1).default(20_000),
  /** …or once its oldest row has waited this long, in ms. */
  flushIntervalMs: z.number().int().min(10).default(1_000),
  /** Rows the sink may hold in memory across tables while the database is slow or down, before it pushes back. */
  maxBufferedRows: z.number().int().min(1).default(1_000_000),
  /** First delay before a failed write is tried again, in ms (doubles up to `retryMaxMs`). */
  retryInitialMs: z.number().int().min(1).default(250),
  retryMaxMs: z.number().int().min(1).default(30_000),
  /**
   * Post deletions the sink keeps in memory (most recent first) to redact a post that arrives after
   * its deletion. Past this many, it also checks `post_deletions` in SQL after each post write.
   */
  recentDeletions: z.number().int().min(0).default(100_000),
  /** Timeout of one request to a ClickHouse server, in ms (not used by the embedded store). */
  requestTimeoutMs: z.number().int().min(100).default(60_000),
});

export type StoreOptions = z.output<typeof StoreOptionsSchema>;
