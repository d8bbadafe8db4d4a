import { describe, expect, it } from 'vitest';
import type { TagEvent } from '../../../src/model/index.ts';
import {
  CheckpointReader,
  CheckpointWriter,
  CoordinationDetector,
  PairTable,
} from '../../../src/stream/coordination/index.ts';
import { frontCode, frontDecode, packCheckpoint, unpackCheckpoint } from '../../../src/stream/coordination/checkpoint-codec.ts';
import { T0, ordered, randomText, rng, run, tagEvent } from './tag-event-builder.ts';

const MIN = 60_000;

/**
 * A tag as hot as it gets: `perMinute` actions a minute from a crowd of `crowd` accounts (some
 * posting again and again), a third of them reposts of recent posts, texts from a small
 * vocabulary so that paraphrase and copy-pasta indexes fill up, young and old accounts mixed.
 */
function hotTag(tag: string, seed: number, minutes: number, perMinute: number, crowd: number): TagEvent[] {
  const random = rng(seed);
  const events: TagEvent[] = [];
  const originals: string[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let k = 0; k < perMinute; k++) {
      const id = `${tag}-${m}-${k}`;
      const author = `acct-${Math.floor(random() ** 2 * crowd)}`;
      const ts = T0 + m * MIN + Math.floor(random() * MIN);
      const ageDays = random() < 0.3 ? 5 + Math.floor(random() * 20) : 400;
      if (originals.length > 0 && random() < 0.35) {
        const parentId = originals[Math.floor(random() * Math.min(originals.length, 50))] as string;
        events.push(tagEvent(tag, { id, author, ts, kind: 'repost', parentId, ageDays, followers: Math.floor(random() * 500) }));
      } else {
        originals.unshift(id);
        events.push(tagEvent(tag, { id, author, ts, text: randomText(random, 6 + Math.floor(random() * 8)), ageDays, followers: Math.floor(random() * 500) }));
      }
    }
  }
  return ordered(events);
}

function checkpointChars(detector: CoordinationDetector, tag: string): number {
  return JSON.stringify(detector.snapshot(tag)).length;
}

describe('bounded coordination state', { timeout: 120_000 }, () => {
  it('keeps the checkpoint of a very hot tag under 256 KB', () => {
    // 300 actions a minute for 2.5 hours by 2,000 accounts acting again and again: every cap is
    // reached, every account history is full (the worst case), and the checkpoint is packed.
    const detector = new CoordinationDetector();
    run(detector, hotTag('storm', 1, 150, 300, 2_000));
    const checkpoint = detector.snapshot('storm') as { packed?: string };
    expect(typeof checkpoint.packed).toBe('string');
    expect(checkpointChars(detector, 'storm')).toBeLessThanOrEqual(256 * 1024);
  });

  it('does not grow with the length of the stream', () => {
    // The same steady tag for 2 hours and for 8 hours: what is kept depends on the recent hours only.
    const short = new CoordinationDetector({ checkpointPackChars: Number.MAX_SAFE_INTEGER });
    run(short, hotTag('steady', 2, 120, 30, 3_000));
    const long = new CoordinationDetector({ checkpointPackChars: Number.MAX_SAFE_INTEGER });
    run(long, hotTag('steady', 2, 480, 30, 3_000));
    const after2h = checkpointChars(short, 'steady');
    const after8h = checkpointChars(long, 'steady');
    expect(after8h).toBeLessThan(after2h * 1.25);
  });

  it('keeps a typical tag (a few posts) to a few KB and a one-post tag to its post', () => {
    const detector = new CoordinationDetector();
    const random = rng(3);
    const events = Array.from({ length: 12 }, (_, i) =>
      tagEvent('quiet', { id: `q${i}`, author: `person-${i % 7}`, ts: T0 + i * 9 * MIN, text: randomText(random, 12) }),
    );
    run(detector, [...events, tagEvent('once', { id: 'o1', author: 'someone', ts: T0, text: randomText(random, 12) })]);
    expect(checkpointChars(detector, 'quiet')).toBeLessThan(4_096);
    const once = detector.snapshot('once') as { v: number; first: TagEvent };
    expect(once.first.post.id).toBe('o1');
    expect(JSON.stringify(once).length).toBeLessThan(600);
  });

  it('continues identically after a restore of a packed checkpoint of a hot tag', () => {
    // A copy-pasta wave inside the storm, so there are flags to compare.
    const text = 'They hid the report from everyone and nobody in the press will say a word about it';
    const wave = Array.from({ length: 40 }, (_, i) =>
      tagEvent('storm', { id: `wave-${i}`, author: `young-${i}`, ts: T0 + 10 * MIN + i * 15_000, text, ageDays: 6, followers: 3 }),
    );
    const events = ordered([...hotTag('storm', 4, 40, 40, 5_000), ...wave]);
    const cut = Math.floor(events.length * 0.6);
    const all = run(new CoordinationDetector(), events);
    const first = new CoordinationDetector();
    const flags = run(first, events.slice(0, cut), 60_000, false);
    const checkpoint = JSON.parse(JSON.stringify(first.snapshot('storm'))) as { packed?: string };
    expect(typeof checkpoint.packed).toBe('string');
    const second = new CoordinationDetector();
    second.restore('storm', checkpoint);
    flags.push(...run(second, events.slice(cut)));
    expect(all.length).toBeGreaterThan(0);
    expect(flags).toEqual(all);
  });
});

