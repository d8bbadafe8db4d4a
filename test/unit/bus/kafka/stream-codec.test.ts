import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from '../../../../src/bus/kafka/index.ts';
import { Streams } from '../../../../src/bus/index.ts';
import type { Flag, TagMinute } from '../../../../src/model/index.ts';

const minute: TagMinute = {
  tag: 'macronleaks',
  minute: Date.UTC(2017, 4, 5, 18, 50),
  posts: 15,
  originals: 1,
  reposts: 14,
  replies: 0,
  quotes: 0,
  uniqueAuthors: 15,
  newAuthors: 15,
  reach: 1200,
  youngPosts: 3,
  languages: 2,
  platforms: 1,
  top10Share: 0.66,
  gini: 0.1,
  latePosts: 0,
  velocity: 15,
  acceleration: Number.POSITIVE_INFINITY,
  baselineMean: 0,
  baselineStd: 0,
  zscore: Number.NaN,
  revision: 0,
};

describe('Kafka stream codec', () => {
  it('round-trips a value, NaN and infinities included (plain JSON would turn them into null)', () => {
    const back = decodeValue(Streams.metrics, encodeValue(Streams.metrics, minute));
    expect(back.zscore).toBeNaN();
    expect(back.acceleration).toBe(Number.POSITIVE_INFINITY);
    expect({ ...back, zscore: 0 }).toEqual({ ...minute, zscore: 0 });
  });

  it('keeps a text that merely looks like a marker, and fields the schema does not list', () => {
    const flag: Flag & { extra: string } = {
      flagId: 'f1',
      tag: 't',
      kind: 'burst',
      detectedAt: 1,
      windowStart: 0,
      windowEnd: 1,
      score: -Infinity,
      authors: ['NaN'],
      postIds: [],
      signals: { rate: Number.NaN },
      evidence: '{"summary":"Infinity"}',
      revision: 0,
      extra: 'kept',
    };
    const back = decodeValue(Streams.flags, encodeValue(Streams.flags, flag)) as Flag & { extra: string };
    expect(back.authors).toEqual(['NaN']);
    expect(back.score).toBe(-Infinity);
    expect(back.signals['rate']).toBeNaN();
    expect(back.extra).toBe('kept');
  });

  it('rejects what is not JSON or not the stream\'s shape, naming the problem', () => {
    expect(() => decodeValue(Streams.posts, Buffer.from('{"origin":'))).toThrow(/not JSON/);
    expect(() => decodeValue(Streams.metrics, Buffer.from(JSON.stringify({ ...minute, posts: -1 })))).toThrow(/posts/);
    expect(() => decodeValue(Streams.flags, null)).toThrow(/empty message/);
  });

  it('a null value is a tombstone on the compacted state stream only', () => {
    expect(encodeValue(Streams.analyzeState, null)).toBeNull();
    expect(decodeValue(Streams.analyzeState, null)).toBeNull();
    expect(() => encodeValue(Streams.metrics, null as unknown as TagMinute)).toThrow(/no null/);
  });
});
