import { describe, expect, it } from 'vitest';
import { EventHeap, type PendingEvent } from '../../../src/stream/event-heap.ts';
import { MinuteAccumulator } from '../../../src/stream/minute-accumulator.ts';
import { RecentAuthors } from '../../../src/stream/recent-authors.ts';
import { TagLru } from '../../../src/stream/tag-lru.ts';
import { TagState } from '../../../src/stream/tag-state.ts';
import { AnalyzeOptionsSchema } from '../../../src/stream/options.ts';
import { rng, T0, tagEvent } from './stream-fixtures.ts';

// The hot-path structures replaced Map/Set idioms for speed and memory; each must behave exactly
// like the idiom it replaced (same order, same answers), which these tests check against it.

/** Reference: authors in last-seen order through Map delete + set, as RecentAuthors used to keep them. */
class MapRecentAuthors {
  readonly map = new Map<number, number>();
  see(h: number, ts: number): void {
    this.map.delete(h);
    this.map.set(h, ts);
  }
  expire(cutoff: number): void {
    for (const [h, ts] of this.map) {
      if (ts >= cutoff) break;
      this.map.delete(h);
    }
  }
  since(since: number): number {
    let n = 0;
    for (const ts of this.map.values()) if (ts >= since) n++;
    return n;
  }
}

describe('RecentAuthors', () => {
  it('answers and serializes exactly like a last-seen-ordered Map, out-of-order times and compaction included', () => {
    const random = rng(7);
    for (const authors of [5, 40, 400]) {
      const fast = new RecentAuthors();
      const ref = new MapRecentAuthors();
      let now = T0;
      for (let i = 0; i < 20_000; i++) {
        now += Math.floor(random() * 2_000);
        // Hashes span the full uint32 range; a few posts arrive up to 30 s out of order.
        const h = (Math.floor(random() * authors) * 2_654_435_761) >>> 0;
        const ts = random() < 0.05 ? now - Math.floor(random() * 30_000) : now;
        fast.see(h, ts);
        ref.see(h, ts);
        if (i % 97 === 0) {
          const cutoff = now - 10 * 60_000;
          fast.expire(cutoff);
          ref.expire(cutoff);
        }
        if (i % 131 === 0) {
          expect(fast.size).toBe(ref.map.size);
          expect(fast.since(now - 5 * 60_000)).toBe(ref.since(now - 5 * 60_000));
        }
      }
      expect(fast.toJSON()).toEqual([...ref.map]);
      expect(RecentAuthors.fromJSON(fast.toJSON()).toJSON()).toEqual(fast.toJSON());
    }
  });
});

describe('EventHeap', () => {
  it('pops in (time, key, tag) order whatever the push order', () => {
    const random = rng(3);
    const heap = new EventHeap();
    const items: PendingEvent[] = [];
    for (let i = 0; i < 2_000; i++) {
      const ts = T0 + Math.floor(random() * 50) * 1_000;
      const key = `x:${Math.floor(random() * 100)}`;
      const tag = `t${i}`;
      const item = { ts, key, pendingKey: `${tag}\u0000${key}`, event: tagEvent(tag, ts) };
      items.push(item);
      heap.push(item);
    }
    const popped: PendingEvent[] = [];
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push(e);
    const sorted = [...items].sort((a, b) => a.ts - b.ts || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.event.tag < b.event.tag ? -1 : 1));
    expect(popped).toEqual(sorted);
  });
});

describe('TagLru', () => {
  it('keeps the order a Map kept with delete + set on every use, through deletes and replacements', () => {
    const random = rng(5);
    const opts = AnalyzeOptionsSchema.parse({});
    const lru = new TagLru();
    const ref = new Map<string, TagState>();
    const states = new Map<string, TagState>();
    for (let i = 0; i < 5_000; i++) {
      const tag = `t${Math.floor(random() * 60)}`;
      const r = random();
      const existing = lru.get(tag);
      if (r < 0.1) {
        lru.delete(tag);
        ref.delete(tag);
      } else if (existing === undefined || r < 0.15) {
        const t = TagState.create(tagEvent(tag, T0 + i), 0, T0, opts, undefined);
        states.set(tag, t);
        lru.put(t);
        ref.delete(tag);
        ref.set(tag, t);
      } else {
        lru.touch(existing);
        ref.delete(tag);
        ref.set(tag, existing);
      }
      expect(lru.size).toBe(ref.size);
      expect(lru.first()).toBe(ref.values().next().value);
    }
    expect([...lru.values()]).toEqual([...ref.values()]);
  });
});

describe('MinuteAccumulator', () => {
  it('counts, deduplicates and round-trips through JSON in every storage form', () => {
    for (const posts of [1, 2, 9, 40]) {
      const acc = new MinuteAccumulator(T0);
      for (let i = 0; i < posts; i++) {
        const e = tagEvent('t', T0 + i, { id: `p${i}`, author: `a${i % 12}`, lang: i % 3 === 0 ? 'fr' : 'en', platform: i % 5 === 0 ? 'bsky' : 'x' });
        const key = `${e.post.platform}:${e.post.id}`;
        acc.add(e, key, true, false, false);
        expect(acc.has(key)).toBe(true);
      }
      acc.add(tagEvent('t', T0, { id: 'p0', author: 'a0', lang: 'fr', platform: 'bsky' }), 'bsky:p0', false, false, false);
      const row = acc.emit('t');
      expect(row.uniqueAuthors).toBe(Math.min(posts, 12));
      expect(row.languages).toBe(posts === 1 ? 1 : 2);
      expect(acc.postKeys()).toHaveLength(posts);
      const copy = MinuteAccumulator.fromJSON(JSON.parse(JSON.stringify(acc.toJSON())));
      expect(copy.toJSON()).toEqual(acc.toJSON());
      expect(copy.emit('t')).toEqual({ ...row, revision: row.revision + 1 });
      expect(copy.has('x:nope')).toBe(false);
    }
  });
});
