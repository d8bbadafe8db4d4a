import { describe, expect, it } from 'vitest';
import { CheckpointWriter, CoordinationDetector, CoordinationOptionsSchema, RepostRingTracker } from '../../../src/stream/coordination/index.ts';
import type { TagEvent } from '../../../src/model/index.ts';
import { T0, coordinated, latest, ordered, organicPosts, randomText, rng, run, tagEvent } from './tag-event-builder.ts';

const MIN = 60_000;

// Streams of thousands of posts: generous timeouts on a shared machine (no speed is asserted).
describe('remembered sources', () => {
  const HOUR = 60 * MIN;
  const sourcesOf = (tracker: RepostRingTracker): string[] => {
    const w = new CheckpointWriter(T0 + 10 * HOUR);
    const flat = tracker.snapshot(w).sources;
    return flat.filter((_, i) => i % 3 === 0).map((index) => w.posts[index] as string);
  };

  it('forgets a source posted before the cutoff and not reposted since, keeps the rest', () => {
    const o = CoordinationOptionsSchema.parse({});
    const tracker = new RepostRingTracker(o.repostRing, o.swarm, o.traits);
    tracker.rememberSource('p:old', 'a', T0);
    tracker.rememberSource('p:old-but-reposted', 'b', T0 + HOUR);
    tracker.rememberSource('p:young', 'c', T0 + 4 * HOUR);
    // A repost re-remembers its source (with the source's own time): it moves to the young end.
    tracker.rememberSource('p:old-but-reposted', 'b', T0 + HOUR);
    tracker.expire(T0 + 3 * HOUR, T0 + 6 * HOUR);
    expect(sourcesOf(tracker)).toEqual(['p:young', 'p:old-but-reposted']);
    tracker.expire(T0 + 5 * HOUR, T0 + 8 * HOUR);
    expect(sourcesOf(tracker)).toEqual([]);
  });
});

