import { describe, expect, it } from 'vitest';
import { decodeFlagCursor, encodeFlagCursor } from '../../../src/web/flag-cursor.ts';
import { FlagPathParams, FlagsParams, SeriesParams, TagPathParams, TopTagsParams } from '../../../src/web/query-schemas.ts';
import { BearerCheck } from '../../../src/web/bearer-check.ts';
import { WebOptionsSchema } from '../../../src/web/index.ts';
import { parseListenAddress } from '../../../src/metrics/index.ts';

describe('API query schemas', () => {
  it('fills defaults and coerces numbers', () => {
    expect(TopTagsParams.parse({})).toEqual({ rank: 'velocity', window: 15, limit: 30 });
    expect(TopTagsParams.parse({ rank: 'authors', window: '60', limit: '5' })).toEqual({ rank: 'authors', window: 60, limit: 5 });
  });

  it('accepts instants as epoch ms or ISO 8601 with an offset, nothing else', () => {
    expect(SeriesParams.parse({ from: '1494009300000' }).from).toBe(1_494_009_300_000);
    expect(SeriesParams.parse({ from: '2017-05-05T18:35:00Z' }).from).toBe(Date.UTC(2017, 4, 5, 18, 35));
    expect(SeriesParams.parse({ to: '2017-05-05T20:35:00+02:00' }).to).toBe(Date.UTC(2017, 4, 5, 18, 35));
    for (const bad of ['yesterday', '2017-05-05', '2017-05-05T18:35:00', '-5', '1e12']) expect(SeriesParams.safeParse({ from: bad }).success, bad).toBe(false);
  });

  it('normalizes tags in any spelling and refuses what is not a hashtag', () => {
    expect(TagPathParams.parse({ tag: '#MacronLeaks' }).tag).toBe('macronleaks');
    expect(TagPathParams.parse({ tag: '＃İstanbul' }).tag).toBe('istanbul');
    for (const bad of ['1234', "x' OR '1'='1", 'a b', '', '#']) expect(TagPathParams.safeParse({ tag: bad }).success, bad).toBe(false);
  });

  it('refuses unknown and repeated parameters', () => {
    expect(TopTagsParams.safeParse({ colour: 'red' }).success).toBe(false);
    expect(TopTagsParams.safeParse({ rank: ['velocity', 'zscore'] }).success).toBe(false);
    expect(FlagsParams.safeParse({ cursor: 'x', offset: '1' }).success).toBe(false);
  });

  it('bounds flag filters', () => {
    expect(FlagsParams.parse({ kind: 'coordinated', minScore: '0.5', limit: '10' })).toMatchObject({ kind: 'coordinated', minScore: 0.5, limit: 10 });
    for (const kind of ['Burst', "burst'", 'a'.repeat(40)]) expect(FlagsParams.safeParse({ kind }).success, kind).toBe(false);
    expect(FlagsParams.safeParse({ limit: '0' }).success).toBe(false);
    expect(FlagPathParams.safeParse({ flagId: 'coordinated:macronleaks:1494009300000' }).success).toBe(true);
    expect(FlagPathParams.safeParse({ flagId: 'has space' }).success).toBe(false);
  });
});

describe('flag cursor', () => {
  it('round-trips and rejects anything it did not issue', () => {
    const cursor = { detectedAt: 1_494_009_300_000, flagId: 'f-1' };
    expect(decodeFlagCursor(encodeFlagCursor(cursor))).toEqual(cursor);
    expect(decodeFlagCursor('not-base64-json')).toBeNull();
    expect(decodeFlagCursor(Buffer.from('{"d":-1,"id":"x"}').toString('base64url'))).toBeNull();
    expect(decodeFlagCursor(Buffer.from('{"d":1,"id":"x","extra":1}').toString('base64url'))).toBeNull();
  });
});

describe('bearer check', () => {
  it('passes everything without a token, and only the exact token with one', () => {
    expect(new BearerCheck(undefined).matchesHeader(undefined)).toBe(true);
    const check = new BearerCheck('s3cret-token-0123456789');
    expect(check.required).toBe(true);
    expect(check.matchesHeader('Bearer s3cret-token-0123456789')).toBe(true);
    expect(check.matchesHeader('bearer s3cret-token-0123456789')).toBe(true);
    expect(check.matchesHeader('Bearer s3cret-token-012345678')).toBe(false);
    expect(check.matchesHeader('s3cret-token-0123456789')).toBe(false);
    expect(check.matchesHeader(undefined)).toBe(false);
    expect(check.matches(undefined)).toBe(false);
  });
});

describe('web options', () => {
  it('listens on loopback by default and validates addresses and tokens', () => {
    const options = WebOptionsSchema.parse({});
    expect(options.address).toBe('127.0.0.1:8080');
    expect(options.corsOrigins).toEqual([]);
    expect(parseListenAddress('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseListenAddress('[::1]:9')).toEqual({ host: '::1', port: 9 });
    expect(parseListenAddress(':8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    for (const address of ['8080', 'localhost', 'host:99999', 'a b:1']) expect(WebOptionsSchema.safeParse({ address }).success, address).toBe(false);
    expect(WebOptionsSchema.safeParse({ token: 'short' }).success).toBe(false);
    expect(WebOptionsSchema.safeParse({ tokn: 'typo-in-key-000000000' }).success).toBe(false);
  });
});
