import type { LiveClock } from './clock.ts';

/** Why a connection attempt or session ended; backoff policies pick a delay per kind. */
export const FailureKinds = {
  /** TCP/TLS-level failure: refused, reset, DNS. */
  network: 'network',
  /** An HTTP error status at connect (other than auth and 429). */
  http: 'http',
  /** HTTP 429 or the platform's own "too many connections". */
  rateLimited: 'rate-limited',
  /** No data (not even keep-alives) for longer than the protocol allows. */
  idle: 'idle',
  /** The server closed an established session. */
  closed: 'closed',
} as const;

export type FailureKind = (typeof FailureKinds)[keyof typeof FailureKinds];

export interface Failure {
  kind: FailureKind;
  /** HTTP status or WebSocket close code, when there is one. */
  status?: number;
  /** Short human-readable reason for logs (never holds a credential). */
  detail: string;
}

/** Chooses how long to wait before reconnecting. `reset()` once a session proved healthy. */
export interface BackoffPolicy {
  next(failure: Failure): number;
  reset(): void;
}

export interface ExponentialBackoffOptions {
  /** First delay, in ms. */
  initialMs: number;
  /** Longest delay, in ms. */
  maxMs: number;
}

/**
 * Doubles from `initialMs` up to `maxMs` whatever the failure, each delay drawn uniformly from
 * its upper half, so many clients cut off together do not reconnect in lockstep.
 */
export class ExponentialBackoff implements BackoffPolicy {
  readonly #options: ExponentialBackoffOptions;
  readonly #clock: Pick<LiveClock, 'random'>;
  #attempt = 0;

  constructor(options: ExponentialBackoffOptions, clock: Pick<LiveClock, 'random'>) {
    this.#options = options;
    this.#clock = clock;
  }

  next(_failure: Failure): number {
    const ceiling = Math.min(this.#options.maxMs, this.#options.initialMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.round(ceiling / 2 + (ceiling / 2) * this.#clock.random());
  }

  reset(): void {
    this.#attempt = 0;
  }
}
