import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../../../src/collectors/live/backoff.ts';
import { BoundedMap } from '../../../src/collectors/live/bounded-map.ts';
import { RecentKeys } from '../../../src/ingest/index.ts';
import { FramePump } from '../../../src/collectors/live/frame-pump.ts';
import { IdleWatchdog } from '../../../src/collectors/live/idle-watchdog.ts';
import { LineSplitter } from '../../../src/collectors/live/line-splitter.ts';
import { LiveStats } from '../../../src/collectors/live/live-stats.ts';
import { safeUrl } from '../../../src/collectors/live/safe-url.ts';
import { resolveSecret, Secret } from '../../../src/collectors/live/secret.ts';
import { XBackoff } from '../../../src/collectors/x/x-backoff.ts';
import { XBackoffOptionsSchema } from '../../../src/collectors/x/options.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { ManualClock } from './support/manual-clock.ts';

const network = { kind: 'network', detail: 'ECONNRESET' } as const;

describe('ExponentialBackoff (Jetstream, Mastodon)', () => {
  it('doubles from 250 ms to 30 s, each delay in the upper half of its step, and resets', () => {
    const clock = new ManualClock();
    const backoff = new ExponentialBackoff({ initialMs: 250, maxMs: 30_000 }, clock);
    clock.randomValue = 0.999_999;
    const highs = Array.from({ length: 10 }, () => backoff.next(network));
    expect(highs).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    backoff.reset();
    clock.randomValue = 0;
    expect([backoff.next(network), backoff.next(network), backoff.next(network)]).toEqual([125, 250, 500]);
  });
});

describe('XBackoff', () => {
  const options = XBackoffOptionsSchema.parse({});

  it('backs off linearly by 250 ms up to 16 s for network errors and stalls', () => {
    const backoff = new XBackoff(options);
    const delays = Array.from({ length: 66 }, (_, i) => backoff.next(i % 2 === 0 ? network : { kind: 'idle', detail: 'stall' }));
    expect(delays.slice(0, 4)).toEqual([250, 500, 750, 1_000]);
    expect(delays[63]).toBe(16_000);
    expect(delays[65]).toBe(16_000);
  });

  it('backs off exponentially from 5 s to 320 s for HTTP errors and from 60 s doubling for 429, each counted on its own', () => {
    const backoff = new XBackoff(options);
    const http = { kind: 'http', status: 503, detail: '' } as const;
    const limited = { kind: 'rate-limited', status: 429, detail: '' } as const;
    expect(Array.from({ length: 8 }, () => backoff.next(http))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000]);
    expect([backoff.next(limited), backoff.next(limited), backoff.next(limited)]).toEqual([60_000, 120_000, 240_000]);
    expect(backoff.next(network)).toBe(250);
    backoff.reset();
    expect([backoff.next(http), backoff.next(limited)]).toEqual([5_000, 60_000]);
  });
});

describe('LineSplitter', () => {
  function split(chunks: Array<string | Buffer>, max = 64) {
    const lines: Array<{ text: string; total: number }> = [];
    let keepAlives = 0;
    const splitter = new LineSplitter(
      max,
      (line, total) => lines.push({ text: line.toString('utf8'), total }),
      () => keepAlives++,
    );
    for (const c of chunks) splitter.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'utf8'));
    return { lines, keepAlives, pending: splitter.pendingBytes, splitter };
  }

  it('splits \\r\\n-terminated lines across arbitrary chunk boundaries and counts empty lines as keep-alives', () => {
    const body = Buffer.from('\r\n{"a":"é"}\r\n\r\n\r\n{"b":2}\r\n{"c":', 'utf8');
    const chunks = [...body].map((byte) => Buffer.from([byte]));
    const { lines, keepAlives, pending } = split(chunks);
    expect(lines).toEqual([
      { text: '{"a":"é"}', total: 10 },
      { text: '{"b":2}', total: 7 },
    ]);
    expect(keepAlives).toBe(3);
    expect(pending).toBe(5);
  });

  it('keeps only a bounded prefix of an oversized line, reports its full size, and goes on with the next line', () => {
    const long = 'x'.repeat(1_000);
    const { lines } = split([long.slice(0, 300), long.slice(300), '\r\nok\r\n'], 64);
    expect(lines).toEqual([
      { text: 'x'.repeat(64), total: 1_001 },
      { text: 'ok', total: 2 },
    ]);
  });

  it('forgets an unfinished line on reset', () => {
    const { splitter, lines } = split(['{"cut'], 64);
    expect(splitter.reset()).toBe(5);
    splitter.push(Buffer.from('{"x":1}\n'));
    expect(lines).toEqual([{ text: '{"x":1}', total: 7 }]);
  });
});

