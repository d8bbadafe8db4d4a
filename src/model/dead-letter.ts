import { describeError, TagwatchError } from '../errors/index.ts';
import type { DeadLetter } from './types.ts';

/** Dead letters keep the raw record, cut to this many characters so one huge frame cannot bloat the table. */
export const MAX_DEAD_LETTER_PAYLOAD = 64 * 1024;

export function toDeadLetter(source: string, ref: string, err: unknown, payload: unknown, at = Date.now()): DeadLetter {
  const text = typeof payload === 'string' ? payload : safeStringify(payload);
  return {
    source,
    ref,
    code: err instanceof TagwatchError ? err.code : 'TW_UNKNOWN',
    reason: describeError(err),
    payload: text.length > MAX_DEAD_LETTER_PAYLOAD ? text.slice(0, MAX_DEAD_LETTER_PAYLOAD) : text,
    at,
  };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