describe('repost rings', { timeout: 60_000 }, () => {
  it('flags accounts reposting the same sources within seconds, again and again, with the sources', () => {
    const random = rng(21);
    const events: TagEvent[] = [...organicPosts('ring', 22, 400, 3 * 3_600_000)];
    for (let p = 0; p < 6; p++) {
      const source = `seed-${p % 2}`;
      const at = T0 + 10 * MIN + p * 20 * MIN;
      events.push(tagEvent('ring', { id: `seedpost-${p}`, author: source, ts: at, text: randomText(random, 12), ageDays: 900, followers: 800 }));
      for (let m = 0; m < 15; m++) {
        if (random() < 0.8) {
          events.push(tagEvent('ring', { id: `rp-${p}-${m}`, author: `ring-${m}`, ts: at + 2_000 + Math.floor(random() * 20_000), kind: 'repost', parentId: `seedpost-${p}`, ageDays: 20, followers: 10 }));
        }
      }
    }
    const flags = latest(coordinated(run(new CoordinationDetector(), ordered(events))));
    expect(flags).toHaveLength(1);
    const authors = flags[0]!.authors;
    expect(authors).toContain('seed-0');
    expect(authors).toContain('seed-1');
    expect(authors.filter((a) => a.startsWith('ring-')).length).toBeGreaterThanOrEqual(13);
    expect(authors.every((a) => a.startsWith('ring-') || a.startsWith('seed-'))).toBe(true);
    expect(flags[0]!.signals['ring_pairs']).toBeGreaterThan(0);
  });

  it('does not flag a celebrity post reposted by thousands within minutes', () => {
    const random = rng(23);
    const events: TagEvent[] = [tagEvent('star', { id: 'celeb-post', author: 'celebrity', ts: T0, text: randomText(random, 10), followers: 9_000_000 })];
    for (let i = 0; i < 3_000; i++) {
      const delay = Math.floor(-Math.log(1 - random()) * 3 * MIN);
      events.push(tagEvent('star', { id: `rt-${i}`, author: `fan-${i}`, ts: T0 + 1_000 + delay, kind: 'repost', parentId: 'celeb-post', followers: 20 + Math.floor(random() * 500) }));
    }
    events.push(...organicPosts('star', 24, 300, 60 * MIN));
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });

  /** A ring of 15: at each source post, most members repost it within `minDelayMs` + 0 to `spreadMs`. */
  function ring(ageDays: number, followers: number, seed: number, minDelayMs = 3_000, spreadMs = 27_000): TagEvent[] {
    const random = rng(seed);
    const events: TagEvent[] = [...organicPosts('ring', seed + 1, 200, 2 * 3_600_000)];
    for (let p = 0; p < 3; p++) {
      const at = T0 + 10 * MIN + p * 25 * MIN;
      events.push(tagEvent('ring', { id: `seedpost-${p}`, author: 'seed-0', ts: at, text: randomText(random, 12), ageDays: 900, followers: 800 }));
      for (let m = 0; m < 15; m++) {
        if (random() < 0.85) {
          events.push(tagEvent('ring', { id: `rp-${p}-${m}`, author: `ring-${m}`, ts: at + minDelayMs + Math.floor(random() * spreadMs), kind: 'repost', parentId: `seedpost-${p}`, ageDays: ageDays + m, followers }));
        }
      }
    }
    return ordered(events);
  }

  it('flags a ring of young, low-follower accounts at its first source post, then revises the flag as ring pairs confirm it', () => {
    const flags = coordinated(run(new CoordinationDetector(), ring(12, 4, 25)));
    expect(flags.length).toBeGreaterThan(1);
    const first = flags[0]!;
    // Within a minute of the first source post, before the second one exists.
    expect(first.detectedAt).toBeLessThanOrEqual(T0 + 11 * MIN);
    expect(first.revision).toBe(0);
    expect(first.signals['swarm_accounts']).toBeGreaterThanOrEqual(8);
    expect(first.signals['ring_pairs']).toBe(0);
    expect(first.authors).toContain('seed-0');
    expect(JSON.parse(first.evidence).summary).toContain('reposted the same post of 1 source account within seconds of each other');
    const last = flags[flags.length - 1]!;
    expect(last.flagId).toBe(first.flagId);
    expect(last.revision).toBeGreaterThan(0);
    expect(last.signals['ring_pairs']).toBeGreaterThan(0);
  });

  it('flags a ring of established accounts at its first source post when its swarm is closed (all reposts within 30 s, then none)', () => {
    const flags = coordinated(run(new CoordinationDetector(), ring(800, 400, 26)));
    expect(flags.length).toBeGreaterThan(0);
    const first = flags[0]!;
    // Judged once the 90 s window is over, well before the second source post (35 min).
    expect(first.detectedAt).toBeGreaterThanOrEqual(T0 + 10 * MIN + 90_000);
    expect(first.detectedAt).toBeLessThanOrEqual(T0 + 12 * MIN);
    expect(first.signals['swarm_accounts']).toBeGreaterThanOrEqual(8);
    expect(first.authors.every((a) => a.startsWith('ring-') || a === 'seed-0')).toBe(true);
  });

  it('waits for the second source post when established reposters keep coming over the window (any popular post)', () => {
    // Reposts spread evenly over 3 s to 3 min: each part of the window brings as many as the one before.
    const flags = coordinated(run(new CoordinationDetector(), ring(800, 400, 27, 3_000, 177_000)));
    expect(flags.length).toBeGreaterThan(0);
    expect(flags[0]!.detectedAt).toBeGreaterThan(T0 + 35 * MIN);
    expect(flags[0]!.signals['ring_pairs']).toBeGreaterThan(0);
  });

  it('does not take a news outlet post reposted by nine people within seconds, then by nobody, as a closed swarm', () => {
    // A breaking-news crowd moves on to newer posts fast: one outlet post's reposts can come all at
    // once and stop (the simulator's news crowds did, with 8–9 reposters). Readers with few followers
    // weigh the swarm up: with the bar lowered to nine it would be flagged.
    const random = rng(30);
    const events: TagEvent[] = [...organicPosts('quake', 31, 400, 60 * MIN)];
    events.push(tagEvent('quake', { id: 'outlet-post', author: 'outlet', ts: T0 + 20 * MIN, text: randomText(random, 12), ageDays: 4_000, followers: 900_000 }));
    for (let i = 0; i < 9; i++) {
      events.push(tagEvent('quake', { id: `rt-${i}`, author: `reader-${i}`, ts: T0 + 20 * MIN + 2_000 + Math.floor(random() * 25_000), kind: 'repost', parentId: 'outlet-post', ageDays: 300 + 40 * i, followers: 5 + 5 * i }));
    }
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
    // The same nine reposts are a closed swarm when the bar is lowered to them.
    const lowered = coordinated(run(new CoordinationDetector({ swarm: { closedMinAccounts: 9 } }), ordered(events)));
    expect(lowered.length).toBeGreaterThan(0);
  });

  it('does not take a celebrity post whose first reposts come fast as a closed swarm (its audience keeps coming)', () => {
    // Lognormal delays, median 90 s: dozens within 45 s, then more in the next 45 s, for minutes.
    const random = rng(28);
    const events: TagEvent[] = [tagEvent('album', { id: 'celeb-post', author: 'celebrity', ts: T0, text: randomText(random, 10), ageDays: 3_000, followers: 5_000_000 })];
    for (let i = 0; i < 1_500; i++) {
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const delay = Math.max(2_000, Math.round(90_000 * Math.exp(normal)));
      events.push(tagEvent('album', { id: `rt-${i}`, author: `fan-${i}`, ts: T0 + delay, kind: 'repost', parentId: 'celeb-post', ageDays: 400 + i, followers: 300 }));
    }
    events.push(...organicPosts('album', 29, 200, 60 * MIN));
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });
});
