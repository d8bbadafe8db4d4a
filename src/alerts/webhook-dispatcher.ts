import type { Logger } from 'pino';
import { Streams, type BusRecord, type Producer } from '../bus/index.ts';
import { describeError, ErrorCodes, TagwatchError } from '../errors/index.ts';
import { toDeadLetter, type DeadLetter, type WebhookDelivery } from '../model/index.ts';
import { episodeKey, type AlertOutbox } from './alert-outbox.ts';
import type { JournalRecord } from './outbox-journal.ts';
import type { AlertsOptions, Subscriber } from './options.ts';
import { backoffDelayMs, classifyStatus, honoursRetryAfter, parseRetryAfter, ResponseClasses } from './retry-schedule.ts';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import { DeliveryStatuses, systemClock, systemScheduler, type Clock, type OutboxEntry, type Scheduler, type TimerHandle } from './types.ts';
import { assertDeliverableUrl, loggableUrl } from './url-policy.ts';
import { postWebhook, WebhookTimeoutError, type WebhookRequest, type WebhookResponse } from './webhook-request.ts';

/** Delivery records and dead letters kept while no producer is attached yet (before the first batch). */
const MAX_BUFFERED_OUTPUTS = 10_000;
/** Characters of a receiver's response kept in the delivery log's `error`. */
const ERROR_EXCERPT = 300;

export interface WebhookDispatcherOptions {
  outbox: AlertOutbox;
  alerts: AlertsOptions;
  log: Logger;
  clock?: Clock;
  scheduler?: Scheduler;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  /** How long `close()` lets attempts in flight finish before aborting them, in ms. */
  closeGraceMs?: number;
  /** Replaceable HTTP exchange (tests of the schedule may stub it; the default is `fetch`). */
  post?: (request: WebhookRequest) => Promise<WebhookResponse>;
}

interface AttemptOutcome {
  status: (typeof DeliveryStatuses)[keyof typeof DeliveryStatuses];
  httpStatus: number;
  error: string;
  nextAt?: number;
}

/**
 * Delivers the outbox's alerts: one signed POST per attempt, retried with exponential backoff
 * and jitter (or the receiver's `Retry-After` on 429/503), given up after the maximum age.
 * Each attempt's outcome is made durable in the outbox before it is reported on the
 * `webhook-deliveries` stream. Updates of one flag episode go out in order: an entry waits
 * while an earlier one of the same episode is pending.
 */
export class WebhookDispatcher {
  readonly #outbox: AlertOutbox;
  readonly #alerts: AlertsOptions;
  readonly #subscribers: Map<string, Subscriber>;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #random: () => number;
  readonly #closeGraceMs: number;
  readonly #post: (request: WebhookRequest) => Promise<WebhookResponse>;
  readonly #shutdown = new AbortController();
  readonly #attempts = new Set<Promise<void>>();
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #output: Producer | undefined;
  #buffered: Array<{ deliveries: BusRecord<'webhook-deliveries'>[]; dead: BusRecord<'dlq'>[] }> = [];
  #started = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #idleWaiters: Array<() => void> = [];

  constructor(options: WebhookDispatcherOptions) {
    this.#outbox = options.outbox;
    this.#alerts = options.alerts;
    this.#subscribers = new Map(options.alerts.subscribers.map((s) => [s.name, s]));
    this.#log = options.log;
    this.#clock = options.clock ?? systemClock;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#random = options.random ?? Math.random;
    this.#closeGraceMs = options.closeGraceMs ?? Math.min(options.alerts.timeoutMs, 5_000);
    this.#post = options.post ?? postWebhook;
  }

