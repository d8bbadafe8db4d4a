import { ErrorCodes, ExternalError, isRetriable, TagwatchError } from '../errors/index.ts';

/**
 * ClickHouse error codes worth trying again: the server is overloaded, restarting, or a network
 * hop failed. Everything else with a ClickHouse code is a problem of the statement or its data.
 */
const RETRIABLE_CLICKHOUSE_CODES = new Set([
  159, // TIMEOUT_EXCEEDED
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  236, // ABORTED
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  279, // ALL_CONNECTION_TRIES_FAILED
  285, // TOO_FEW_LIVE_REPLICAS
  319, // UNKNOWN_STATUS_OF_INSERT
  373, // SESSION_IS_LOCKED
  425, // SYSTEM_ERROR
  439, // CANNOT_SCHEDULE_TASK
  999, // KEEPER_EXCEPTION
  1000, // POCO_EXCEPTION
]);

/** Codes that mean "this row's data cannot go into this column": the row is bad, not the batch. */
const DATA_CLICKHOUSE_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  33, // CANNOT_READ_ALL_DATA
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  407, // DECIMAL_OVERFLOW
  1001, // STD_EXCEPTION
]);

/** The numeric ClickHouse error code of an error from @clickhouse/client or chDB, if it has one. */
export function clickHouseCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; clickhouseCode?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  if (typeof e.clickhouseCode === 'number') return e.clickhouseCode;
  if (e.cause !== undefined && e.cause !== err) return clickHouseCode(e.cause);
  return undefined;
}

/**
 * True when the same write may succeed later. A ClickHouse error decides by its code; an error
 * without one is the transport (socket, timeout, server gone), except programming errors.
 */
export function isRetriableStoreError(err: unknown): boolean {
  if (err instanceof TagwatchError) return err.retriable;
  const code = clickHouseCode(err);
  if (code !== undefined) return RETRIABLE_CLICKHOUSE_CODES.has(code);
  if (isRetriable(err)) return true;
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return false;
  const name = (err as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && /Closed|Bind|Compile|Platform|Version/i.test(name)) return false;
  return err instanceof Error;
}

/** True when ClickHouse refused the data of a row (so splitting the batch isolates the culprits). */
export function isRowDataError(err: unknown): boolean {
  const code = clickHouseCode(err);
  return code !== undefined && DATA_CLICKHOUSE_CODES.has(code);
}

/** True when ClickHouse refused a statement because the session is read-only. */
export function isReadonlyRefusal(err: unknown): boolean {
  const code = clickHouseCode(err);
  if (code === 164) return true; // READONLY
  return err instanceof Error && /in readonly mode/i.test(err.message);
}

/** Wraps a failed statement into a TagwatchError that says what was running and whether to retry. */
export function toStoreError(err: unknown, what: string): TagwatchError {
  if (err instanceof TagwatchError) return err;
  const message = err instanceof Error ? err.message.trim() : String(err);
  const retriable = isRetriableStoreError(err);
  return new ExternalError(retriable ? ErrorCodes.STORE_UNAVAILABLE : ErrorCodes.STORE_QUERY, `${what}: ${message}`, {
    cause: err,
    retriable,
  });
}
