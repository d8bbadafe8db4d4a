import type { BackoffPolicy, Failure } from '../live/backoff.ts';
import type { XBackoffOptions } from './options.ts';

/**
 * X's reconnect rules: network-level failures (and stalls, and the server ending a healthy
 * stream) back off linearly, HTTP errors exponentially from 5 s, 429 from one minute doubling.
 * Each kind counts its own attempts; a healthy session resets them all.
 */
export class XBackoff implements BackoffPolicy {
  readonly #options: XBackoffOptions;
  #network = 0;
  #http = 0;
  #rateLimited = 0;

  constructor(options: XBackoffOptions) {
    this.#options = options;
  }

  next(failure: Failure): number {
    const o = this.#options;
    switch (failure.kind) {
      case 'rate-limited':
        return Math.min(o.rateLimitedMaxMs, o.rateLimitedInitialMs * 2 ** Math.min(this.#rateLimited++, 30));
      case 'http':
        return Math.min(o.httpMaxMs, o.httpInitialMs * 2 ** Math.min(this.#http++, 30));
      default:
        return Math.min(o.networkMaxMs, o.networkStepMs * ++this.#network);
    }
  }

  reset(): void {
    this.#network = 0;
    this.#http = 0;
    this.#rateLimited = 0;
  }
}
