import { isIP } from 'node:net';
import { ErrorCodes, TagwatchError } from '../errors/index.ts';

/** True for `localhost`, 127.0.0.0/8 and ::1: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/gu, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * What may be logged of a webhook URL: scheme, host and port. Paths of incoming webhooks often
 * are the secret themselves (Slack's `/services/T…/B…/xyz`), and query strings carry tokens.
 */
export function loggableUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '[invalid url]';
  }
}

/** Refuses a URL the delivery policy forbids, checked again at send time in case options were built by hand. */
export function assertDeliverableUrl(url: string, allowInsecureHttp: boolean): void {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TagwatchError(ErrorCodes.ALERT_URL_REFUSED, `webhook URL scheme ${parsed.protocol} is not http(s)`);
  }
  if (parsed.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(parsed.hostname)) {
    throw new TagwatchError(ErrorCodes.ALERT_URL_REFUSED, `https is required for ${parsed.host} (plain http only to loopback)`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TagwatchError(ErrorCodes.ALERT_URL_REFUSED, `credentials in the webhook URL for ${parsed.host} are not allowed`);
  }
}
