import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { Streams, type BusRecord, type Producer, type RecordBatch, type Stage, type StreamName } from '../bus/index.ts';
import { ClosedError, ErrorCodes, ValidationError } from '../errors/index.ts';
import { formatZodIssues, toDeadLetter, type Flag, type TagMinute } from '../model/index.ts';
import { AlertOutbox } from './alert-outbox.ts';
import { alertsLogger } from './alerts-logger.ts';
import type { JournalRecord } from './outbox-journal.ts';
import { AlertFormats, type AlertsOptions, type Subscriber } from './options.ts';
import { AlertPayloadV1Schema, alertEventId, buildPayloadV1, tagPageUrl } from './payload.ts';
import { slackMessage } from './slack-message.ts';
import { SubscriberFilter } from './subscriber-filter.ts';
import { AlertTypes, systemClock, type AlertType, type Clock, type EpisodeState, type OutboxEntry, type Scheduler } from './types.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';
import type { WebhookRequest, WebhookResponse } from './webhook-request.ts';

/** Tags whose latest metrics minute is kept for alert payloads (least recently updated dropped first). */
const DEFAULT_MAX_TRACKED_TAGS = 100_000;

export interface NotifyStageOptions {
  alerts: AlertsOptions;
  /** Directory of the outbox journal (see `resolveOutboxDir`). */
  outboxDir: string;
  log: Logger;
  clock?: Clock;
  scheduler?: Scheduler;
  random?: () => number;
  post?: (request: WebhookRequest) => Promise<WebhookResponse>;
  maxTrackedTags?: number;
  /** Where delivery records go before the first batch arrives (default: the producer of the first batch). */
  output?: Producer;
}

/** `alerts.outboxDir`, or `alerts-outbox` beside the store directory (chDB owns the store directory itself). */
export function resolveOutboxDir(alerts: Pick<AlertsOptions, 'outboxDir'>, storePath: string): string {
  return alerts.outboxDir ?? join(dirname(resolve(storePath)), 'alerts-outbox');
}

interface SubscriberRoute {
  subscriber: Subscriber;
  filter: SubscriberFilter;
}

/**
 * The notify stage: turns flags into alerts for the subscribers whose filters match, once per
 * flag episode, with updates throttled by the cooldown, and records them in the durable outbox
 * before its batch is acknowledged. The `WebhookDispatcher` delivers from there. It also keeps
 * each tag's latest metrics minute (from the `metrics` stream) for the payload's snapshot.
 */
export class NotifyStage implements Stage, AsyncDisposable {
  readonly name = 'notify';
  readonly inputs: readonly StreamName[] = [Streams.flags, Streams.metrics];
  readonly dispatcher: WebhookDispatcher;
  readonly #outbox: AlertOutbox;
  readonly #alerts: AlertsOptions;
  readonly #routes: SubscriberRoute[];
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #latestMinute = new Map<string, TagMinute>();
  readonly #maxTrackedTags: number;
  #closing: Promise<void> | undefined;

  private constructor(outbox: AlertOutbox, dispatcher: WebhookDispatcher, options: NotifyStageOptions) {
    this.#outbox = outbox;
    this.dispatcher = dispatcher;
    this.#alerts = options.alerts;
    this.#routes = options.alerts.subscribers.map((subscriber) => ({ subscriber, filter: new SubscriberFilter(subscriber) }));
    this.#log = options.log;
    this.#clock = options.clock ?? systemClock;
    this.#maxTrackedTags = options.maxTrackedTags ?? DEFAULT_MAX_TRACKED_TAGS;
  }

