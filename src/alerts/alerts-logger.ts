import type { Logger } from 'pino';
import { REDACTED_PATHS } from '../log/index.ts';

/**
 * Paths the alerts module's logger redacts on top of the shared ones: webhook URLs (an
 * incoming-webhook URL is itself a credential) and secrets inside subscriber lists, which the
 * shared wildcards do not reach. The module logs neither on purpose; this guards against a
 * future line that would.
 */
export const ALERTS_REDACTED_PATHS = [
  ...REDACTED_PATHS,
  'url',
  '*.url',
  'subscriber.secret',
  'subscriber.url',
  'subscribers[*].secret',
  'subscribers[*].url',
  'alerts.subscribers[*].secret',
  'alerts.subscribers[*].url',
  'config.alerts.subscribers[*].secret',
  'config.alerts.subscribers[*].url',
];

/** The caller's logger (its `module` binding kept) with the alerts redaction added. */
export function alertsLogger(log: Logger): Logger {
  return log.child({}, { redact: { paths: ALERTS_REDACTED_PATHS, censor: '[redacted]' } });
}
