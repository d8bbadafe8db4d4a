import type { RetryOptions } from './options.ts';

/**
 * Delay before the attempt after failed attempt number `attempt` (1-based): exponential from
 * `initialDelayMs`, capped at `maxDelayMs`, shortened by up to `jitter` of itself so that many
 * alerts failing together do not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, retry: RetryOptions, random: () => number): number {
  const exponential = retry.initialDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(retry.maxDelayMs, exponential);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(capped * (1 - retry.jitter * r));
}

/** `Retry-After` as a delay in ms from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export const ResponseClasses = {
  delivered: 'delivered',
  /** Worth another attempt. */
  retry: 'retry',
  /** The receiver refused for good (a 4xx other than the transient ones, or a redirect). */
  refused: 'refused',
} as const;

export type ResponseClass = (typeof ResponseClasses)[keyof typeof ResponseClasses];

/** 408 timeout, 409 concurrent request with the same key, 425 too early, 429 rate limited. */
const TRANSIENT_4XX = new Set([408, 409, 425, 429]);

export function classifyStatus(status: number): ResponseClass {
  if (status >= 200 && status < 300) return ResponseClasses.delivered;
  if (status >= 500 || TRANSIENT_4XX.has(status)) return ResponseClasses.retry;
  return ResponseClasses.refused;
}

/** Statuses whose `Retry-After` is honoured. */
export function honoursRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}
