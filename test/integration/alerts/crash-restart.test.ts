import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../../src/model/index.ts';
import { ManualClock } from '../../support/alerts/manual-clock.ts';
import { NotifyHarness } from '../../support/alerts/notify-harness.ts';
import { WebhookReceiver, type Reply } from '../../support/alerts/webhook-receiver.ts';

const secret = 'observer-shared-secret-0001';
const childScript = fileURLToPath(new URL('./fixtures/notify-child.ts', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Child {
  process: ChildProcess;
  deliveries: WebhookDelivery[];
  ready: boolean;
  until(check: () => boolean): Promise<void>;
}

function startChild(outboxDir: string, url: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', childScript, outboxDir, url, secret], { stdio: ['ignore', 'pipe', 'inherit'] });
  const child: Child = { process: proc, deliveries: [], ready: false, until: () => Promise.resolve() };
  const waiters: Array<{ check: () => boolean; resolve: () => void; reject: (e: Error) => void }> = [];
  const settle = (): void => {
    for (const w of waiters.splice(0)) {
      if (w.check()) w.resolve();
      else waiters.push(w);
    }
  };
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const msg = JSON.parse(line) as { stream: string; value?: WebhookDelivery };
    if (msg.stream === 'ready') child.ready = true;
    if (msg.stream === 'webhook-deliveries' && msg.value) child.deliveries.push(msg.value);
    settle();
  });
  proc.on('exit', (code, signal) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`child exited (${code ?? signal}) before the awaited condition`));
  });
  child.until = (check) => (check() ? Promise.resolve() : new Promise((resolve, reject) => waiters.push({ check, resolve, reject })));
  cleanups.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  return child;
}

async function kill(child: Child): Promise<void> {
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}

async function setup(reply: (index: number) => Reply): Promise<{ dir: string; receiver: WebhookReceiver; clock: ManualClock; useTestClock: () => void }> {
  const dir = await mkdtemp(join(tmpdir(), 'tw-alerts-crash-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.now());
  let realTime = true;
  const receiver = await WebhookReceiver.start({ secret, now: () => (realTime ? Date.now() : clock.now()), reply: (_req, i) => reply(i) });
  cleanups.push(() => receiver.close());
  // Until the restart the child signs with the real clock; afterwards the test's clock rules.
  return { dir, receiver, clock, useTestClock: () => (realTime = false) };
}

describe('alerts survive a killed process', () => {
  it('killed with retries pending: the restarted process delivers every pending alert, attempt counts kept', async () => {
    let up = false;
    const { dir, receiver, clock, useTestClock } = await setup(() => (up ? { status: 204 } : { status: 503 }));
    const child = startChild(dir, receiver.url);
    await child.until(() => child.ready && child.deliveries.length === 3);
    expect(child.deliveries.map((d) => [d.status, d.httpStatus, d.attempt])).toEqual(Array(3).fill(['retry', 503, 1]));
    await kill(child);

    up = true;
    useTestClock();
    clock.advanceTo(Date.now());
    const h = await NotifyHarness.start({ clock, outboxDir: dir, alerts: { subscribers: [{ name: 'observers', url: receiver.url, secret }], retry: { initialDelayMs: 60_000, jitter: 0 } } });
    cleanups.push(() => h.close());
    expect(h.stage.pending().map((e) => e.attempts)).toEqual([1, 1, 1]);
    // Retries were due 60 s after the failed attempts (real time in the child); nothing goes out earlier.
    const dues = h.stage.pending().map((e) => e.dueAt);
    for (const entry of h.stage.pending()) {
      const failed = child.deliveries.find((d) => d.eventId === entry.id)!;
      expect(entry.dueAt - failed.at).toBeGreaterThanOrEqual(60_000);
      expect(entry.dueAt - failed.at).toBeLessThan(60_000 + 5_000);
    }
    clock.advanceTo(Math.min(...dues) - 1);
    expect(receiver.requests).toHaveLength(3);
    clock.advanceTo(Math.max(...dues));
    await h.untilDeliveries(3);
    expect(h.deliveries().map((d) => [d.status, d.attempt])).toEqual(Array(3).fill(['delivered', 2]));
    expect(receiver.accepted.size).toBe(3);
    expect(new Set(child.deliveries.map((d) => d.eventId))).toEqual(new Set(receiver.accepted.keys()));
    expect(receiver.requests.every((q) => q.verification.ok)).toBe(true);
    expect(h.stage.pending()).toEqual([]);
  });

  it('killed mid-request: the alerts are sent again under the same Idempotency-Key, and the receiver keeps each once', async () => {
    let up = false;
    const { dir, receiver, clock, useTestClock } = await setup(() => (up ? { status: 200 } : 'hang'));
    const child = startChild(dir, receiver.url);
    await receiver.untilRequests(3);
    await kill(child);
    expect(child.deliveries).toHaveLength(0);

    up = true;
    useTestClock();
    clock.advanceTo(Date.now());
    const h = await NotifyHarness.start({ clock, outboxDir: dir, alerts: { subscribers: [{ name: 'observers', url: receiver.url, secret }] } });
    cleanups.push(() => h.close());
    await h.untilDeliveries(3);
    expect(h.deliveries().map((d) => [d.status, d.attempt])).toEqual(Array(3).fill(['delivered', 1]));
    expect(receiver.requests).toHaveLength(6);
    const keys = receiver.requests.map((q) => q.idempotencyKey);
    expect(new Set(keys).size).toBe(3);
    expect(keys.slice(3).sort()).toEqual(keys.slice(0, 3).sort());
    expect([...receiver.accepted.values()]).toEqual([1, 1, 1]);
  });
});
