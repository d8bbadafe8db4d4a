import { describe, expect, it } from 'vitest';
import { mapXLine } from '../../../src/collectors/x/map-x-post.ts';
import { XStreamLineSchema } from '../../../src/collectors/x/wire.ts';
import { fixture } from './support/manual-clock.ts';

function line(path: string) {
  return XStreamLineSchema.parse(fixture(path));
}

/** Renames X's "tweet" fields to the newer "post" spelling, everywhere. */
function postSpelling(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value)
      .replaceAll('"referenced_tweets"', '"referenced_posts"')
      .replaceAll('"note_tweet"', '"note_post"')
      .replaceAll('"tweets":', '"posts":')
      .replaceAll('"retweeted"', '"reposted"'),
  );
}

describe('X mapping', () => {
  it('gives the same posts for the newer "post" field names', () => {
    for (const path of ['x/line.json', 'x/retweet-line.json', 'x/quote-notetweet-line.json']) {
      expect(mapXLine(XStreamLineSchema.parse(postSpelling(fixture(path))))).toEqual(mapXLine(line(path)));
    }
  });

  it("tags a retweet with its original's hashtags, including those only in the original's long-post entities", () => {
    const retweet = fixture<{ includes: { tweets: Array<Record<string, unknown>> } }>('x/retweet-line.json');
    retweet.includes.tweets[0]!['note_tweet'] = { text: 'long… #MacronLeaks #Présidentielle2027 #Extra', entities: { hashtags: [{ start: 40, end: 46, tag: 'Extra' }] } };
    expect(mapXLine(XStreamLineSchema.parse(retweet)).tags).toEqual(['Extra', 'MacronLeaks', 'Présidentielle2027']);
  });

  it("falls back to the retweet's own entities when the original is not included", () => {
    const retweet = fixture<{ includes: Record<string, unknown> }>('x/retweet-line.json');
    delete retweet.includes['tweets'];
    expect(mapXLine(XStreamLineSchema.parse(retweet))).toMatchObject({ kind: 'repost', text: '', tags: ['MacronLeaks', 'Présidentielle2027'] });
  });

  it('prefers reply over quote, and omits X pseudo-languages', () => {
    const reply = fixture<{ data: Record<string, unknown> }>('x/quote-notetweet-line.json');
    reply.data['referenced_tweets'] = [
      { type: 'quoted', id: '1' },
      { type: 'replied_to', id: '2' },
    ];
    reply.data['lang'] = 'qht';
    const post = mapXLine(XStreamLineSchema.parse(reply));
    expect([post.kind, post.parentId, post.lang]).toEqual(['reply', '2', undefined]);
  });

  it('keeps the author id when the user is not in includes', () => {
    const bare = fixture<{ includes: Record<string, unknown> }>('x/line.json');
    bare.includes['users'] = [];
    expect(mapXLine(XStreamLineSchema.parse(bare)).author).toEqual({ id: '1502233445566778899' });
  });

  it('refuses a line without the fields the stream must have been asked for', () => {
    const noTime = fixture<{ data: Record<string, unknown> }>('x/line.json');
    delete noTime.data['created_at'];
    expect(() => mapXLine(XStreamLineSchema.parse(noTime))).toThrow(/created_at/);
  });
});