  /** Where delivery records and dead letters go; records made before this are handed on now. */
  async attach(output: Producer): Promise<void> {
    if (this.#output === output) return;
    this.#output = output;
    const buffered = this.#buffered.splice(0, this.#buffered.length);
    for (const item of buffered) await this.#send(item.deliveries, item.dead);
  }

  /** Starts delivering; pending alerts from an earlier run are dropped first if their subscriber is gone. */
  async start(): Promise<void> {
    if (this.#started || this.#closed) return;
    this.#started = true;
    const orphans = [...this.#outbox.entries()].filter((e) => !this.#subscribers.has(e.subscriber));
    for (const entry of orphans) {
      const reason = `subscriber "${entry.subscriber}" is no longer configured; alert dropped`;
      await this.#outbox.commit([{ op: 'done', id: entry.id, outcome: 'dropped' }]);
      this.#log.warn({ subscriber: entry.subscriber, eventId: entry.id }, reason);
      await this.#report([], [this.#deadLetter(entry, reason)]);
    }
    this.kick();
  }

  /** Looks for due alerts now (after new ones were enqueued, or a timer fired). */
  kick(): void {
    if (!this.#started || this.#closed) return;
    const now = this.#clock.now();
    const seen = new Set<string>();
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.#outbox.entries()) {
      const key = episodeKey(entry.subscriber, entry.flagId);
      // Only the oldest pending alert of an episode may go: updates never overtake their opening.
      if (seen.has(key)) continue;
      seen.add(key);
      if (!this.#outbox.isAvailable(entry.id)) continue;
      if (entry.dueAt > now) {
        earliest = Math.min(earliest, entry.dueAt);
        continue;
      }
      // At capacity: the next attempt to finish kicks again.
      if (this.#outbox.inFlight >= this.#alerts.concurrency) continue;
      this.#outbox.claim(entry.id);
      const attempt = this.#attempt(entry)
        .catch((err: unknown) => this.#log.error({ err, subscriber: entry.subscriber, eventId: entry.id }, 'alert attempt failed unexpectedly'))
        .finally(() => {
          this.#attempts.delete(attempt);
          this.#outbox.release(entry.id);
          this.kick();
        });
      this.#attempts.add(attempt);
    }
    this.#arm(earliest, now);
    // Nothing in flight after a pass means nothing was due (a due alert would have been claimed).
    if (this.#outbox.inFlight === 0) this.#wake();
  }

  /** Earliest time an attempt is scheduled (tests read it to check the schedule); undefined when none. */
  nextAttemptAt(): number | undefined {
    return Number.isFinite(this.#timerAt) ? this.#timerAt : undefined;
  }

  /** Resolves when nothing is in flight and nothing is due now (later retries may remain). */
  whenIdle(): Promise<void> {
    if (this.#outbox.inFlight === 0 && !this.#hasDue(this.#clock.now())) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #hasDue(now: number): boolean {
    const seen = new Set<string>();
    for (const entry of this.#outbox.entries()) {
      const key = episodeKey(entry.subscriber, entry.flagId);
      if (seen.has(key)) continue;
      seen.add(key);
      if (this.#outbox.isAvailable(entry.id) && entry.dueAt <= now) return true;
    }
    return false;
  }

  #wake(): void {
    const waiters = this.#idleWaiters.splice(0, this.#idleWaiters.length);
    for (const resolve of waiters) resolve();
  }

  #arm(at: number, now: number): void {
    if (at === this.#timerAt && this.#timer !== undefined) return;
    if (this.#timer !== undefined) this.#scheduler.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#timerAt = at;
    if (!Number.isFinite(at)) return;
    this.#timer = this.#scheduler.setTimer(at - now, () => {
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.kick();
    });
  }

  async #attempt(entry: OutboxEntry): Promise<void> {
    const subscriber = this.#subscribers.get(entry.subscriber);
    const attempt = entry.attempts + 1;
    const startedAt = this.#clock.now();
    const started = performance.now();
    let outcome: AttemptOutcome;
    if (subscriber === undefined) {
      outcome = { status: DeliveryStatuses.dead, httpStatus: 0, error: `subscriber "${entry.subscriber}" is not configured` };
    } else {
      outcome = await this.#exchange(entry, subscriber, attempt, startedAt);
    }
    const latencyMs = Math.round(performance.now() - started);
    const log = { subscriber: entry.subscriber, eventId: entry.id, flagId: entry.flagId, attempt, httpStatus: outcome.httpStatus, latencyMs };

    const record: JournalRecord =
      outcome.status === DeliveryStatuses.retry
        ? { op: 'attempt', id: entry.id, attempts: attempt, dueAt: outcome.nextAt ?? startedAt }
        : { op: 'done', id: entry.id, outcome: outcome.status === DeliveryStatuses.delivered ? 'delivered' : 'dead' };
    try {
      await this.#outbox.commit([record]);
    } catch (err) {
      // The outcome stays applied in memory; after a restart the alert may be sent once more, under the same key.
      this.#log.error({ err, ...log }, 'could not record a delivery attempt in the alerts outbox');
    }

    if (outcome.status === DeliveryStatuses.delivered) this.#log.info(log, 'alert delivered');
    else if (outcome.status === DeliveryStatuses.retry) this.#log.warn({ ...log, error: outcome.error, nextAt: outcome.nextAt }, 'alert delivery failed; will retry');
    else this.#log.error({ ...log, error: outcome.error }, 'alert delivery given up; dead-lettered');

    const delivery: WebhookDelivery = {
      subscriber: entry.subscriber,
      eventId: entry.id,
      flagId: entry.flagId,
      attempt,
      status: outcome.status,
      httpStatus: outcome.httpStatus,
      latencyMs,
      error: outcome.error,
      at: startedAt,
    };
    const dead = outcome.status === DeliveryStatuses.dead ? [this.#deadLetter(entry, `gave up after attempt ${attempt}: ${outcome.error}`)] : [];
    await this.#report([{ key: entry.subscriber, value: delivery }], dead);
  }

  async #exchange(entry: OutboxEntry, subscriber: Subscriber, attempt: number, startedAt: number): Promise<AttemptOutcome> {
    const deadline = entry.createdAt + this.#alerts.retry.maxAgeMinutes * 60_000;
    let response: WebhookResponse;
    try {
      assertDeliverableUrl(subscriber.url, this.#alerts.allowInsecureHttp);
      response = await this.#post({
        url: subscriber.url,
        headers: {
          'content-type': entry.contentType,
          'user-agent': 'tagwatch-webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(subscriber.secret, entry.body, startedAt),
          [IDEMPOTENCY_HEADER]: entry.id,
          'X-Tagwatch-Event': entry.type,
        },
        body: entry.body,
        timeoutMs: this.#alerts.timeoutMs,
        maxResponseBytes: this.#alerts.maxResponseBytes,
        scheduler: this.#scheduler,
        signal: this.#shutdown.signal,
      });
    } catch (err) {
      if (err instanceof TagwatchError && err.code === ErrorCodes.ALERT_URL_REFUSED) {
        return { status: DeliveryStatuses.dead, httpStatus: 0, error: err.message };
      }
      const error = err instanceof WebhookTimeoutError ? `timeout: ${err.message}` : networkError(err, subscriber.url);
      return this.#retryOrGiveUp(attempt, this.#clock.now(), deadline, 0, error, undefined);
    }
    const excerpt = clean(response.bodyStart);
    switch (classifyStatus(response.status)) {
      case ResponseClasses.delivered:
        return { status: DeliveryStatuses.delivered, httpStatus: response.status, error: '' };
      case ResponseClasses.refused: {
        const what = response.status >= 300 && response.status < 400 ? 'redirect not followed' : 'refused by the receiver';
        return { status: DeliveryStatuses.dead, httpStatus: response.status, error: `HTTP ${response.status} (${what})${excerpt ? `: ${excerpt}` : ''}` };
      }
      case ResponseClasses.retry: {
        const now = this.#clock.now();
        const retryAfter = honoursRetryAfter(response.status) ? parseRetryAfter(response.retryAfter, now) : undefined;
        const error = `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`;
        return this.#retryOrGiveUp(attempt, now, deadline, response.status, error, retryAfter);
      }
    }
  }

  /** `now` is when the attempt ended: the backoff counts from there, so a slow timeout is not followed by an instant retry. */
  #retryOrGiveUp(attempt: number, now: number, deadline: number, httpStatus: number, error: string, retryAfterMs: number | undefined): AttemptOutcome {
    const backoff = backoffDelayMs(attempt, this.#alerts.retry, this.#random);
    const delay = retryAfterMs === undefined ? backoff : Math.max(retryAfterMs, backoff);
    let nextAt = now + delay;
    if (nextAt > deadline) {
      const maxAge = `${this.#alerts.retry.maxAgeMinutes} min`;
      if (retryAfterMs !== undefined && now + retryAfterMs > deadline) {
        return { status: DeliveryStatuses.dead, httpStatus, error: `${error}; Retry-After reaches past the maximum age (${maxAge})` };
      }
      // One last attempt right at the deadline, then give up.
      if (now >= deadline) return { status: DeliveryStatuses.dead, httpStatus, error: `${error}; maximum age (${maxAge}) reached` };
      nextAt = deadline;
    }
    if (this.#closed) nextAt = now;
    return { status: DeliveryStatuses.retry, httpStatus, error, nextAt };
  }

  #deadLetter(entry: OutboxEntry, reason: string): BusRecord<'dlq'> {
    const err = new TagwatchError(ErrorCodes.ALERT_GAVE_UP, `alert ${entry.id} for subscriber ${entry.subscriber}: ${reason}`);
    const value: DeadLetter = toDeadLetter('notify', `${entry.subscriber}/${entry.id}`, err, entry.body, this.#clock.now());
    return { key: entry.subscriber, value };
  }

  async #report(deliveries: BusRecord<'webhook-deliveries'>[], dead: BusRecord<'dlq'>[]): Promise<void> {
    if (this.#output === undefined) {
      if (this.#buffered.length >= MAX_BUFFERED_OUTPUTS) {
        const dropped = this.#buffered.shift();
        this.#log.error({ deliveries: dropped?.deliveries.length, deadLetters: dropped?.dead.length }, 'no output attached to the alerts dispatcher; oldest delivery records dropped');
      }
      this.#buffered.push({ deliveries, dead });
      return;
    }
    await this.#send(deliveries, dead);
  }

  async #send(deliveries: BusRecord<'webhook-deliveries'>[], dead: BusRecord<'dlq'>[]): Promise<void> {
    const output = this.#output;
    if (output === undefined) return;
    try {
      if (deliveries.length > 0) await output.send(Streams.deliveries, deliveries);
      if (dead.length > 0) await output.send(Streams.deadLetters, dead);
    } catch (err) {
      // The outbox already holds the outcome; only its log row is lost (e.g. the pipeline closed first).
      this.#log.error({ err, deliveries: deliveries.length, deadLetters: dead.length }, 'could not hand on webhook delivery records');
    }
  }

  /** Stops scheduling, lets attempts in flight finish (aborting them after a grace period), then returns. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) this.#scheduler.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    if (this.#attempts.size > 0) {
      const grace = this.#scheduler.setTimer(this.#closeGraceMs, () => this.#shutdown.abort());
      await Promise.allSettled([...this.#attempts]);
      this.#scheduler.clearTimer(grace);
    }
    this.#wake();
  }
}

function networkError(err: unknown, url: string): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : describeError(err);
  // Undici messages name the address only, never the path; still, say which host from the safe form.
  return `network error to ${loggableUrl(url)}: ${code ?? ''}${code ? ' ' : ''}${message}`.trim();
}

function clean(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/gu, ' ').trim();
  return flat.length > ERROR_EXCERPT ? `${flat.slice(0, ERROR_EXCERPT)}…` : flat;
}
