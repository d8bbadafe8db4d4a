import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../../src/collectors/mastodon/html-to-text.ts';
import { mapAccount, mapStatus, statusTags } from '../../../src/collectors/mastodon/map-status.ts';
import { StatusSchema } from '../../../src/collectors/mastodon/wire.ts';
import { fixture } from './support/manual-clock.ts';

function status(path = 'mastodon/update-hashtag.json') {
  return StatusSchema.parse(JSON.parse(fixture<{ payload: string }>(path).payload));
}

describe('htmlToText', () => {
  it.each([
    ['<p>one</p><p>two</p>', 'one\n\ntwo'],
    ['<p>line<br>break<br/>again</p>', 'line\nbreak\nagain'],
    ['<p>a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#x1F600; &hellip;</p>', 'a & b <c> "d" \'e\' 😀 …'],
    ['<p><a href="https://ex.org/a" rel="nofollow"><span class="invisible">https://</span><span class="ellipsis">ex.org/a</span><span class="invisible">/very/long</span></a></p>', 'https://ex.org/a/very/long'],
    ['<p>x</p>\n<p>y</p>', 'x\n\ny'],
    ['<blockquote><p>quoted</p></blockquote><p>reply</p>', 'quoted\n\nreply'],
    ['<ul><li>one</li><li>two</li></ul>', 'one\ntwo'],
    ['<p>1 < 2 &unknown; &#0;</p>', '1 < 2 &unknown; &#0;'],
    ['', ''],
  ])('%s', (html, text) => {
    expect(htmlToText(html).text).toBe(text);
  });

  it('collects links that are not mentions or hashtags', () => {
    const { links } = htmlToText(
      '<p><a href="https://m.example/@a" class="u-url mention">@a</a> <a href="https://m.example/tags/x" class="mention hashtag" rel="tag">#x</a> <a href="https://ex.org/?a=1&amp;b=2">l</a> <a href="https://ex.org/?a=1&amp;b=2">again</a></p>',
    );
    expect(links).toEqual(['https://ex.org/?a=1&b=2']);
  });

  it('decodes entities without touching stray ampersands', () => {
    expect(decodeEntities('Q&A &amp;&#65;&#x42;')).toBe('Q&A &AB');
  });
});

describe('Mastodon mapping', () => {
  it("takes tags from tags[].name but spells them as the content does (servers lower-case names inconsistently)", () => {
    const s = status();
    expect(s.tags?.map((t) => t.name)).toEqual(['macronleaks', 'Présidentielle2027']);
    expect(statusTags(s, htmlToText(s.content).text)).toEqual(['MacronLeaks', 'Présidentielle2027']);
    // A tag the content does not show (a server-side addition) keeps the name as given.
    expect(statusTags({ ...s, tags: [{ name: 'Hidden' }] }, 'no tags here')).toEqual(['Hidden']);
  });

  it('prefixes the content warning to the text', () => {
    const s = { ...status(), spoiler_text: 'CW: leaks' };
    expect(mapStatus(s, { instanceHost: 'social.example' }).text).toMatch(/^CW: leaks\n\nLes « documents »/);
  });

  it('maps a Mastodon 4.5 quote to a quote of the quoted status', () => {
    const s = { ...status(), quote: { state: 'accepted', quoted_status: { uri: 'https://a.example/statuses/1' } } };
    expect(mapStatus(s, { instanceHost: 'social.example' })).toMatchObject({ kind: 'quote', parentId: 'https://a.example/statuses/1' });
    const pending = { ...status(), quote: { state: 'pending', quoted_status: null } };
    expect(mapStatus(pending, { instanceHost: 'social.example' }).kind).toBe('original');
  });

  it('keeps a reply a reply even when its parent uri is unknown (ids are per instance)', () => {
    const post = mapStatus(status('mastodon/update-local-reply.json'), { instanceHost: 'social.example' });
    expect(post.kind).toBe('reply');
    expect(post.parentId).toBeUndefined();
  });

  it('identifies accounts by their federated uri and completes local handles with the domain', () => {
    const account = status('mastodon/update-local-reply.json').account;
    expect(mapAccount(account, 'other.example')).toEqual({
      id: 'https://social.example/users/jdupont',
      handle: 'jdupont@social.example',
      followers: 3,
      createdAt: '2026-09-10T00:00:00.000Z',
    });
    expect(mapAccount({ ...account, url: null, uri: null, created_at: null, followers_count: null }, 'other.example')).toEqual({
      id: 'jdupont@other.example',
      handle: 'jdupont@other.example',
    });
  });
});
