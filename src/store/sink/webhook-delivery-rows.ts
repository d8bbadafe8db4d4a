import { ErrorCodes, ValidationError } from '../../errors/index.ts';
import type { WebhookDelivery } from '../../model/index.ts';
import type { TableRow } from '../types.ts';
import { dateTime64, uint32 } from './clickhouse-values.ts';

export function toWebhookDeliveryRow(delivery: WebhookDelivery): TableRow {
  if (!Number.isInteger(delivery.httpStatus) || delivery.httpStatus < 0 || delivery.httpStatus > 65_535) {
    throw new ValidationError(ErrorCodes.STORE_ROW_INVALID, `httpStatus must be an integer in 0..65535, got ${delivery.httpStatus}`, { input: delivery.httpStatus });
  }
  return {
    subscriber: delivery.subscriber,
    event_id: delivery.eventId,
    flag_id: delivery.flagId,
    attempt: uint32(delivery.attempt, 'attempt'),
    status: delivery.status,
    http_status: delivery.httpStatus,
    latency_ms: uint32(Math.max(0, Math.round(delivery.latencyMs)), 'latencyMs'),
    error: delivery.error,
    at: dateTime64(delivery.at, 'at'),
  };
}
