import { describe, expect, it } from 'vitest';
import { AuthorSet } from '../../../src/stream/author-set.ts';
import { CascadeForest, type CascadeForestState } from '../../../src/stream/cascade-forest.ts';
import { EventHeap, type PendingEvent } from '../../../src/stream/event-heap.ts';
import { MinuteAccumulator } from '../../../src/stream/minute-accumulator.ts';
import { RecentAuthors } from '../../../src/stream/recent-authors.ts';
import { TagLru } from '../../../src/stream/tag-lru.ts';
import { TagState } from '../../../src/stream/tag-state.ts';
import { AnalyzeOptionsSchema, SpreadOptionsSchema } from '../../../src/stream/options.ts';
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

/** Reference: the forest with a Map index from the first node on, as CascadeForest used to keep it. */
class MapCascadeForest {
  readonly live: Array<{ parent: number[]; keys: string[]; size: number; lastTs: number }> = [];
  readonly index = new Map<string, { c: MapCascadeForest['live'][number]; i: number }>();
  retired = 0;
  constructor(readonly maxCascades: number, readonly maxNodes: number, readonly idleMs: number) {}
  add(key: string, parentKey: string, ts: number): void {
    if (this.index.has(key)) return;
    let at = this.index.get(parentKey);
    if (at === undefined) {
      const c = { parent: [-1], keys: [parentKey], size: 1, lastTs: ts };
      this.live.push(c);
      at = { c, i: 0 };
      this.index.set(parentKey, at);
      if (this.live.length > this.maxCascades) {
        let oldest = 0;
        for (let j = 1; j < this.live.length; j++) if (this.live[j]!.lastTs < this.live[oldest]!.lastTs) oldest = j;
        this.retire(oldest);
      }
    }
    const c = at.c;
    c.size++;
    c.lastTs = Math.max(c.lastTs, ts);
    if (c.parent.length < this.maxNodes) {
      c.parent.push(at.i);
      c.keys.push(key);
      this.index.set(key, { c, i: c.parent.length - 1 });
    }
  }
  expire(now: number): void {
    for (let j = this.live.length - 1; j >= 0; j--) if (this.live[j]!.lastTs < now - this.idleMs) this.retire(j);
  }
  retire(j: number): void {
    const [c] = this.live.splice(j, 1);
    for (const k of c!.keys) this.index.delete(k);
    this.retired++;
  }
}

describe('CascadeForest', () => {
  it('joins, retires and serializes like a Map-indexed forest, scanning small forests and indexing large ones', () => {
    const opts = SpreadOptionsSchema.parse({ maxCascades: 4, maxCascadeNodes: 12, cascadeIdleMs: 60 * 60_000 });
    const next = rng(11);
    const forest = new CascadeForest(opts);
    const ref = new MapCascadeForest(4, 12, 60 * 60_000);
    let restored = 0;
    for (let i = 0; i < 3_000; i++) {
      const ts = T0 + i * 20_000;
      // Parents among recent posts (joins, chains) or unseen ones (new roots); sometimes a key again (ignored).
      const key = next() < 0.05 ? `p${Math.max(0, i - 1 - Math.floor(next() * 5))}` : `p${i}`;
      const parent = next() < 0.6 ? `p${Math.max(0, i - 1 - Math.floor(next() * 8))}` : `x${Math.floor(next() * 40)}`;
      forest.add(key, parent, ts);
      ref.add(key, parent, ts);
      if (i % 97 === 0) {
        forest.expire(ts);
        ref.expire(ts);
      }
      const figures = forest.figures(Number.NEGATIVE_INFINITY, true);
      expect(figures.count, `op ${i}`).toBe(ref.live.length + ref.retired);
      expect(figures.largest).toBeGreaterThanOrEqual(Math.max(0, ...ref.live.map((c) => c.size)));
      const json = forest.toJSON();
      expect(json.c).toEqual(ref.live.map((c) => ({ p: c.parent, k: c.keys, s: c.size, t: c.lastTs })));
      if (i % 500 === 250) {
        // A restored forest continues exactly like the original.
        const copy = CascadeForest.fromJSON(JSON.parse(JSON.stringify(json)) as CascadeForestState, opts);
        expect(copy.toJSON()).toEqual(json);
        expect(copy.figures(ts - 30 * 60_000, false)).toEqual(forest.figures(ts - 30 * 60_000, false));
        restored++;
      }
    }
    expect(restored).toBe(6);
    expect(ref.retired).toBeGreaterThan(10);
  });
});

describe('AuthorSet', () => {
  it('tells new from returning authors through the one-hash, array and table forms, and round-trips each', () => {
    for (const distinct of [1, 2, 16, 17, 200]) {
      const set = new AuthorSet(65_536);
      const seen = new Set<number>();
      const next = rng(distinct);
      for (let i = 0; i < distinct * 3; i++) {
        const h = (1 + Math.floor(next() * distinct) * 2_654_435_761) >>> 0 || 1;
        expect(set.addHash(h)).toBe(!seen.has(h));
        seen.add(h);
        expect(set.size).toBe(seen.size);
        const copy = AuthorSet.fromJSON(set.toJSON(), 65_536);
        expect(copy.size).toBe(seen.size);
        expect(copy.toJSON().n).toBe(seen.size);
      }
    }
  });
});
