import { describe, expect, it } from 'vitest';
import { backoffDelayMs, classifyStatus, parseRetryAfter, RetryOptionsSchema } from '../../../src/alerts/index.ts';

const retry = RetryOptionsSchema.parse({ initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.5 });

describe('retry schedule', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, retry, () => 0))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('jitter shortens a delay by at most its share', () => {
    expect(backoffDelayMs(3, retry, () => 0.999999)).toBe(2_000);
    expect(backoffDelayMs(3, retry, () => 0.5)).toBe(3_000);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelayMs(4, retry, Math.random);
      expect(d).toBeGreaterThanOrEqual(4_000);
      expect(d).toBeLessThanOrEqual(8_000);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2017-05-05T20:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Fri, 05 May 2017 20:02:30 GMT', now)).toBe(150_000);
    expect(parseRetryAfter('Fri, 05 May 2017 19:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('retries 5xx and transient 4xx, refuses other 4xx and redirects', () => {
    expect([200, 202, 204].map(classifyStatus)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([500, 502, 503, 504, 408, 409, 425, 429].map(classifyStatus)).toEqual(Array(8).fill('retry'));
    expect([301, 302, 307, 400, 401, 403, 404, 410, 413, 422].map(classifyStatus)).toEqual(Array(10).fill('refused'));
  });
});
