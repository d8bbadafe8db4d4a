import { describe, expect, it } from 'vitest';
import { resolveSimOptions, Simulation, SimOptionsSchema } from '../../../src/sim/index.ts';
import { NO_EVENTS, runSimulation, tagsOf } from './sim-fixtures.ts';

describe('simulator options', () => {
  it('fills scenario defaults', () => {
    const d = resolveSimOptions({ seed: 1 });
    expect(d).toMatchObject({ start: '2024-05-06T00:00:00.000Z', hours: 2, ratePerMin: 200, platform: 'sim' });
    const m = resolveSimOptions({ seed: 1, scenario: 'macronleaks', scale: 0.1 });
    expect(m).toMatchObject({ start: '2017-05-05T16:00:00.000Z', hours: 16, ratePerMin: 40 });
  });

  it('rejects inverted ranges and unknown styles with the path of the problem', () => {
    const inverted = SimOptionsSchema.safeParse({ seed: 1, campaigns: { copypasta: { members: [50, 10] } } });
    expect(inverted.success).toBe(false);
    expect(inverted.error?.issues[0]?.path).toEqual(['campaigns', 'copypasta', 'members']);
    expect(SimOptionsSchema.safeParse({ seed: 1, campaigns: { styles: ['astroturf'] } }).success).toBe(false);
    expect(SimOptionsSchema.safeParse({ seed: -1 }).success).toBe(false);
  });

  it('builds a background-only stream: no campaigns, hard cases or bursts', () => {
    const { posts, truth } = runSimulation({ seed: 2, hours: 1, ratePerMin: 50, ...NO_EVENTS });
    expect(truth.campaigns).toEqual([]);
    expect(truth.hardCases).toEqual([]);
    expect(truth.bursts).toEqual([]);
    // Poisson around 50/min with the diurnal curve (midnight UTC: below the mean).
    expect(posts.length).toBeGreaterThan(1_000);
    expect(posts.length).toBeLessThan(4_000);
  });

  it('builds a stream with a single copy-pasta campaign on a fresh tag and nothing else', () => {
    const { posts, truth } = runSimulation({
      seed: 3,
      hours: 2,
      ratePerMin: 0,
      ...NO_EVENTS,
      campaigns: { count: [1, 1], styles: ['copypasta'], freshTagShare: 1, copypasta: { members: [40, 40] } },
    });
    expect(truth.campaigns).toHaveLength(1);
    const c = truth.campaigns[0]!;
    expect(c).toMatchObject({ style: 'copypasta', target: 'fresh' });
    // Members are the accounts that actually posted: waves draw a share of the 40 planned ones.
    expect(c.members.length).toBeGreaterThanOrEqual(15);
    expect(c.members.length).toBeLessThanOrEqual(40);
    expect(posts).toHaveLength(c.postCount);
    expect(posts.every((p) => tagsOf(p).includes(c.tag))).toBe(true);
    for (const b of truth.bursts) expect(b).toMatchObject({ ref: c.id, tag: c.tag, kind: 'campaign', baselinePerMin: 0 });
  });

  it('draws different campaign parameters for different seeds, within the configured ranges', () => {
    const members = new Set<number>();
    const editRates = new Set<number>();
    for (let seed = 1; seed <= 6; seed++) {
      const sim = new Simulation({ seed, hours: 6, ratePerMin: 0, ...NO_EVENTS, campaigns: { count: [1, 1], styles: ['copypasta'] } });
      for (const _ of sim.posts());
      const params = sim.truth().campaigns[0]!.params;
      members.add(params['members'] as number);
      editRates.add(params['editRate'] as number);
      expect(params['members']).toBeGreaterThanOrEqual(25);
      expect(params['members']).toBeLessThanOrEqual(250);
    }
    expect(members.size).toBeGreaterThanOrEqual(5);
    expect(editRates.size).toBeGreaterThanOrEqual(5);
  });

  it('gives every campaign and hard case its own tag, so flags can be matched to events by tag', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const { truth } = runSimulation({
        seed,
        hours: 1,
        ratePerMin: 0,
        hardCases: { breakingNews: { posts: [50, 60] }, celebrityRepost: { reposts: [40, 50] }, liveEvent: { posts: [50, 60] }, loneSpammer: { count: 2 } },
        campaigns: { count: [7, 7], freshTagShare: 0 },
      });
      const tags = [...truth.campaigns.map((c) => c.tag), ...truth.hardCases.map((h) => h.tag)];
      expect(tags.length).toBe(12);
      expect(new Set(tags).size).toBe(tags.length);
    }
  });

  it('refuses a second iteration and a truth before the end', () => {
    const sim = new Simulation({ seed: 4, hours: 0.1, ratePerMin: 10, ...NO_EVENTS });
    expect(() => sim.truth()).toThrow(/end/);
    for (const _ of sim.posts());
    expect(() => [...sim.posts()]).toThrow(/once/);
    expect(sim.truth().stats.posts).toBeGreaterThan(0);
  });
});
