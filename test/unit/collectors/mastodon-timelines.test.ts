import { describe, expect, it } from 'vitest';
import { compareStatusIds, MastodonStreamSchema, statusIdAt, timelineRoute } from '../../../src/collectors/mastodon/index.ts';

describe('Mastodon REST catch-up', () => {
  it('pages the REST timeline holding what each stream carries', () => {
    const route = (stream: unknown) => timelineRoute(MastodonStreamSchema.parse(stream));
    expect(route('#Présidentielle2027')).toEqual({ path: '/api/v1/timelines/tag/Pr%C3%A9sidentielle2027', params: {}, stream: ['hashtag', 'Présidentielle2027'] });
    expect(route({ stream: 'hashtag:local', tag: 'MacronLeaks' })).toEqual({ path: '/api/v1/timelines/tag/MacronLeaks', params: { local: 'true' }, stream: ['hashtag:local', 'MacronLeaks'] });
    expect(route('public')).toEqual({ path: '/api/v1/timelines/public', params: {}, stream: ['public'] });
    expect(route('public:local:media').params).toEqual({ local: 'true', only_media: 'true' });
    expect(route('public:remote').params).toEqual({ remote: 'true' });
    expect(route('user')).toEqual({ path: '/api/v1/timelines/home', params: {}, stream: ['user'] });
    expect(route({ stream: 'list', list: '42' })).toEqual({ path: '/api/v1/timelines/list/42', params: {}, stream: ['list', '42'] });
  });

  it('orders snowflake status ids numerically and turns a time into the smallest id of that millisecond', () => {
    expect(compareStatusIds('99', '100')).toBeLessThan(0);
    expect(compareStatusIds('115203318467788201', '115203318467788200')).toBeGreaterThan(0);
    expect(compareStatusIds('7', '7')).toBe(0);
    const at = Date.parse('2026-09-14T18:00:00.000Z');
    expect(statusIdAt(at)).toBe((BigInt(at) * 65_536n).toString());
    // A status created a millisecond later on that instance has a larger id.
    expect(compareStatusIds(statusIdAt(at), (BigInt(at + 1) << 16n).toString())).toBeLessThan(0);
  });
});
