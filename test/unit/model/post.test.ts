import { describe, expect, it } from 'vitest';
import { ErrorCodes, ValidationError } from '../../../src/errors/index.ts';
import { parsePost, toPostInput } from '../../../src/model/index.ts';

const wire = {
  platform: 'x',
  id: '1',
  author: { id: 'a1', handle: 'alice', createdAt: '2017-04-01T00:00:00Z', followers: 12 },
  createdAt: '2017-05-05T18:50:00.000Z',
  text: 'Leak is out #MacronLeaks',
  lang: 'en',
};

describe('parsePost', () => {
  it('fills defaults, resolves tags and converts times to epoch ms', () => {
    const post = parsePost(wire);
    expect(post).toMatchObject({
      platform: 'x',
      id: '1',
      kind: 'original',
      ts: Date.parse('2017-05-05T18:50:00Z'),
      tags: ['macronleaks'],
      tagDisplay: ['MacronLeaks'],
      author: { id: 'a1', handle: 'alice', createdTs: Date.parse('2017-04-01T00:00:00Z'), followers: 12 },
    });
  });

  it('accepts offsets in event times', () => {
    expect(parsePost({ ...wire, createdAt: '2017-05-05T20:50:00+02:00' }).ts).toBe(Date.parse('2017-05-05T18:50:00Z'));
  });

  it.each([
    [{ ...wire, createdAt: 'yesterday' }, 'createdAt'],
    [{ ...wire, author: {} }, 'author.id'],
    [{ ...wire, kind: 'boost' }, 'kind'],
    [{ ...wire, author: { id: 'a', followers: -1 } }, 'author.followers'],
    [{ ...wire, id: '' }, 'id'],
    ['just a string', '(root)'],
  ])('rejects %j naming %s', (raw, path) => {
    let error: unknown;
    try {
      parsePost(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCodes.POST_INVALID);
    expect((error as ValidationError).message).toContain(path);
    expect((error as ValidationError).input).toBe(raw);
  });

  it('round-trips through the wire form', () => {
    const post = parsePost({ ...wire, kind: 'reply', parentId: '0', urls: ['https://example.com'] });
    expect(parsePost(toPostInput(post))).toEqual(post);
  });
});
