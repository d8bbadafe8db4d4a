import { describe, expect, it } from 'vitest';
import type { DeadLetter, Flag, Post, TagMinute } from '../../../src/model/index.ts';
import {
  dateTime,
  dateTime64,
  float64,
  POST_COLUMNS,
  PostVersions,
  redactPostRow,
  toDeadLetterRow,
  toDeletionRow,
  toFlagRow,
  toPostRow,
  toTagMinuteRow,
  uint32,
} from '../../../src/store/sink/index.ts';
import { ValidationError } from '../../../src/errors/index.ts';

const T = Date.UTC(2017, 4, 5, 18, 35, 12, 345);

function post(overrides: Partial<Post> = {}): Post {
  return {
    platform: 'sim',
    id: 'p1',
    author: { id: 'a1', handle: 'alice', createdTs: T - 86_400_000, followers: 12 },
    ts: T,
    text: 'Leak! #MacronLeaks https://example.org',
    tags: ['macronleaks'],
    tagDisplay: ['MacronLeaks'],
    lang: 'en',
    kind: 'repost',
    parentId: 'p0',
    urls: ['https://example.org'],
    ...overrides,
  };
}

describe('clickhouse values', () => {
  it('formats DateTime64(3) and DateTime in UTC text form', () => {
    expect(dateTime64(T, 'ts')).toBe('2017-05-05 18:35:12.345');
    expect(dateTime(Date.UTC(2017, 4, 5, 18, 35), 'minute')).toBe('2017-05-05 18:35:00');
  });

  it('refuses times a column would silently clamp', () => {
    expect(() => dateTime64(Number.NaN, 'ts')).toThrow(ValidationError);
    expect(() => dateTime64(Date.UTC(2300, 0, 1), 'ts')).toThrow(/ts is not a time/);
    expect(() => dateTime(-1, 'minute')).toThrow(ValidationError);
  });

  it('keeps non-finite floats as the words ClickHouse parses', () => {
    expect(float64(1.5)).toBe(1.5);
    expect(float64(Number.POSITIVE_INFINITY)).toBe('inf');
    expect(float64(Number.NEGATIVE_INFINITY)).toBe('-inf');
    expect(float64(Number.NaN)).toBe('nan');
  });

  it('refuses counts that do not fit UInt32', () => {
    expect(uint32(7, 'posts')).toBe(7);
    expect(() => uint32(-1, 'posts')).toThrow(/posts must be an integer/);
    expect(() => uint32(1.5, 'posts')).toThrow(ValidationError);
    expect(() => uint32(2 ** 32, 'posts')).toThrow(ValidationError);
  });
});

describe('post rows', () => {
  it('maps every Post field to its column', () => {
    const row = toPostRow(post(), T + 1000);
    expect(Object.keys(row)).toEqual([...POST_COLUMNS]);
    expect(row).toEqual({
      platform: 'sim',
      id: 'p1',
      author_id: 'a1',
      author_handle: 'alice',
      author_created_at: '2017-05-04 18:35:12.345',
      author_followers: 12,
      created_at: '2017-05-05 18:35:12.345',
      text: 'Leak! #MacronLeaks https://example.org',
      tags: ['macronleaks'],
      tag_display: ['MacronLeaks'],
      lang: 'en',
      kind: 'repost',
      parent_id: 'p0',
      urls: ['https://example.org'],
      ingested_at: '2017-05-05 18:35:13.345',
      deleted: 0,
      deleted_at: null,
      version: PostVersions.collected,
    });
  });

  it('writes absent optional fields as empty or null', () => {
    const row = toPostRow({ platform: 'sim', id: 'p2', author: { id: 'a2' }, ts: T, text: '', tags: [], tagDisplay: [], kind: 'original' }, T);
    expect(row).toMatchObject({ author_handle: '', author_created_at: null, author_followers: null, lang: '', parent_id: '', urls: [] });
  });

  it('redacts text, handle and links, keeps what explains counts, and outranks the original', () => {
    const row = redactPostRow(toPostRow(post(), T), T + 5000);
    expect(row).toMatchObject({
      id: 'p1',
      author_id: 'a1',
      created_at: '2017-05-05 18:35:12.345',
      tags: ['macronleaks'],
      kind: 'repost',
      text: '',
      author_handle: '',
      urls: [],
      deleted: 1,
      deleted_at: '2017-05-05 18:35:17.345',
    });
    expect(row['version']).toBeGreaterThan(PostVersions.collected);
  });
});

