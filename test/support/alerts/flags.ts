import type { Flag, TagMinute } from '../../../src/model/index.ts';

const T0 = Date.parse('2017-05-05T18:50:00Z');

/** A deterministic flag; `overrides` set the fields a test cares about. */
export function makeFlag(overrides: Partial<Flag> = {}): Flag {
  const tag = overrides.tag ?? 'macronleaks';
  const kind = overrides.kind ?? 'coordinated';
  return {
    flagId: `${kind}:${tag}:${T0}`,
    tag,
    kind,
    detectedAt: T0 + 5 * 60_000,
    windowStart: T0,
    windowEnd: T0 + 5 * 60_000,
    score: 0.9,
    authors: Array.from({ length: 30 }, (_, i) => `acct-${i}`),
    postIds: Array.from({ length: 30 }, (_, i) => `post-${i}`),
    signals: { young_share: 0.61, duplicate_share: 0.42, zscore: 8.5 },
    evidence: JSON.stringify({ summary: '30 accounts, most under 30 days old, posted near-identical text within 5 minutes', template: 'Leaked documents #MacronLeaks' }),
    revision: 0,
    ...overrides,
  };
}

export function makeMinute(overrides: Partial<TagMinute> = {}): TagMinute {
  return {
    tag: 'macronleaks',
    minute: T0 + 4 * 60_000,
    posts: 87,
    originals: 12,
    reposts: 70,
    replies: 3,
    quotes: 2,
    uniqueAuthors: 64,
    newAuthors: 40,
    reach: 120_000,
    youngPosts: 30,
    languages: 2,
    platforms: 1,
    top10Share: 0.35,
    gini: 0.4,
    latePosts: 0,
    velocity: 52.5,
    acceleration: 11,
    baselineMean: 0.3,
    baselineStd: 0.8,
    zscore: 65,
    revision: 0,
    ...overrides,
  };
}
