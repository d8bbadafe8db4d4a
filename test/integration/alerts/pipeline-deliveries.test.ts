import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertsOptionsSchema, alertEventId, NotifyStage } from '../../../src/alerts/index.ts';
import { Streams } from '../../../src/bus/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { EmbeddedPipeline, PipelineOptionsSchema } from '../../../src/pipeline/index.ts';
import { migrations, openStore, SinkStage, StoreOptionsSchema } from '../../../src/store/index.ts';
import { makeFlag } from '../../support/alerts/flags.ts';
import { ManualClock } from '../../support/alerts/manual-clock.ts';
import { WebhookReceiver } from '../../support/alerts/webhook-receiver.ts';

const secret = 'observer-shared-secret-0001';
const log = silentLogger();

describe('notify and sink in the embedded pipeline', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('every delivery attempt lands in webhook_deliveries, dead letters in dead_letters', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tw-alerts-pipeline-'));
    dirs.push(root);
    const clock = new ManualClock();
    const ok = await WebhookReceiver.start({ secret, now: () => clock.now() });
    const flaky = await WebhookReceiver.start({ secret, now: () => clock.now(), reply: (_r, i) => (i === 0 ? { status: 500 } : { status: 202 }) });
    const gone = await WebhookReceiver.start({ secret, now: () => clock.now(), reply: () => ({ status: 404 }) });
    const store = await openStore(StoreOptionsSchema.parse({ path: join(root, 'store'), flushIntervalMs: 20 }), log, {
      migrations: migrations.filter((m) => m.version <= 9 || (m.version >= 20 && m.version <= 29)),
    });
    try {
      const notify = await NotifyStage.open({
        alerts: AlertsOptionsSchema.parse({
          subscribers: [
            { name: 'observers', url: ok.url, secret },
            { name: 'flaky', url: flaky.url, secret },
            { name: 'gone', url: gone.url, secret },
          ],
          retry: { initialDelayMs: 1_000, jitter: 0 },
        }),
        outboxDir: join(root, 'alerts-outbox'),
        log,
        clock,
        scheduler: clock,
      });
      const pipeline = new EmbeddedPipeline(PipelineOptionsSchema.parse({}), log).add(notify).add(new SinkStage(store, log));
      pipeline.start();
      const flag = makeFlag();
      await pipeline.send(Streams.flags, [{ key: flag.tag, value: flag }]);
      await flaky.untilRequests(1);
      await pipeline.flush(false);
      clock.advance(1_000);
      await flaky.untilRequests(2);
      await pipeline.flush(true);
      await pipeline.close();

      const rows = await store.query('SELECT subscriber, event_id, flag_id, attempt, status, http_status FROM webhook_deliveries FINAL ORDER BY subscriber, attempt');
      expect(rows.map((r) => [r['subscriber'], r['attempt'], r['status'], r['http_status']])).toEqual([
        ['flaky', 1, 'retry', 500],
        ['flaky', 2, 'delivered', 202],
        ['gone', 1, 'dead', 404],
        ['observers', 1, 'delivered', 204],
      ]);
      for (const r of rows) {
        expect(r['event_id']).toBe(alertEventId(String(r['subscriber']), flag.flagId, 0));
        expect(r['flag_id']).toBe(flag.flagId);
      }
      expect(await store.query("SELECT source, code FROM dead_letters FINAL WHERE source = 'notify'")).toEqual([{ source: 'notify', code: 'TW_ALERT_GAVE_UP' }]);
      expect(await store.query('SELECT count() AS n FROM flags FINAL')).toEqual([{ n: 1 }]);
    } finally {
      await store.close();
      await ok.close();
      await flaky.close();
      await gone.close();
    }
  });
});
