import { ErrorCodes, ValidationError } from '../../errors/index.ts';

// DateTime64 holds 1900-01-01 … 2299-12-31; ClickHouse would silently clamp anything outside.
const MIN_TIME_MS = Date.UTC(1900, 0, 1);
const MAX_TIME_MS = Date.UTC(2299, 11, 31, 23, 59, 59, 999);
const MAX_UINT32 = 4_294_967_295;

const MAX_DATE_TIME_MS = Date.UTC(2106, 0, 1);

/**
 * `YYYY-MM-DD hh:mm:ss` texts of recently formatted seconds, direct-mapped by second: the rows of
 * a batch share few seconds (posts arrive in time order, `ingested_at` is one value per batch),
 * and formatting a Date is the costly part of a time column. Whole seconds only, so the text is
 * exactly what toISOString gives.
 */
const SECOND_SLOTS = 256;
const slotSecond = new Float64Array(SECOND_SLOTS).fill(Number.NaN);
const slotText: string[] = new Array<string>(SECOND_SLOTS).fill('');

function secondText(second: number): string {
  const slot = second & (SECOND_SLOTS - 1);
  if (slotSecond[slot] === second) return slotText[slot] as string;
  const iso = new Date(second * 1000).toISOString();
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  slotSecond[slot] = second;
  slotText[slot] = text;
  return text;
}

/** Epoch ms → `YYYY-MM-DD hh:mm:ss.sss` (UTC), the unambiguous text form of DateTime64(3, 'UTC'). */
export function dateTime64(ms: number, field: string): string {
  if (!Number.isFinite(ms) || ms < MIN_TIME_MS || ms > MAX_TIME_MS) {
    throw new ValidationError(ErrorCodes.STORE_ROW_INVALID, `${field} is not a time ClickHouse can store: ${ms}`, { input: ms });
  }
  if (!Number.isInteger(ms)) {
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  }
  const second = Math.floor(ms / 1000);
  const milli = ms - second * 1000;
  return `${secondText(second)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}`;
}

/** Epoch ms → `YYYY-MM-DD hh:mm:ss` (UTC) for DateTime('UTC'), i.e. second precision (1970 … 2106). */
export function dateTime(ms: number, field: string): string {
  if (!Number.isFinite(ms) || ms < 0 || ms >= MAX_DATE_TIME_MS) {
    throw new ValidationError(ErrorCodes.STORE_ROW_INVALID, `${field} is not a time a DateTime column can store: ${ms}`, { input: ms });
  }
  return secondText(Math.floor(ms / 1000));
}

/**
 * A Float64 value. JSON has no inf/nan, and JSON.stringify turns them into null (which ClickHouse
 * would read as 0); ClickHouse parses them from the quoted words, so they survive as they are.
 */
export function float64(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

/** A count for a UInt32 column: a non-negative integer, else the record is refused (never wrapped). */
export function uint32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_UINT32) {
    throw new ValidationError(ErrorCodes.STORE_ROW_INVALID, `${field} must be an integer in 0..${MAX_UINT32}, got ${value}`, { input: value });
  }
  return value;
}

/** A non-negative integer for a UInt64 column (JS numbers are exact up to 2^53). */
export function uint64(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(ErrorCodes.STORE_ROW_INVALID, `${field} must be a non-negative integer, got ${value}`, { input: value });
  }
  return value;
}
