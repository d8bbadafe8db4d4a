import type { ErrorCode } from './codes.ts';

export interface TagwatchErrorOptions {
  /** The value that was rejected, kept for logs and dead letters (truncate large inputs before passing). */
  input?: unknown;
  cause?: unknown;
  /** True when the same operation may succeed if tried again (network, broker, database busy). */
  retriable?: boolean;
}

/** The root of tagwatch's error hierarchy: a stable code, the offending input and the cause. */
export class TagwatchError extends Error {
  readonly code: ErrorCode;
  readonly input: unknown;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: TagwatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.input = options.input;
    this.retriable = options.retriable ?? false;
  }

  toJSON(): { name: string; code: ErrorCode; message: string; retriable: boolean } {
    return { name: this.name, code: this.code, message: this.message, retriable: this.retriable };
  }
}

/** Configuration that cannot be used: names the key, the value and what is allowed. */
export class ConfigError extends TagwatchError {}

/** A record (post, frame, message) that fails validation; it is dead-lettered, never fatal. */
export class ValidationError extends TagwatchError {}

/** Work offered to a resource that has been closed. */
export class ClosedError extends TagwatchError {}

/** A failure talking to ClickHouse, Kafka, a platform or a webhook receiver. */
export class ExternalError extends TagwatchError {}

/** True for errors worth retrying: a TagwatchError marked retriable, or a network-level failure. */
export function isRetriable(err: unknown): boolean {
  if (err instanceof TagwatchError) return err.retriable;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRIABLE_SYSTEM_CODES.has(code);
}

const RETRIABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A short, single-line reason for a dead letter or a log line. */
export function describeError(err: unknown): string {
  if (err instanceof TagwatchError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
