import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertPayloadV1Schema, alertsLogger, postWebhook, verifySignature, type AlertsOptionsInput } from '../../../src/alerts/index.ts';
import { REDACTED_PATHS } from '../../../src/log/index.ts';
import { makeFlag, makeMinute } from '../../support/alerts/flags.ts';
import { ManualClock } from '../../support/alerts/manual-clock.ts';
import { NotifyHarness } from '../../support/alerts/notify-harness.ts';
import { WebhookReceiver, type Reply } from '../../support/alerts/webhook-receiver.ts';

const secret = 'observer-shared-secret-0001';
const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const r of opened.splice(0).reverse()) await r.close();
});

async function receiver(clock: ManualClock, reply?: (req: unknown, index: number) => Reply): Promise<WebhookReceiver> {
  const r = await WebhookReceiver.start({ secret, now: () => clock.now(), ...(reply ? { reply } : {}) });
  opened.push(r);
  return r;
}

async function harness(clock: ManualClock, alerts: AlertsOptionsInput, extra: { log?: pino.Logger } = {}): Promise<NotifyHarness> {
  const h = await NotifyHarness.start({ clock, alerts, ...extra });
  opened.push(h);
  return h;
}

describe('webhook delivery', () => {
  it('signs every alert; the receiver verifies it; a tampered body or an old timestamp fails', async () => {
    const clock = new ManualClock();
    const jsonReceiver = await receiver(clock);
    const slackReceiver = await receiver(clock);
    const h = await harness(clock, {
      subscribers: [
        { name: 'observers', url: jsonReceiver.url, secret },
        { name: 'newsroom-slack', url: slackReceiver.url, secret, format: 'slack' },
      ],
    });
    await h.minutes(makeMinute());
    await h.flags(makeFlag());
    await Promise.all([jsonReceiver.untilRequests(1), slackReceiver.untilRequests(1), h.untilDeliveries(2)]);

    const request = jsonReceiver.requests[0]!;
    expect(request.verification.ok).toBe(true);
    const payload = AlertPayloadV1Schema.parse(JSON.parse(request.body));
    expect(request.idempotencyKey).toBe(payload.event_id);
    expect(request.headers['x-tagwatch-event']).toBe('flag.opened');
    expect(request.headers['content-type']).toBe('application/json');
    expect(payload).toMatchObject({ type: 'flag.opened', subscriber: 'observers', flag: { tag: 'macronleaks', kind: 'coordinated' }, metrics: { posts: 87 } });

    const slack = slackReceiver.requests[0]!;
    expect(slack.verification.ok).toBe(true);
    expect((JSON.parse(slack.body) as { text: string }).text).toContain('Coordinated push on #macronleaks');
    expect(slack.idempotencyKey).not.toBe(request.idempotencyKey);

    const header = String(request.headers['x-tagwatch-signature']);
    expect(verifySignature({ body: request.body.replace('macronleaks', 'macronleakz'), header, secret, now: clock.now() })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifySignature({ body: request.body, header, secret, now: clock.now() + 6 * 60_000 }).ok).toBe(false);
    expect(verifySignature({ body: request.body, header, secret: 'someone-elses-secret-000', now: clock.now() }).ok).toBe(false);

    expect(h.deliveries().map((d) => [d.subscriber, d.status, d.attempt, d.httpStatus])).toEqual(
      expect.arrayContaining([
        ['observers', 'delivered', 1, 204],
        ['newsroom-slack', 'delivered', 1, 204],
      ]),
    );
    expect(h.stage.pending()).toEqual([]);
  });

  it('receiver down for a while, then up: every alert delivered exactly once per subscriber', async () => {
    const clock = new ManualClock();
    const r = await receiver(clock);
    await r.down();
    const h = await harness(clock, {
      subscribers: [
        { name: 'observers', url: r.url, secret },
        { name: 'ngo', url: r.url, secret },
      ],
      retry: { initialDelayMs: 1_000, maxDelayMs: 60_000 },
      concurrency: 3,
    });
    const tags = ['macronleaks', 'macrongate', 'bayrou', 'fillon', 'votez'];
    await h.flags(...tags.map((tag) => makeFlag({ tag })));
    const alerts = tags.length * 2;
    await h.untilDeliveries(alerts);
    for (let round = 2; round <= 4; round++) {
      h.advanceToNextAttempt();
      await h.untilDeliveries(alerts * round);
    }
    expect(h.deliveries().every((d) => d.status === 'retry' && d.httpStatus === 0 && /ECONNREFUSED/.test(d.error))).toBe(true);
    expect(r.requests).toHaveLength(0);

    await r.up();
    h.advanceToNextAttempt();
    await h.untilDeliveries(alerts * 5);
    await h.stage.dispatcher.whenIdle();

    expect(r.requests.every((q) => q.verification.ok)).toBe(true);
    expect(r.accepted.size).toBe(alerts);
    expect([...r.accepted.values()].every((n) => n === 1)).toBe(true);
    const delivered = h.deliveries().filter((d) => d.status === 'delivered');
    expect(new Set(delivered.map((d) => `${d.subscriber}/${d.eventId}`)).size).toBe(alerts);
    expect(delivered.every((d) => d.attempt === 5)).toBe(true);
    expect(h.stage.pending()).toEqual([]);
    expect(h.stage.dispatcher.nextAttemptAt()).toBeUndefined();
  });

  it('500s, a timeout, 429 and 503 with Retry-After: each retry waits exactly as scheduled', async () => {
    const clock = new ManualClock();
    const at = (s: number): string => new Date(clock.now() + s * 1000).toUTCString();
    const script: Array<() => Reply> = [
      () => ({ status: 500, body: 'boom' }),
      () => ({ status: 500 }),
      () => 'hang',
      () => ({ status: 429, headers: { 'retry-after': '120' } }),
      () => ({ status: 503, headers: { 'retry-after': at(30) } }),
      () => ({ status: 200 }),
    ];
    const r = await receiver(clock, (_req, index) => (script[index] ?? (() => ({ status: 200 })))());
    // random 0.5 with jitter 0.2: every backoff is 90% of 1 s × 2^(n-1).
    const h = await harness(clock, {
      subscribers: [{ name: 'observers', url: r.url, secret }],
      retry: { initialDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.2 },
      timeoutMs: 5_000,
    });
    const t0 = clock.now();
    await h.flags(makeFlag());
    await h.untilDeliveries(1);

    // The backoff counts from the end of the failed attempt: the clock stands still during real I/O,
    // so that is `clock.now()` here, except after the timeout, which moved it.
    const expectNextAt = async (delayMs: number, attempts: number): Promise<void> => {
      const ended = clock.now();
      expect(h.stage.dispatcher.nextAttemptAt()).toBe(ended + delayMs);
      clock.advanceTo(ended + delayMs - 1);
      expect(r.requests).toHaveLength(attempts);
      clock.advance(1);
      await r.untilRequests(attempts + 1);
    };

    await expectNextAt(900, 1);
    await h.untilDeliveries(2);
    await expectNextAt(1_800, 2);
    // Third attempt hangs: the per-attempt timeout (on the injected clock) aborts it.
    clock.advance(4_999);
    expect(h.deliveries()).toHaveLength(2);
    clock.advance(1);
    await h.untilDeliveries(3);
    expect(h.deliveries()[2]).toMatchObject({ status: 'retry', httpStatus: 0, error: 'timeout: no response within 5000 ms' });
    await expectNextAt(3_600, 3);
    await h.untilDeliveries(4);
    // 429 Retry-After: 120 s beats the 7.2 s backoff.
    await expectNextAt(120_000, 4);
    await h.untilDeliveries(5);
    // 503 with an HTTP-date Retry-After 30 s ahead (whole seconds), beats the 14.4 s backoff.
    const dateTarget = Math.floor((clock.now() + 30_000) / 1000) * 1000;
    await expectNextAt(dateTarget - clock.now(), 5);
    await h.untilDeliveries(6);

    expect(h.deliveries().map((d) => [d.attempt, d.status, d.httpStatus])).toEqual([
      [1, 'retry', 500],
      [2, 'retry', 500],
      [3, 'retry', 0],
      [4, 'retry', 429],
      [5, 'retry', 503],
      [6, 'delivered', 200],
    ]);
    expect(h.deliveries()[0]?.error).toBe('HTTP 500: boom');
    expect(h.deliveries()[0]?.at).toBe(t0);
    expect(new Set(r.requests.map((q) => q.idempotencyKey)).size).toBe(1);
    expect(r.requests.every((q) => q.verification.ok)).toBe(true);
  });

  it('does not follow redirects; a refusing receiver and an alert past its maximum age are dead-lettered with the reason', async () => {
    const clock = new ManualClock();
    const elsewhere = await receiver(clock);
    const redirecting = await receiver(clock, () => ({ status: 307, headers: { location: elsewhere.url } }));
    const gone = await receiver(clock, () => ({ status: 410, body: 'subscription removed' }));
    const failing = await receiver(clock, () => ({ status: 502 }));
    const h = await harness(clock, {
      subscribers: [
        { name: 'redirecting', url: redirecting.url, secret },
        { name: 'gone', url: gone.url, secret },
        { name: 'failing', url: failing.url, secret },
      ],
      retry: { initialDelayMs: 30_000, maxDelayMs: 60_000, maxAgeMinutes: 1, jitter: 0 },
    });
    await h.flags(makeFlag());
    await h.untilDeliveries(3);
    const byName = (name: string) => h.deliveries().filter((d) => d.subscriber === name);
    expect(byName('redirecting')).toEqual([expect.objectContaining({ status: 'dead', httpStatus: 307, error: 'HTTP 307 (redirect not followed)' })]);
    expect(byName('gone')).toEqual([expect.objectContaining({ status: 'dead', httpStatus: 410, error: 'HTTP 410 (refused by the receiver): subscription removed' })]);
    expect(elsewhere.requests).toHaveLength(0);

    // 502s: attempts at 0 and +30 s; the next backoff (60 s) would pass the 1-minute deadline, so the last try is at it.
    const t0 = byName('failing')[0]!.at;
    h.advanceToNextAttempt();
    await h.untilDeliveries(4);
    expect(h.advanceToNextAttempt()).toBe(t0 + 60_000);
    await h.untilDeliveries(5);
    expect(byName('failing').map((d) => [d.attempt, d.status, d.at - t0])).toEqual([
      [1, 'retry', 0],
      [2, 'retry', 30_000],
      [3, 'dead', 60_000],
    ]);
    expect(byName('failing')[2]?.error).toBe('HTTP 502; maximum age (1 min) reached');

    await h.out.until(() => h.deadLetters().length === 3);
    const reasons = h.deadLetters().map((d) => `${d.source} ${d.code} ${d.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^notify TW_ALERT_GAVE_UP .*redirecting: gave up after attempt 1: HTTP 307 \(redirect not followed\)$/),
        expect.stringMatching(/gone: gave up after attempt 1: HTTP 410/),
        expect.stringMatching(/failing: gave up after attempt 3: HTTP 502; maximum age/),
      ]),
    );
    // The dead letter keeps the alert itself, so nothing is lost.
    expect(AlertPayloadV1Schema.safeParse(JSON.parse(h.deadLetters()[0]!.payload)).success).toBe(true);
    expect(h.stage.pending()).toEqual([]);
  });

  it('reads at most maxResponseBytes of a response, even an endless one', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      const pump = (): void => {
        while (res.write(chunk)) {
          /* fill the socket buffer */
        }
        res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) });
    const clock = new ManualClock();
    const response = await postWebhook({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 60_000,
      maxResponseBytes: 1_000,
      scheduler: clock,
    });
    expect(response).toMatchObject({ status: 500, truncated: true });
    expect(response.bodyStart).toBe('x'.repeat(1_000));
    expect(clock.pendingTimers).toBe(0);
  });

  it('never logs the secret or the URL path (incoming-webhook URLs are secrets too)', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    const clock = new ManualClock();
    const r = await receiver(clock, () => ({ status: 500 }));
    const url = `${r.url}/T000/B000/s3cr3tPathToken?token=abc123`;
    const h = await harness(clock, { subscribers: [{ name: 'observers', url, secret }], retry: { initialDelayMs: 1_000 } }, { log });
    await h.flags(makeFlag());
    await h.untilDeliveries(1);
    await r.down();
    h.advanceToNextAttempt();
    await h.untilDeliveries(2);
    const text = lines.join('');
    expect(text).toContain('alert delivery failed; will retry');
    expect(text).toMatch(/network error to http:\/\/127\.0\.0\.1:\d+: /);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('s3cr3tPathToken');
    expect(text).not.toContain('abc123');
    expect(h.deliveries().map((d) => d.error).join(' ')).not.toContain('s3cr3tPathToken');

    // Even a careless future log line with the subscriber or the config is redacted.
    lines.length = 0;
    const subscriber = { name: 'observers', url, secret };
    alertsLogger(log).error({ subscriber, url, config: { alerts: { subscribers: [subscriber] } }, subscribers: [subscriber] }, 'careless');
    expect(lines.join('')).toContain('careless');
    expect(lines.join('')).not.toContain(secret);
    expect(lines.join('')).not.toContain('s3cr3tPathToken');
  });
});
