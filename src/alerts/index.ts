export {
  AlertsOptionsSchema,
  SubscriberSchema,
  SubscriberFiltersSchema,
  RetryOptionsSchema,
  AlertFormats,
  type AlertsOptions,
  type AlertsOptionsInput,
  type Subscriber,
  type SubscriberFilters,
  type RetryOptions,
  type AlertFormat,
} from './options.ts';
export {
  verifySignature,
  computeSignature,
  signatureHeader,
  SIGNATURE_HEADER,
  IDEMPOTENCY_HEADER,
  type VerifySignatureInput,
  type VerifySignatureResult,
} from './signature.ts';
export { AlertPayloadV1Schema, MetricsSnapshotV1Schema, alertEventId, buildPayloadV1, tagPageUrl, type AlertPayloadV1, type MetricsSnapshotV1 } from './payload.ts';
export { slackMessage } from './slack-message.ts';
export { SubscriberFilter, compileTagPattern } from './subscriber-filter.ts';
export { backoffDelayMs, parseRetryAfter, classifyStatus } from './retry-schedule.ts';
export { AlertOutbox } from './alert-outbox.ts';
export { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.ts';
export { NotifyStage, resolveOutboxDir, type NotifyStageOptions } from './notify-stage.ts';
export { postWebhook, WebhookTimeoutError, type WebhookRequest, type WebhookResponse } from './webhook-request.ts';
export { isLoopbackHost, loggableUrl } from './url-policy.ts';
export { alertsLogger, ALERTS_REDACTED_PATHS } from './alerts-logger.ts';
export {
  AlertTypes,
  DeliveryStatuses,
  systemClock,
  systemScheduler,
  type AlertType,
  type Clock,
  type Scheduler,
  type TimerHandle,
  type OutboxEntry,
  type EpisodeState,
} from './types.ts';
