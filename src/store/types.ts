import type { ClickHouseClient } from '@clickhouse/client';

/** Where the store lives: in this process (chDB at a directory) or on a ClickHouse server. */
export const StoreKinds = { embedded: 'embedded', server: 'server' } as const;
export type StoreKind = (typeof StoreKinds)[keyof typeof StoreKinds];

/** What `createClickHouseClient` opens: a client whose default database is `database`. */
export interface ClickHouseHandle {
  client: ClickHouseClient;
  database: string;
  kind: StoreKind;
  /** Embedded only: the absolute data directory. */
  path?: string;
}

/** One row for a table, in JSONEachRow shape (column name → value). */
export type TableRow = Record<string, unknown>;

/** Query parameters bound server-side (`{name:Type}` placeholders). */
export type QueryParams = Record<string, unknown>;