describe('tag_minute rows', () => {
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
    reach: 12_345,
    youngPosts: 3,
    languages: 2,
    platforms: 1,
    top10Share: 0.66,
    gini: 0.1,
    latePosts: 0,
    velocity: 4.5,
    acceleration: 1.2,
    baselineMean: 0.2,
    baselineStd: 0,
    zscore: Number.POSITIVE_INFINITY,
    revision: 2,
  };

  it('maps each TagMinute field to its snake_case column', () => {
    expect(toTagMinuteRow(minute)).toEqual({
      tag: 'macronleaks',
      minute: '2017-05-05 18:50:00',
      posts: 15,
      originals: 1,
      reposts: 14,
      replies: 0,
      quotes: 0,
      unique_authors: 15,
      new_authors: 15,
      reach: 12_345,
      young_posts: 3,
      languages: 2,
      platforms: 1,
      top10_share: 0.66,
      gini: 0.1,
      late_posts: 0,
      velocity: 4.5,
      acceleration: 1.2,
      baseline_mean: 0.2,
      baseline_std: 0,
      zscore: 'inf',
      revision: 2,
    });
  });

  it('refuses a negative count instead of wrapping it', () => {
    expect(() => toTagMinuteRow({ ...minute, posts: -1 })).toThrow(ValidationError);
  });
});

describe('flag, dead letter and deletion rows', () => {
  it('maps a flag to the flags contract', () => {
    const flag: Flag = {
      flagId: 'f-1',
      tag: 'macronleaks',
      kind: 'coordinated',
      detectedAt: T,
      windowStart: T - 60_000,
      windowEnd: T,
      score: 0.9,
      authors: ['a1', 'a2'],
      postIds: ['p1'],
      signals: { similarity: 0.97, young: Number.NaN },
      evidence: '{"summary":"20 young accounts posted the same text"}',
      revision: 1,
    };
    expect(toFlagRow(flag)).toEqual({
      flag_id: 'f-1',
      tag: 'macronleaks',
      kind: 'coordinated',
      detected_at: '2017-05-05 18:35:12.345',
      window_start: '2017-05-05 18:34:12.345',
      window_end: '2017-05-05 18:35:12.345',
      score: 0.9,
      authors: ['a1', 'a2'],
      post_ids: ['p1'],
      signals: { similarity: 0.97, young: 'nan' },
      evidence: '{"summary":"20 young accounts posted the same text"}',
      revision: 1,
    });
  });

  it('maps a dead letter and a deletion', () => {
    const letter: DeadLetter = { source: 'replay', ref: 's.jsonl:12', code: 'TW_JSON_INVALID', reason: 'bad JSON', payload: '{', at: T };
    expect(toDeadLetterRow(letter)).toEqual({ ...letter, at: '2017-05-05 18:35:12.345' });
    expect(toDeletionRow({ platform: 'sim', id: 'p1', at: T })).toEqual({ platform: 'sim', id: 'p1', deleted_at: '2017-05-05 18:35:12.345' });
  });
});

describe('time columns (cached second texts)', () => {
  it('format exactly as toISOString does, for any instant in range', async () => {
    const { dateTime, dateTime64 } = await import('../../../src/store/sink/clickhouse-values.ts');
    const iso64 = (ms: number): string => `${new Date(ms).toISOString().slice(0, 10)} ${new Date(ms).toISOString().slice(11, 23)}`;
    const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 10)} ${new Date(ms).toISOString().slice(11, 19)}`;
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2_147_483_647) - 1) / 2_147_483_646;
    const probes = [Date.UTC(1900, 0, 1), -1_001, -1_000, -999, -1, 0, 1, 999, 1_000, 1_714_953_600_798, 1_714_953_600_001.5];
    for (let i = 0; i < 20_000; i++) probes.push(Math.floor(Date.UTC(1900, 0, 1) + random() * (Date.UTC(2299, 0, 1) - Date.UTC(1900, 0, 1))));
    for (const ms of probes) {
      expect(dateTime64(ms, 'x')).toBe(iso64(ms));
      if (ms >= 0 && ms < Date.UTC(2106, 0, 1)) expect(dateTime(ms, 'x')).toBe(iso(ms));
    }
  });
});