  /** Opens (and locks) the outbox, resumes delivery of alerts pending from an earlier run. */
  static async open(options: NotifyStageOptions): Promise<NotifyStage> {
    const log = alertsLogger(options.log);
    const clock = options.clock ?? systemClock;
    const outbox = await AlertOutbox.open({
      dir: options.outboxDir,
      log,
      compactAfterBytes: options.alerts.compactAfterBytes,
      episodeTtlMs: options.alerts.episodeTtlHours * 3_600_000,
      now: () => clock.now(),
    });
    const dispatcher = new WebhookDispatcher({
      outbox,
      alerts: options.alerts,
      log,
      clock,
      ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.post === undefined ? {} : { post: options.post }),
    });
    const stage = new NotifyStage(outbox, dispatcher, { ...options, log });
    if (options.output !== undefined) await dispatcher.attach(options.output);
    log.info(
      { outboxDir: outbox.dir, subscribers: options.alerts.subscribers.map((s) => s.name), pending: outbox.size },
      'notify stage ready',
    );
    await dispatcher.start();
    return stage;
  }

  /** Alerts waiting in the outbox (pending delivery or held by the cooldown). */
  pending(): OutboxEntry[] {
    return [...this.#outbox.entries()].map((e) => ({ ...e }));
  }

  async process(batch: RecordBatch, out: Producer): Promise<void> {
    if (this.#closing !== undefined) throw new ClosedError(ErrorCodes.CLOSED, 'notify stage is closed');
    await this.dispatcher.attach(out);
    if (batch.stream === Streams.metrics) {
      for (const record of (batch as RecordBatch<'metrics'>).records) this.#observeMinute(record.value);
      return;
    }
    if (batch.stream !== Streams.flags || this.#routes.length === 0) return;
    const commits: Array<Promise<void>> = [];
    const dead: BusRecord<'dlq'>[] = [];
    for (const record of (batch as RecordBatch<'flags'>).records) {
      for (const route of this.#routes) {
        const records = this.#decide(record.value, route, dead);
        // Each commit applies at once (the next decision sees it); the journal shares one fsync among them.
        if (records.length > 0) commits.push(this.#outbox.commit(records));
      }
    }
    // A retried batch whose decisions were made before its write failed commits nothing new: write what is owed.
    if (commits.length === 0 && this.#outbox.unwritten > 0) commits.push(this.#outbox.commit([]));
    if (dead.length > 0) await out.send(Streams.deadLetters, dead);
    await Promise.all(commits);
    this.dispatcher.kick();
  }

  /**
   * Lets the attempts in flight and those due now finish (each bounded by the per-attempt
   * timeout), so their delivery records reach the sink before it flushes. Later retries stay in
   * the outbox for the next run.
   */
  async flush(out: Producer): Promise<void> {
    await this.dispatcher.attach(out);
    this.dispatcher.kick();
    await this.dispatcher.whenIdle();
  }

  #observeMinute(minute: TagMinute): void {
    const current = this.#latestMinute.get(minute.tag);
    if (current !== undefined && (current.minute > minute.minute || (current.minute === minute.minute && current.revision > minute.revision))) return;
    this.#latestMinute.delete(minute.tag);
    this.#latestMinute.set(minute.tag, minute);
    if (this.#latestMinute.size > this.#maxTrackedTags) {
      const oldest = this.#latestMinute.keys().next();
      if (oldest.done !== true) this.#latestMinute.delete(oldest.value);
    }
  }

  /** The outbox records for one flag and one subscriber: an opening, an update (maybe held by the cooldown), or nothing. */
  #decide(flag: Flag, route: SubscriberRoute, dead: BusRecord<'dlq'>[]): JournalRecord[] {
    const { subscriber, filter } = route;
    if (!filter.routes(flag)) return [];
    const now = this.#clock.now();
    const episode = this.#outbox.episode(subscriber.name, flag.flagId);
    if (episode === undefined) {
      if (!filter.opens(flag)) return [];
      const entry = this.#entry(flag, subscriber, AlertTypes.opened, now, now, dead);
      if (entry === undefined) return [];
      return [
        { op: 'enqueue', entry },
        { op: 'episode', episode: { subscriber: subscriber.name, flagId: flag.flagId, revision: flag.revision, alertAt: now, seenAt: now } },
      ];
    }
    if (flag.revision <= episode.revision) return [];

    const held = episode.heldId === undefined ? undefined : this.#outbox.entry(episode.heldId);
    if (held !== undefined && held.attempts === 0 && !this.#outbox.isInFlight(held.id)) {
      // An update still waiting for the cooldown and never tried: the newer revision takes its place.
      const entry = this.#entry(flag, subscriber, AlertTypes.updated, now, held.dueAt, dead);
      if (entry === undefined) return [];
      return [
        { op: 'done', id: held.id, outcome: 'superseded' },
        { op: 'enqueue', entry },
        { op: 'episode', episode: this.#episode(episode, flag, episode.alertAt, now, entry.id) },
      ];
    }
    const releaseAt = Math.max(now, episode.alertAt + this.#alerts.updateCooldownMinutes * 60_000);
    const entry = this.#entry(flag, subscriber, AlertTypes.updated, now, releaseAt, dead);
    if (entry === undefined) return [];
    return [
      { op: 'enqueue', entry },
      { op: 'episode', episode: this.#episode(episode, flag, releaseAt, now, releaseAt > now ? entry.id : undefined) },
    ];
  }

  #episode(previous: EpisodeState, flag: Flag, alertAt: number, now: number, heldId: string | undefined): EpisodeState {
    const next: EpisodeState = { subscriber: previous.subscriber, flagId: previous.flagId, revision: flag.revision, alertAt, seenAt: now };
    if (heldId !== undefined) next.heldId = heldId;
    return next;
  }

  #entry(flag: Flag, subscriber: Subscriber, type: AlertType, now: number, dueAt: number, dead: BusRecord<'dlq'>[]): OutboxEntry | undefined {
    const eventId = alertEventId(subscriber.name, flag.flagId, flag.revision);
    const payload = buildPayloadV1(flag, this.#latestMinute.get(flag.tag), {
      eventId,
      type,
      subscriber: subscriber.name,
      createdAt: now,
      tagUrl: tagPageUrl(this.#alerts.webBaseUrl, this.#alerts.tagPathTemplate, flag.tag),
      authorSample: this.#alerts.authorSample,
      postSample: this.#alerts.postSample,
    });
    const checked = AlertPayloadV1Schema.safeParse(payload);
    if (!checked.success) {
      const err = new ValidationError(ErrorCodes.ALERT_PAYLOAD_INVALID, `flag ${flag.flagId} cannot be turned into an alert: ${formatZodIssues(checked.error)}`);
      this.#log.error({ err, subscriber: subscriber.name, flagId: flag.flagId }, 'flag dead-lettered: invalid alert payload');
      dead.push({ key: flag.tag, value: toDeadLetter(this.name, `${Streams.flags}/${flag.flagId}`, err, flag, now) });
      return undefined;
    }
    const body = JSON.stringify(subscriber.format === AlertFormats.slack ? slackMessage(checked.data) : checked.data);
    return {
      id: eventId,
      subscriber: subscriber.name,
      flagId: flag.flagId,
      tag: flag.tag,
      type,
      revision: flag.revision,
      createdAt: now,
      dueAt,
      attempts: 0,
      body,
      contentType: 'application/json',
    };
  }

  /** Stops delivery (attempts in flight finish first), then closes the outbox. Pending alerts resume at the next open. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.dispatcher.close();
      await this.#outbox.close();
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
