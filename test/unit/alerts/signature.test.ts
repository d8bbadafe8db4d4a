import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, signatureHeader, verifySignature } from '../../../src/alerts/index.ts';

const secret = 'observer-shared-secret-0001';
const body = JSON.stringify({ version: 1, event_id: 'twe_0123456789abcdef0123456789abcdef' });
const now = Date.parse('2017-05-05T20:00:00Z');

describe('verifySignature', () => {
  it('accepts the header tagwatch produces, and it is HMAC-SHA256 over "t.body"', () => {
    const header = signatureHeader(secret, body, now);
    const t = Math.floor(now / 1000);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(verifySignature({ body, header, secret, now })).toEqual({ ok: true, timestamp: t });
    expect(verifySignature({ body: Buffer.from(body), header, secret, now })).toEqual({ ok: true, timestamp: t });
  });

  it('rejects a tampered body, a wrong secret and a forged signature', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature({ body: body.replace('"version":1', '"version":2'), header, secret, now })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifySignature({ body, header, secret: 'another-secret-0000000', now }).ok).toBe(false);
    const forged = header.replace(/v1=[0-9a-f]{64}/, `v1=${'0'.repeat(64)}`);
    expect(verifySignature({ body, header: forged, secret, now }).ok).toBe(false);
  });

  it('rejects a timestamp outside the replay window, on either side', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature({ body, header, secret, now: now + 300_000 }).ok).toBe(true);
    const late = verifySignature({ body, header, secret, now: now + 301_000 });
    expect(late).toEqual({ ok: false, reason: 'timestamp outside the 300s tolerance' });
    expect(verifySignature({ body, header, secret, now: now - 301_000 }).ok).toBe(false);
    expect(verifySignature({ body, header, secret, now: now + 3_600_000, toleranceSeconds: 7_200 }).ok).toBe(true);
  });

  it('a replayed request re-signed with a fresh timestamp but the old signature fails', () => {
    const old = signatureHeader(secret, body, now);
    const v1 = old.split(',v1=')[1];
    const header = `t=${Math.floor(now / 1000) + 600},v1=${v1}`;
    expect(verifySignature({ body, header, secret, now: now + 600_000 }).ok).toBe(false);
  });

  it('explains malformed headers', () => {
    expect(verifySignature({ body, header: undefined, secret, now })).toEqual({ ok: false, reason: 'missing signature header' });
    expect(verifySignature({ body, header: 'v1=abc', secret, now })).toEqual({ ok: false, reason: 'signature header has no timestamp' });
    expect(verifySignature({ body, header: `t=${Math.floor(now / 1000)}`, secret, now })).toEqual({ ok: false, reason: 'signature header has no v1 signature' });
  });

  it('accepts any one matching v1 among several (secret rotation)', () => {
    const t = Math.floor(now / 1000);
    const header = `t=${t},v1=${computeSignature('old-secret-0000000000', t, body)},v1=${computeSignature(secret, t, body)}`;
    expect(verifySignature({ body, header, secret, now }).ok).toBe(true);
  });
});
