import { describe, expect, it } from 'vitest';
import { CoordinationDetector, log10PoissonTail } from '../../../src/stream/coordination/index.ts';
import type { TagEvent } from '../../../src/model/index.ts';
import { T0, coordinated, latest, ordered, organicPosts, randomText, rng, run, tagEvent } from './tag-event-builder.ts';

const MIN = 60_000;

/** `members` accounts posting within a few seconds of each other in each of `episodes` episodes. */
function synchronized(tag: string, members: number, episodes: number, seed: number, gapMs = 17 * MIN): TagEvent[] {
  const random = rng(seed);
  const events: TagEvent[] = [];
  for (let e = 0; e < episodes; e++) {
    const at = T0 + 3 * MIN + e * gapMs;
    for (let m = 0; m < members; m++) {
      events.push(tagEvent(tag, { id: `sync-${e}-${m}`, author: `sync-${m}`, ts: at + Math.floor(random() * 6_000), text: randomText(random, 12), ageDays: 400, followers: 200 }));
    }
  }
  return events;
}

describe('Poisson tail', () => {
  it('matches known values', () => {
    // P(X ≥ 1 | λ = 1) = 1 − e^-1
    expect(10 ** log10PoissonTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 10);
    // P(X ≥ 3 | λ = 0.5) = 1 − e^-0.5 (1 + 0.5 + 0.125)
    expect(10 ** log10PoissonTail(3, 0.5)).toBeCloseTo(1 - Math.exp(-0.5) * 1.625, 10);
    expect(log10PoissonTail(0, 2)).toBe(0);
    expect(log10PoissonTail(30, 0.01)).toBeLessThan(-80);
  });
});

// Streams of thousands of posts: generous timeouts on a shared machine (no speed is asserted).
describe('synchronized co-activity', { timeout: 60_000 }, () => {
  it('links accounts that act within seconds of each other episode after episode', () => {
    const events = ordered([...organicPosts('vote', 11, 600, 2 * 3_600_000), ...synchronized('vote', 5, 7, 12)]);
    const flags = latest(coordinated(run(new CoordinationDetector(), events)));
    expect(flags).toHaveLength(1);
    expect(flags[0]!.authors).toEqual(['sync-0', 'sync-1', 'sync-2', 'sync-3', 'sync-4']);
    expect(flags[0]!.signals['co_activity_pairs']).toBeGreaterThan(0);
  });

  it('does not link two accounts that coincide once (or a few times by chance)', () => {
    const events = ordered([...organicPosts('vote', 13, 600, 2 * 3_600_000), ...synchronized('vote', 2, 1, 14), ...synchronized('vote', 4, 2, 15)]);
    expect(coordinated(run(new CoordinationDetector(), events))).toEqual([]);
  });

  it('does not light up a hot tag with thousands of independent posters', () => {
    // 6,000 posts in 90 minutes from ~18,000 possible accounts, so some post several times.
    const events = ordered(organicPosts('news', 16, 6_000, 90 * MIN));
    expect(coordinated(run(new CoordinationDetector(), events))).toEqual([]);
  });

  it('does not flag fans reacting together to each moment of a live event', () => {
    // A match: 400 fans; at each of 6 goals most of them post within a minute, others at random.
    const random = rng(17);
    const events: TagEvent[] = [];
    for (let goal = 0; goal < 6; goal++) {
      const at = T0 + goal * 15 * MIN;
      for (let fan = 0; fan < 400; fan++) {
        if (random() < 0.7) {
          events.push(tagEvent('match', { id: `g${goal}-${fan}`, author: `fan-${fan}`, ts: at + Math.floor(random() * random() * 60_000), text: randomText(random, 9) }));
        }
      }
    }
    events.push(...organicPosts('match', 18, 1_500, 90 * MIN));
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });
});
