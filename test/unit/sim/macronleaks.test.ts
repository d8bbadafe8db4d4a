import { beforeAll, describe, expect, it } from 'vitest';
import { macronleaksScenario, MACRONLEAKS_TIMELINE } from '../../../src/sim/index.ts';
import { runSimulation, tagsOf, type SimRun } from './sim-fixtures.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SCALE = 0.1;

describe('macronleaks scenario (scale 0.1, tag only)', () => {
  let run: SimRun;
  beforeAll(() => {
    // Without background traffic: the figures concern the tag alone, and the test stays fast.
    run = runSimulation(macronleaksScenario(1, { scale: SCALE, ratePerMin: 0 }));
  });

  it('opens with the leak at 18:35 UTC and the first widely shared post under 15 minutes later', () => {
    const f = run.truth.macronleaks!;
    expect(f.leakAt).toBe('2017-05-05T18:35:00.000Z');
    const delay = Date.parse(f.firstPostAt) - Date.parse(f.leakAt);
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThan(15 * MINUTE);
    const first = run.posts.find((p) => p.id === f.firstPostId)!;
    expect(first.lang).toBe('en');
    expect(tagsOf(first)).toEqual(['macronleaks']);
    // Counted independently from the stream.
    const F = Date.parse(f.firstPostAt);
    const reposts = run.posts.filter((p) => p.kind === 'repost' && p.parentId === first.id).map((p) => Date.parse(p.createdAt) - F);
    expect(reposts.filter((d) => d < MINUTE)).toHaveLength(MACRONLEAKS_TIMELINE.repostsFirstMinute);
    expect(reposts.filter((d) => d < 5 * MINUTE)).toHaveLength(MACRONLEAKS_TIMELINE.repostsFirstFiveMinutes);
  });

  it('reaches ~47,000 × scale posts in 3.5 h and ~150,000 × scale in 13 h', () => {
    const F = Date.parse(run.truth.macronleaks!.firstPostAt);
    const times = run.posts.filter((p) => tagsOf(p).includes('macronleaks')).map((p) => Date.parse(p.createdAt));
    const after = (h: number) => times.filter((t) => t < F + h * HOUR).length;
    expect(after(3.5)).toBeGreaterThan(MACRONLEAKS_TIMELINE.postsAfter3_5h * SCALE * 0.88);
    expect(after(3.5)).toBeLessThan(MACRONLEAKS_TIMELINE.postsAfter3_5h * SCALE * 1.12);
    expect(after(13)).toBeGreaterThan(MACRONLEAKS_TIMELINE.postsAfter13h * SCALE * 0.95);
    expect(after(13)).toBeLessThan(MACRONLEAKS_TIMELINE.postsAfter13h * SCALE * 1.05);
    expect(run.truth.macronleaks!.tagPostsAfter13h).toBe(after(13));
  });

  it('has ~100,000 × scale accounts on the tag, about 18% of them bots, one posting 486 times in 12 h', () => {
    const f = run.truth.macronleaks!;
    const authors = new Set(run.posts.filter((p) => tagsOf(p).includes('macronleaks')).map((p) => p.author.id));
    expect(f.tagAccounts).toBe(authors.size);
    expect(authors.size).toBeGreaterThan(MACRONLEAKS_TIMELINE.accounts * SCALE * 0.9);
    expect(authors.size).toBeLessThan(MACRONLEAKS_TIMELINE.accounts * SCALE * 1.1);
    const bots = new Set(run.truth.campaigns.flatMap((c) => c.members));
    const botShare = [...authors].filter((a) => bots.has(a)).length / authors.size;
    expect(botShare).toBeGreaterThan(0.16);
    expect(botShare).toBeLessThan(0.2);
    const F = Date.parse(f.firstPostAt);
    const top = run.posts.filter((p) => p.author.id === f.topAccountId && Date.parse(p.createdAt) < F + 12 * HOUR);
    expect(top).toHaveLength(486);
    expect(run.truth.campaigns.find((c) => c.style === 'hyperactive')!.members).toContain(f.topAccountId);
  });

  it('makes the most reposted posts mostly English although the target is French', () => {
    const counts = new Map<string, number>();
    for (const p of run.posts) if (p.kind === 'repost' && p.parentId !== undefined) counts.set(p.parentId, (counts.get(p.parentId) ?? 0) + 1);
    const byId = new Map(run.posts.map((p) => [p.id, p]));
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([id]) => byId.get(id)!);
    expect(top.filter((p) => p.lang === 'en').length / top.length).toBeGreaterThan(0.5);
    expect(run.posts.some((p) => p.lang === 'fr' && tagsOf(p).includes('macronleaks'))).toBe(true);
  });

  it('labels the coordinated part and reports one burst of the tag at its start', () => {
    const styles = run.truth.campaigns.map((c) => c.style).sort();
    expect(styles).toEqual(['copypasta', 'hyperactive', 'repost_ring']);
    expect(run.truth.campaigns.every((c) => c.tag === 'macronleaks')).toBe(true);
    expect(run.truth.bursts).toHaveLength(1);
    expect(run.truth.bursts[0]).toMatchObject({ tag: 'macronleaks', kind: 'campaign' });
    expect(Date.parse(run.truth.bursts[0]!.onset)).toBeLessThan(Date.parse(run.truth.macronleaks!.firstPostAt) + 10 * MINUTE);
  });
});