describe('BoundedMap and RecentKeys', () => {
  it('evicts the least recently written entry past capacity', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    map.set('c', 4);
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual([3, undefined, 4, 2]);
  });

  it('keeps the same entries as a Map in write order under rewrites, deletes and evictions (through compactions)', () => {
    // Reference: the Map's own insertion order, re-inserting on rewrite, evicting its first key.
    const reference = new Map<number, number>();
    const map = new BoundedMap<number, number>(50);
    let seed = 7;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % n;
    };
    for (let step = 0; step < 20_000; step++) {
      // Hot keys are rewritten often (stale write records pile up); a wider range forces evictions.
      const key = next(4) === 0 ? next(500) : next(60);
      if (next(10) === 0) {
        expect(map.delete(key)).toBe(reference.delete(key));
      } else {
        reference.delete(key);
        reference.set(key, step);
        if (reference.size > 50) reference.delete(reference.keys().next().value as number);
        map.set(key, step);
      }
      expect(map.size).toBe(reference.size);
    }
    for (let key = 0; key < 500; key++) expect(map.get(key)).toBe(reference.get(key));
  });

  it('reports duplicates while they are remembered', () => {
    const keys = new RecentKeys(2);
    expect([keys.add('x'), keys.add('x'), keys.add('y'), keys.add('z'), keys.add('x')]).toEqual([true, false, true, true, true]);
  });
});

describe('FramePump', () => {
  const frame = { data: Buffer.from('{}'), totalBytes: 2, receivedAt: 0, origin: 'test' };

  it('pauses its sources while a batch is being handed on or the buffer is full, and resumes under half', async () => {
    const stats = new LiveStats('test', new ManualClock());
    const pump = new FramePump(4, stats);
    const calls: string[] = [];
    pump.attach({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    for (let i = 0; i < 3; i++) pump.push(frame);
    expect(pump.paused).toBe(false);
    pump.push(frame);
    expect([pump.paused, stats.paused, stats.bufferedFrames]).toEqual([true, true, 4]);
    expect(await pump.take(1)).toHaveLength(1);
    pump.setBusy(true);
    pump.setBusy(false);
    expect(pump.paused).toBe(true); // 3 left: above half
    await pump.take(1);
    pump.setBusy(false);
    expect(pump.paused).toBe(false);
    pump.setBusy(true);
    expect(calls).toEqual(['pause', 'resume', 'pause']);
    // A session attached while paused starts paused.
    const late: string[] = [];
    pump.attach({ pause: () => late.push('pause'), resume: () => late.push('resume') });
    expect(late).toEqual(['pause']);
  });

  it('hands out what is left after end(), then an empty batch', async () => {
    const pump = new FramePump(10, new LiveStats('test', new ManualClock()));
    pump.push(frame);
    pump.push(frame);
    const waiting = pump.take(10);
    pump.end();
    expect(await waiting).toHaveLength(2);
    expect(await pump.take(10)).toEqual([]);
  });
});

describe('IdleWatchdog', () => {
  it('fires after the timeout without activity, never while suspended, and only once', async () => {
    const clock = new ManualClock();
    let fired = 0;
    const watchdog = new IdleWatchdog(1_000, clock, () => fired++);
    await clock.advance(900);
    watchdog.touch();
    await clock.advance(900);
    expect(fired).toBe(0);
    watchdog.suspend();
    await clock.advance(10_000);
    expect(fired).toBe(0);
    watchdog.resume();
    await clock.advance(999);
    expect(fired).toBe(0);
    await clock.advance(1);
    expect(fired).toBe(1);
    watchdog.touch();
    await clock.advance(5_000);
    expect(fired).toBe(1);
  });
});

describe('secrets', () => {
  it('never print, whatever way they are logged', () => {
    const secret = new Secret('tok-123');
    expect([JSON.stringify({ token: secret }), `${secret}`, inspect({ secret })]).toEqual(['{"token":"[redacted]"}', '[redacted]', '{ secret: [redacted] }']);
    expect(secret.reveal()).toBe('tok-123');
  });

  it('come inline or from the named environment variable, with an error naming what needs one', () => {
    expect(resolveSecret(undefined, 'TOKEN_VAR', { TOKEN_VAR: ' abc ' }, 'src').reveal()).toBe('abc');
    expect(() => resolveSecret(undefined, 'TOKEN_VAR', {}, 'source "m": instance https://a.example')).toThrow(
      new ConfigError('TW_CONFIG_INVALID', 'source "m": instance https://a.example: environment variable TOKEN_VAR is not set'),
    );
  });

  it('are cut from URLs shown in logs', () => {
    expect(safeUrl('wss://user:pw@host.example/api/v1/streaming?stream=public&access_token=abc')).toBe(
      'wss://host.example/api/v1/streaming?stream=public&access_token=redacted',
    );
  });
});
