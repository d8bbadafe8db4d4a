import { afterEach, describe, expect, it } from 'vitest';
import { AlertPayloadV1Schema, type AlertPayloadV1 } from '../../../src/alerts/index.ts';
import { makeFlag } from '../../support/alerts/flags.ts';
import { ManualClock } from '../../support/alerts/manual-clock.ts';
import { NotifyHarness } from '../../support/alerts/notify-harness.ts';
import { WebhookReceiver } from '../../support/alerts/webhook-receiver.ts';

const secret = 'observer-shared-secret-0001';
const MIN = 60_000;
const opened: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const r of opened.splice(0).reverse()) await r.close();
});

function payloads(r: WebhookReceiver): AlertPayloadV1[] {
  return r.requests.map((q) => AlertPayloadV1Schema.parse(JSON.parse(q.body)));
}

describe('routing and throttling', () => {
  it('filters route flags by tag pattern, kind and minimum score', async () => {
    const clock = new ManualClock();
    const election = await WebhookReceiver.start({ secret, now: () => clock.now() });
    const bursts = await WebhookReceiver.start({ secret, now: () => clock.now() });
    opened.push(election, bursts);
    const h = await NotifyHarness.start({
      clock,
      alerts: {
        subscribers: [
          { name: 'election', url: election.url, secret, filters: { tags: ['#Macron*', 'présidentielle*'], kinds: ['coordinated'], minScore: 0.5 } },
          { name: 'bursts', url: bursts.url, secret, filters: { kinds: ['burst'] } },
        ],
      },
    });
    opened.push(h);
    await h.flags(
      makeFlag({ tag: 'macronleaks', kind: 'coordinated', score: 0.9 }),
      makeFlag({ tag: 'présidentielle2017', kind: 'coordinated', score: 0.5 }),
      makeFlag({ tag: 'macrongate', kind: 'coordinated', score: 0.49 }),
      makeFlag({ tag: 'football', kind: 'coordinated', score: 0.99 }),
      makeFlag({ tag: 'macronleaks', kind: 'burst', score: 7 }),
      makeFlag({ tag: 'football', kind: 'burst', score: 3 }),
    );
    await h.untilDeliveries(4);
    expect(payloads(election).map((p) => `${p.flag.kind}:${p.flag.tag}`).sort()).toEqual(['coordinated:macronleaks', 'coordinated:présidentielle2017']);
    expect(payloads(bursts).map((p) => `${p.flag.kind}:${p.flag.tag}`).sort()).toEqual(['burst:football', 'burst:macronleaks']);
    expect(h.deliveries()).toHaveLength(4);

    // A weak flag that later strengthens opens its episode then.
    await h.flags(makeFlag({ tag: 'macrongate', kind: 'coordinated', score: 0.7, revision: 1 }));
    await h.untilDeliveries(5);
    expect(payloads(election).at(-1)).toMatchObject({ type: 'flag.opened', flag: { tag: 'macrongate', revision: 1 } });
  });

  it('one alert per episode; updates at most once per cooldown, the newest revision winning; state survives a restart', async () => {
    const clock = new ManualClock();
    const r = await WebhookReceiver.start({ secret, now: () => clock.now() });
    opened.push(r);
    const alerts = { subscribers: [{ name: 'observers', url: r.url, secret }], updateCooldownMinutes: 10 };
    let h = await NotifyHarness.start({ clock, alerts });
    opened.push(h);
    const t0 = clock.now();
    const flag = (revision: number, score = 0.9) => makeFlag({ revision, score, detectedAt: t0 + revision * MIN });

    await h.flags(flag(0));
    await h.untilDeliveries(1);
    // The same revision again (a replay, a redelivered batch): nothing.
    await h.flags(flag(0));
    clock.advance(MIN);
    await h.flags(flag(1));
    expect(h.stage.pending()).toEqual([expect.objectContaining({ type: 'flag.updated', revision: 1, dueAt: t0 + 10 * MIN, attempts: 0 })]);
    clock.advance(MIN);
    await h.flags(flag(2, 0.95));
    // Revision 2 replaces the untried revision 1, keeping its release time.
    expect(h.stage.pending()).toEqual([expect.objectContaining({ type: 'flag.updated', revision: 2, dueAt: t0 + 10 * MIN })]);
    expect(r.requests).toHaveLength(1);
    expect(h.stage.dispatcher.nextAttemptAt()).toBe(t0 + 10 * MIN);

    clock.advanceTo(t0 + 10 * MIN - 1);
    expect(r.requests).toHaveLength(1);
    clock.advance(1);
    await h.untilDeliveries(2);
    expect(payloads(r).map((p) => [p.type, p.flag.revision, p.flag.score])).toEqual([
      ['flag.opened', 0, 0.9],
      ['flag.updated', 2, 0.95],
    ]);

    // Revision 3 one minute after the last update: held until t0 + 20 min. Then the process restarts.
    clock.advanceTo(t0 + 11 * MIN);
    await h.flags(flag(3));
    expect(h.stage.pending()).toEqual([expect.objectContaining({ revision: 3, dueAt: t0 + 20 * MIN })]);
    h = await h.restart();
    opened.push(h);
    // Replaying the flags already alerted changes nothing; the held update is still there.
    await h.flags(flag(0), flag(1), flag(2), flag(3));
    expect(h.stage.pending()).toEqual([expect.objectContaining({ revision: 3, dueAt: t0 + 20 * MIN })]);
    expect(h.stage.dispatcher.nextAttemptAt()).toBe(t0 + 20 * MIN);
    clock.advanceTo(t0 + 20 * MIN);
    await h.untilDeliveries(1);

    // Revision 4 after the cooldown has passed: sent at once.
    clock.advanceTo(t0 + 45 * MIN);
    await h.flags(flag(4));
    await h.untilDeliveries(2);
    expect(payloads(r).map((p) => [p.type, p.flag.revision])).toEqual([
      ['flag.opened', 0],
      ['flag.updated', 2],
      ['flag.updated', 3],
      ['flag.updated', 4],
    ]);
    expect(r.requests.map((q) => q.idempotencyKey).every((k, i, all) => all.indexOf(k) === i)).toBe(true);
    expect([...r.accepted.values()].every((n) => n === 1)).toBe(true);
  });

  it('an update never overtakes its opening alert while that one is still being retried', async () => {
    const clock = new ManualClock();
    let up = false;
    const r = await WebhookReceiver.start({ secret, now: () => clock.now(), reply: () => (up ? { status: 200 } : { status: 503 }) });
    opened.push(r);
    const h = await NotifyHarness.start({
      clock,
      alerts: { subscribers: [{ name: 'observers', url: r.url, secret }], updateCooldownMinutes: 0, retry: { initialDelayMs: 1_000 } },
    });
    opened.push(h);
    await h.flags(makeFlag({ revision: 0 }));
    await h.untilDeliveries(1);
    await h.flags(makeFlag({ revision: 1 }));
    await h.stage.dispatcher.whenIdle();
    expect(r.requests).toHaveLength(1);
    up = true;
    h.advanceToNextAttempt();
    await h.untilDeliveries(3);
    expect(payloads(r).map((p) => [p.type, p.flag.revision])).toEqual([
      ['flag.opened', 0],
      ['flag.opened', 0],
      ['flag.updated', 1],
    ]);
  });
});
