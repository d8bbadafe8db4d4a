import { describe, expect, it } from 'vitest';
import type { Flag, TagEvent } from '../../../src/model/index.ts';
import { CoordinationDetector } from '../../../src/stream/coordination/index.ts';
import { T0, coordinated, ordered, organicPosts, randomText, rng, run, tagEvent } from './tag-event-builder.ts';

const MIN = 60_000;
const TEXT = 'Share before it gets deleted the board quietly buried the missing funds no journalist will touch this';

/** Two tags: a copy-pasta wave and a repost ring, over organic noise. */
function stream(): TagEvent[] {
  const random = rng(41);
  const events: TagEvent[] = [...organicPosts('alpha', 42, 300, 2 * 3_600_000), ...organicPosts('beta', 43, 300, 2 * 3_600_000, 'orgb')];
  for (let i = 0; i < 40; i++) {
    const words = TEXT.split(' ');
    if (i % 3 === 1) words.splice(3, 1);
    events.push(tagEvent('alpha', { id: `cp-${i}`, author: `cp-${i % 25}`, ts: T0 + 20 * MIN + Math.floor(i / 10) * 9 * MIN + Math.floor(random() * 90_000), text: words.join(' '), ageDays: 9, followers: 4 }));
  }
  for (let p = 0; p < 5; p++) {
    const at = T0 + 5 * MIN + p * 15 * MIN;
    events.push(tagEvent('beta', { id: `src-${p}`, author: 'source', ts: at, text: randomText(random, 10) }));
    for (let m = 0; m < 12; m++) {
      events.push(tagEvent('beta', { id: `rp-${p}-${m}`, author: `ring-${m}`, ts: at + 1_000 + Math.floor(random() * 15_000), kind: 'repost', parentId: `src-${p}`, ageDays: 15, followers: 8 }));
    }
  }
  return ordered(events);
}

function comparable(flags: readonly Flag[]): Flag[] {
  return [...flags].sort((a, b) => a.tag.localeCompare(b.tag) || a.flagId.localeCompare(b.flagId) || a.revision - b.revision);
}

describe('determinism', () => {
  const events = stream();
  const reference = run(new CoordinationDetector(), events);

  it('finds both campaigns', () => {
    const tags = new Set(coordinated(reference).map((f) => f.tag));
    expect(tags).toEqual(new Set(['alpha', 'beta']));
  });

  it('gives the same flags and ids on a second run', () => {
    expect(run(new CoordinationDetector(), events)).toEqual(reference);
  });

  it('does not depend on how often the clock advances', () => {
    for (const every of [1_000, 7_000, 300_000]) {
      expect(comparable(run(new CoordinationDetector(), events, every))).toEqual(comparable(reference));
    }
  });

  it('revises one flag per tag and episode instead of duplicating it', () => {
    for (const tag of ['alpha', 'beta']) {
      const ofTag = coordinated(reference).filter((f) => f.tag === tag);
      expect(new Set(ofTag.map((f) => f.flagId)).size).toBe(1);
      expect(ofTag.map((f) => f.revision)).toEqual(ofTag.map((_, i) => i));
    }
  });

  it('continues identically from a snapshot restored into a fresh detector', () => {
    const cut = Math.floor(events.length / 2);
    const uninterrupted = new CoordinationDetector();
    const all = events.flatMap((e) => uninterrupted.observe(e));
    const first = new CoordinationDetector();
    const flags = events.slice(0, cut).flatMap((e) => first.observe(e));
    // Through JSON, as a checkpoint is stored.
    const second = new CoordinationDetector();
    for (const tag of ['alpha', 'beta']) second.restore(tag, JSON.parse(JSON.stringify(first.snapshot(tag))));
    flags.push(...events.slice(cut).flatMap((e) => second.observe(e)));
    expect(coordinated(all).length).toBeGreaterThan(0);
    expect(flags).toEqual(all);
  });

  it('continues identically when restored right after a tag’s first event (kept as that event alone)', () => {
    const cut = events.findIndex((e) => e.tag === 'beta') + 1;
    const uninterrupted = new CoordinationDetector();
    const all = events.flatMap((e) => uninterrupted.observe(e));
    const first = new CoordinationDetector();
    const flags = events.slice(0, cut).flatMap((e) => first.observe(e));
    const beta = JSON.parse(JSON.stringify(first.snapshot('beta'))) as { first?: unknown };
    expect(beta.first).toBeDefined();
    const second = new CoordinationDetector();
    for (const tag of ['alpha', 'beta']) {
      const snapshot = first.snapshot(tag);
      if (snapshot !== undefined) second.restore(tag, JSON.parse(JSON.stringify(snapshot)));
    }
    flags.push(...events.slice(cut).flatMap((e) => second.observe(e)));
    expect(flags).toEqual(all);
  });

  it('rejects a checkpoint that is not its own', () => {
    expect(() => new CoordinationDetector().restore('alpha', { v: 2 })).toThrow(/version-2 snapshot/);
    expect(() => new CoordinationDetector().restore('alpha', { v: 3, ids: [] })).toThrow(/version-2 snapshot/);
  });

  it('drops a format-1 checkpoint (written before compaction): the tag starts afresh', () => {
    const detector = new CoordinationDetector();
    detector.restore('alpha', { v: 1, display: 'alpha', book: { accounts: [], slotTotals: [] } });
    expect(detector.tagCount).toBe(0);
    expect(detector.snapshot('alpha')).toBeUndefined();
  });
});
