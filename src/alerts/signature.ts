import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'X-Tagwatch-Signature';
/** Header carrying the alert's event id; receivers deduplicate on it. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** HMAC-SHA256 of `timestamp + "." + body`, hex. The timestamp is signed so a captured request cannot be replayed later. */
export function computeSignature(secret: string, timestampSeconds: number, body: string | Uint8Array): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestampSeconds}.`);
  hmac.update(body);
  return hmac.digest('hex');
}

/** The `X-Tagwatch-Signature` value for a body sent at `nowMs`. */
export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${computeSignature(secret, t, body)}`;
}

export interface VerifySignatureInput {
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string | Uint8Array;
  /** The `X-Tagwatch-Signature` header value. */
  header: string | null | undefined;
  secret: string;
  /** Largest accepted distance between the signed timestamp and `now`, in seconds. */
  toleranceSeconds?: number;
  /** Current time, epoch ms (default `Date.now()`). */
  now?: number;
}

export type VerifySignatureResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * Checks a webhook request: the header parses, its timestamp is within the tolerance (replay
 * window) and one of its `v1` signatures matches, compared in constant time.
 */
export function verifySignature(input: VerifySignatureInput): VerifySignatureResult {
  const { body, header, secret } = input;
  const toleranceSeconds = input.toleranceSeconds ?? 300;
  const now = input.now ?? Date.now();
  if (typeof header !== 'string' || header.length === 0) return { ok: false, reason: 'missing signature header' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined) return { ok: false, reason: 'signature header has no timestamp' };
  if (signatures.length === 0) return { ok: false, reason: 'signature header has no v1 signature' };
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) {
    return { ok: false, reason: `timestamp outside the ${toleranceSeconds}s tolerance` };
  }
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'hex');
  // Every candidate is compared, match or not, so timing says nothing about which one was close.
  let matched = false;
  for (const candidate of signatures) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'signature mismatch' };
}
