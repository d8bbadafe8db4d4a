export const AlertTypes = {
  /** The first alert of a flag episode for a subscriber. */
  opened: 'flag.opened',
  /** A later revision of an episode already alerted. */
  updated: 'flag.updated',
} as const;

export type AlertType = (typeof AlertTypes)[keyof typeof AlertTypes];

/** Outcomes of one delivery attempt, as written to `webhook_deliveries.status`. */
export const DeliveryStatuses = {
  delivered: 'delivered',
  /** Failed; another attempt is scheduled. */
  retry: 'retry',
  /** Given up (permanent refusal or past the maximum age); dead-lettered. */
  dead: 'dead',
} as const;

/** Wall-clock source; injected so tests drive time. Epoch ms. */
export interface Clock {
  now(): number;
}

export type TimerHandle = { readonly id: number } | NodeJS.Timeout;

/** Timers; injected with the clock so a test can fire them by advancing time. */
export interface Scheduler {
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemScheduler: Scheduler = {
  setTimer(delayMs, fn) {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    // A pending retry hours away must not keep a finished CLI process alive.
    timer.unref();
    return timer;
  },
  clearTimer(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** One alert for one subscriber, waiting in the outbox until delivered or given up. */
export interface OutboxEntry {
  /** Event id, also the Idempotency-Key. */
  id: string;
  subscriber: string;
  flagId: string;
  tag: string;
  type: AlertType;
  revision: number;
  /** When the alert was raised, epoch ms; the maximum age counts from here. */
  createdAt: number;
  /** Earliest time of the next attempt, epoch ms. */
  dueAt: number;
  /** Attempts made so far. */
  attempts: number;
  /** The exact body sent on every attempt (the signature covers it). */
  body: string;
  contentType: string;
}

/** What the outbox remembers of a (subscriber, flag episode) so that it alerts once and throttles updates. */
export interface EpisodeState {
  subscriber: string;
  flagId: string;
  /** Highest flag revision alerted (or waiting to be). */
  revision: number;
  /** When the latest alert of the episode was (or will be) released, epoch ms: the cooldown counts from here. */
  alertAt: number;
  /** Last time a flag of the episode arrived, epoch ms (episodes idle for the TTL are forgotten). */
  seenAt: number;
  /** An update waiting for the cooldown to end; a newer revision replaces it while it is untried. */
  heldId?: string | undefined;
}