describe('checkpoint codec', () => {
  it('interns ids and posts and writes times relative to a base, losslessly', () => {
    const w = new CheckpointWriter(T0);
    const row = [w.id('alice'), w.id('bob'), w.id('alice'), w.post('sim:p-1'), w.t(T0 - 1_500), ...w.times([T0 - 9_000, T0 - 4_000, T0])];
    expect(w.ids).toEqual(['alice', 'bob']);
    expect(row).toEqual([0, 1, 0, 0, 1_500, 9_000, 5_000, 4_000]);
    const r = new CheckpointReader('t', T0, w.ids, w.posts);
    expect([r.id(1), r.post(0), r.t(1_500)]).toEqual(['bob', 'sim:p-1', T0 - 1_500]);
    expect(r.times([9_000, 5_000, 4_000])).toEqual([T0 - 9_000, T0 - 4_000, T0]);
    expect(() => r.id(7)).toThrow(/missing account index 7/);
  });

  it('front-codes post keys that share prefixes', () => {
    const keys = ['sim:s104-16934', 'sim:s104-16937', 'bsky:at://did:plc:x/post/1', 'bsky:at://did:plc:x/post/22', ''];
    const coded = frontCode(keys);
    expect(coded[1]).toBe('13|7');
    expect(frontDecode(coded)).toEqual(keys);
  });

  it('packs only large checkpoints, and unpacks them back', () => {
    const small = { v: 2, xs: [1, 2, 3] };
    expect(packCheckpoint(small, 100)).toBe(small);
    const large = { v: 2, xs: Array.from({ length: 2_000 }, (_, i) => i % 17) };
    const packed = packCheckpoint(large, 100) as { v: number; packed: string };
    expect(packed.packed.length).toBeLessThan(JSON.stringify(large).length / 4);
    expect(unpackCheckpoint('t', JSON.parse(JSON.stringify(packed)))).toEqual(large);
    expect(() => unpackCheckpoint('t', { v: 2, packed: 'not deflate' })).toThrow(/does not inflate/);
  });
});

describe('PairTable', () => {
  it('evicts the least recently updated weak pair first, then the least recently updated', () => {
    const table = new PairTable<{ n: number; ts: number }>(3, (v) => v.n < 2, (v) => v.ts);
    table.set('a', { n: 2, ts: 1 });
    table.set('b', { n: 1, ts: 2 });
    table.set('c', { n: 3, ts: 3 });
    table.set('d', { n: 1, ts: 4 });
    expect([...table.entries()].map(([k]) => k)).toEqual(['a', 'c', 'd']);
    table.set('a', { n: 3, ts: 5 });
    table.set('e', { n: 2, ts: 6 });
    expect([...table.entries()].map(([k]) => k)).toEqual(['c', 'a', 'e']);
    table.expire(5);
    expect([...table.entries()].map(([k]) => k)).toEqual(['a', 'e']);
  });
});
