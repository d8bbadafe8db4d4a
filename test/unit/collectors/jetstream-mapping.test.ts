import { describe, expect, it } from 'vitest';
import { JetstreamFrameHandler } from '../../../src/collectors/jetstream/jetstream-frame-handler.ts';
import { eventTime, mapPostCreate, postTags } from '../../../src/collectors/jetstream/map-jetstream.ts';
import { JetstreamSourceOptionsSchema } from '../../../src/collectors/jetstream/options.ts';
import { CommitEventSchema, PostRecordSchema } from '../../../src/collectors/jetstream/wire.ts';
import { LiveStats } from '../../../src/collectors/live/live-stats.ts';
import type { ParentTagResolver } from '../../../src/collectors/live/parent-tags.ts';
import type { RawFrame } from '../../../src/collectors/live/types.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { fixture, ManualClock } from './support/manual-clock.ts';

const POST_URI = 'at://did:plc:r4vk2m7xq3bz6hdu5tcnelwo/app.bsky.feed.post/3mvioxv72w227';

function commit(path: string) {
  return CommitEventSchema.parse(fixture(path));
}

function withRecord(path: string, patch: Record<string, unknown>) {
  const event = fixture<{ commit: { record: Record<string, unknown> } }>(path);
  Object.assign(event.commit.record, patch);
  return event;
}

function frames(...events: unknown[]): RawFrame[] {
  return events.map((e, i) => {
    const data = Buffer.from(typeof e === 'string' ? e : JSON.stringify(e));
    return { data, totalBytes: data.length, receivedAt: 1_000 + i, origin: 'wss://jetstream.test/subscribe' };
  });
}

function handler(overrides: Record<string, unknown> = {}, parentTags?: ParentTagResolver) {
  const stats = new LiveStats('jetstream', new ManualClock());
  const options = JetstreamSourceOptionsSchema.parse({ type: 'jetstream', ...overrides });
  return { stats, handler: new JetstreamFrameHandler(options, { source: 'jetstream', log: silentLogger(), stats, parentTags }) };
}

describe('Jetstream mapping', () => {
  it('takes tags from #tag facets, then outline tags, ignoring link facets and text', () => {
    const post = PostRecordSchema.parse(fixture<{ commit: { record: unknown } }>('jetstream/post.json').commit.record);
    expect(postTags(post)).toEqual(['MacronLeaks', 'Présidentielle2027']);
    const reply = PostRecordSchema.parse(fixture<{ commit: { record: unknown } }>('jetstream/reply-quote-v2server.json').commit.record);
    expect(postTags(reply)).toEqual(['macronleaks', 'Désinformation']);
    expect(postTags(PostRecordSchema.parse({ text: 'only #text tags', createdAt: '2026-09-14T18:00:00Z' }))).toEqual([]);
  });

  it('classifies a quote without reply as a quote of the embedded post, and a recordWithMedia quote too', () => {
    const quote = withRecord('jetstream/reply-quote-v2server.json', { reply: undefined });
    delete (quote.commit.record as { reply?: unknown }).reply;
    const mapped = mapPostCreate(CommitEventSchema.parse(quote), PostRecordSchema.parse(quote.commit.record));
    expect([mapped.kind, mapped.parentId]).toEqual(['quote', POST_URI]);

    const withMedia = withRecord('jetstream/post.json', {
      embed: { $type: 'app.bsky.embed.recordWithMedia', record: { record: { uri: POST_URI, cid: 'c' } }, media: { $type: 'app.bsky.embed.images', images: [] } },
    });
    const m2 = mapPostCreate(CommitEventSchema.parse(withMedia), PostRecordSchema.parse(withMedia.commit.record));
    expect([m2.kind, m2.parentId]).toEqual(['quote', POST_URI]);
  });

  it('does not take an embedded list or feed for a quoted post', () => {
    const list = withRecord('jetstream/post.json', {
      embed: { $type: 'app.bsky.embed.record', record: { uri: 'at://did:plc:x/app.bsky.graph.list/3abc', cid: 'c' } },
    });
    const mapped = mapPostCreate(CommitEventSchema.parse(list), PostRecordSchema.parse(list.commit.record));
    expect(mapped.kind).toBe('original');
    expect(mapped.parentId).toBeUndefined();
    expect(mapped.urls).toEqual(['https://example.org/fuites-2027']);
  });

  it('uses the client createdAt as event time unless it is implausible against the relay time', () => {
    const seen = Date.parse('2026-09-14T18:02:11.482Z') * 1000;
    expect(eventTime('2026-09-14T18:02:11.120Z', seen)).toBe('2026-09-14T18:02:11.120Z');
    expect(eventTime('2026-09-14T20:00:00+02:00', seen)).toBe('2026-09-14T18:00:00.000Z');
    expect(eventTime('2099-01-01T00:00:00Z', seen)).toBe('2026-09-14T18:02:11.482Z');
    expect(eventTime('2010-01-01T00:00:00Z', seen)).toBe('2026-09-14T18:02:11.482Z');
    expect(eventTime('not a date', seen)).toBe('2026-09-14T18:02:11.482Z');
  });

  it('keeps lang only when it fits the post model', () => {
    const noLang = withRecord('jetstream/post.json', { langs: [] });
    expect(mapPostCreate(commit('jetstream/post.json'), PostRecordSchema.parse(noLang.commit.record)).lang).toBeUndefined();
  });
});

