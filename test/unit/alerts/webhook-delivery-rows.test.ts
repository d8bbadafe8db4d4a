import { describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../../src/model/index.ts';
import { toWebhookDeliveryRow } from '../../../src/store/sink/webhook-delivery-rows.ts';

const delivery: WebhookDelivery = {
  subscriber: 'observers',
  eventId: 'twe_0123456789abcdef0123456789abcdef',
  flagId: 'coordinated:macronleaks:1',
  attempt: 3,
  status: 'retry',
  httpStatus: 503,
  latencyMs: 41.6,
  error: 'HTTP 503',
  at: Date.UTC(2017, 4, 5, 19, 0, 0, 123),
};

describe('webhook_deliveries row mapping', () => {
  it('maps a delivery attempt to snake_case columns', () => {
    expect(toWebhookDeliveryRow(delivery)).toEqual({
      subscriber: 'observers',
      event_id: 'twe_0123456789abcdef0123456789abcdef',
      flag_id: 'coordinated:macronleaks:1',
      attempt: 3,
      status: 'retry',
      http_status: 503,
      latency_ms: 42,
      error: 'HTTP 503',
      at: '2017-05-05 19:00:00.123',
    });
  });

  it('refuses values the columns cannot hold', () => {
    expect(() => toWebhookDeliveryRow({ ...delivery, attempt: -1 })).toThrow(/attempt/);
    expect(() => toWebhookDeliveryRow({ ...delivery, httpStatus: 70_000 })).toThrow(/httpStatus/);
    expect(() => toWebhookDeliveryRow({ ...delivery, at: Number.NaN })).toThrow(/at is not a time/);
  });
});
