import { ErrorCodes, ExternalError } from '../../errors/index.ts';
import type { Failure } from './backoff.ts';

/** A retriable failure to connect or stay connected, classified for the backoff policy. */
export class SourceFailureError extends ExternalError {
  readonly failure: Failure;

  constructor(failure: Failure, options: { cause?: unknown } = {}) {
    super(ErrorCodes.SOURCE_CONNECT, failure.detail, { retriable: true, cause: options.cause });
    this.failure = failure;
  }
}

/** The failure an error stands for: its own classification, else a network-level failure. */
export function failureOf(err: unknown): Failure {
  if (err instanceof SourceFailureError) return err.failure;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'network', detail: typeof code === 'string' ? `${code}: ${message}` : message };
}