describe('JetstreamFrameHandler', () => {
  it('learns handles from identity events and applies them to later posts', async () => {
    const { handler: h } = handler();
    const later = fixture<{ time_us: number; commit: { rkey: string } }>('jetstream/post.json');
    later.commit.rkey = 'later';
    const out = await h.handle(frames(fixture('jetstream/identity.json'), later));
    expect(out.posts.map((p) => (p.post as { author: unknown }).author)).toEqual([{ id: 'did:plc:r4vk2m7xq3bz6hdu5tcnelwo', handle: 'veille-electorale.example.fr' }]);
    expect(h.lastTimeUs).toBe(1789409402771210);
  });

  it('counts reposts of unknown posts as unresolved and hands them on without tags', async () => {
    const { handler: h, stats } = handler();
    const out = await h.handle(frames(fixture('jetstream/repost.json')));
    expect(out.posts.map((p) => p.post)).toMatchObject([{ kind: 'repost', tags: [], parentId: POST_URI }]);
    expect(stats.snapshot().unresolvedReposts).toBe(1);
  });

  it('asks the injected resolver once per batch for reposted posts missing from the cache, and caches the answer', async () => {
    const asked: string[][] = [];
    const resolver: ParentTagResolver = {
      tagsOf: async (platform, ids) => {
        asked.push([platform, ...ids]);
        return new Map([[POST_URI, ['MacronLeaks']]]);
      },
    };
    const { handler: h, stats } = handler({}, resolver);
    const out = await h.handle(frames(fixture('jetstream/repost.json'), fixture('jetstream/repost-via.json')));
    expect(asked).toEqual([['bluesky', POST_URI]]);
    expect(out.posts.map((p) => (p.post as { tags: string[] }).tags)).toEqual([['MacronLeaks'], ['MacronLeaks']]);
    const again = fixture<{ commit: { rkey: string } }>('jetstream/repost.json');
    again.commit.rkey = 'another';
    await h.handle(frames(again));
    expect(asked).toHaveLength(1);
    expect(stats.snapshot().unresolvedReposts).toBe(0);
  });

  it('gives up on a resolver that does not answer in time and counts those reposts unresolved', async () => {
    const resolver: ParentTagResolver = { tagsOf: () => new Promise(() => undefined) };
    const { handler: h, stats } = handler({ parentLookupTimeoutMs: 20 }, resolver);
    const out = await h.handle(frames(fixture('jetstream/repost.json')));
    expect(out.posts).toHaveLength(1);
    expect(stats.snapshot().unresolvedReposts).toBe(1);
  });

  it('drops redelivered creates and deletes, and ignores likes, updates and unknown kinds', async () => {
    const { handler: h, stats } = handler();
    const update = fixture<{ commit: { operation: string } }>('jetstream/post.json');
    update.commit.operation = 'update';
    const out = await h.handle(
      frames(
        fixture('jetstream/post.json'),
        fixture('jetstream/post.json'),
        fixture('jetstream/delete.json'),
        fixture('jetstream/delete.json'),
        fixture('jetstream/like.json'),
        update,
        fixture('jetstream/identity.json'),
        { did: 'did:plc:x', time_us: 1, kind: 'something-new' },
      ),
    );
    expect(out.posts).toHaveLength(1);
    expect(out.deletions).toEqual([{ platform: 'bluesky', id: POST_URI, at: 1_002 }]);
    expect(stats.snapshot()).toMatchObject({ duplicates: 2, ignored: 4 });
  });

  it('turns taken-down, deleted and suspended accounts into account deletions, once each; other account events change nothing', async () => {
    const { handler: h, stats } = handler();
    const takendown = fixture<{ did: string; time_us: number; account: Record<string, unknown> }>('jetstream/account.json');
    const did = takendown.did;
    const variant = (i: number, account: Record<string, unknown>, who = `did:plc:other${i}`) => ({
      ...takendown,
      did: who,
      time_us: takendown.time_us + i,
      account: { ...takendown.account, did: who, ...account },
    });
    const out = await h.handle(
      frames(
        takendown,
        takendown, // redelivered after a rewind
        variant(1, { status: 'deleted' }),
        variant(2, { status: 'suspended' }),
        variant(3, { status: 'deactivated' }), // the owner's choice, reversible: not a platform removal
        variant(4, { active: true, status: undefined }, did), // reactivated: nothing to undo, later posts are newer
        variant(5, { status: 'throttled' }),
      ),
    );
    expect(out.deletions).toEqual([
      { platform: 'bluesky', id: did, at: 1_000, scope: 'account' },
      { platform: 'bluesky', id: 'did:plc:other1', at: 1_002, scope: 'account' },
      { platform: 'bluesky', id: 'did:plc:other2', at: 1_003, scope: 'account' },
    ]);
    expect(out.deadLetters).toEqual([]);
    expect(stats.snapshot()).toMatchObject({ duplicates: 1, ignored: 3 });
  });
});
