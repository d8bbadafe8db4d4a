import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCodes, ValidationError } from '../../../src/errors/index.ts';
import { formatZodIssues, parsePost, PostSchema, toPost } from '../../../src/model/index.ts';

const valid = {
  platform: 'bsky',
  id: 'at://did:plc:abc/app.bsky.feed.post/1',
  author: { id: 'did:plc:abc', handle: 'a.bsky.social', createdAt: '2024-02-29T10:00:00.123Z', followers: 12 },
  createdAt: '2024-05-06T00:00:01+02:00',
  text: 'Leak: #MacronLeaks https://example.org/#not-a-tag',
  lang: 'fr',
  kind: 'repost',
  parentId: 'p0',
  urls: ['https://example.org'],
  extra: 'dropped',
};

function outcome(parse: (raw: unknown) => unknown, raw: unknown): unknown {
  try {
    return { ok: parse(raw) };
  } catch (err) {
    return { err: (err as Error).message };
  }
}

/** parsePost as it would be on zod's runtime parser: the reference the compiled schema must match. */
function parseUncompiled(raw: unknown): unknown {
  const result = PostSchema.safeParse(raw);
  if (!result.success) throw new ValidationError(ErrorCodes.POST_INVALID, `invalid post: ${formatZodIssues(result.error)}`, { input: raw });
  return toPost(result.data);
}

describe('parsePost (compiled schema)', () => {
  it('is compiled by zod (not silently left on the runtime parser)', () => {
    expect(() => z.compile(PostSchema, { strict: true })).not.toThrow();
  });

  it('gives the same post or the same error as the runtime parser', () => {
    const cases: unknown[] = [
      valid,
      { ...valid, kind: undefined, tags: ['#A', 'b'] },
      { ...valid, createdAt: '2024-02-30T00:00:00Z' },
      { ...valid, createdAt: '2024-05-06T00:00:00' },
      { ...valid, author: { id: 'x', followers: -1 } },
      { ...valid, author: { id: 'x', followers: 1.5 } },
      { ...valid, lang: null },
      { ...valid, kind: 'like' },
      { ...valid, tags: [1] },
      { ...valid, platform: '' },
      { ...valid, text: 'x'.repeat(200_001) },
      { ...valid, author: [] },
      null,
      'text',
      {},
    ];
    for (const raw of cases) expect(outcome(parsePost, raw)).toEqual(outcome(parseUncompiled, raw));
  });
});
