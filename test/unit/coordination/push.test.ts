import { describe, expect, it } from 'vitest';
import { CoordinationDetector } from '../../../src/stream/coordination/index.ts';
import type { TagEvent } from '../../../src/model/index.ts';
import { T0, coordinated, latest, ordered, organicPosts, randomText, rng, run, tagEvent } from './tag-event-builder.ts';


function regular(tag: string, author: string, everyMs: number, count: number, seed: number, offset = 0): TagEvent[] {
  const random = rng(seed);
  const events: TagEvent[] = [];
  let ts = T0 + offset;
  for (let i = 0; i < count; i++) {
    ts += Math.round(everyMs * (1 + (random() - 0.5) * 0.06));
    events.push(tagEvent(tag, { id: `${author}-${i}`, author, ts, text: randomText(random, 10), ageDays: 400, followers: 30 }));
  }
  return events;
}

describe('push', () => {
  it('flags a few accounts producing much of a tag at machine-regular cadence', () => {
    const events = ordered([
      ...organicPosts('push', 31, 150, 2 * 3_600_000),
      ...regular('push', 'bot-a', 60_000, 100, 32, 0),
      ...regular('push', 'bot-b', 75_000, 80, 33, 7_000),
      ...regular('push', 'bot-c', 90_000, 70, 34, 19_000),
    ]);
    const flags = latest(coordinated(run(new CoordinationDetector(), events)));
    expect(flags).toHaveLength(1);
    expect(flags[0]!.authors).toEqual(['bot-a', 'bot-b', 'bot-c']);
    expect(flags[0]!.signals['push_accounts']).toBe(3);
    expect(JSON.parse(flags[0]!.evidence).summary).toContain('machine-regular');
    expect(JSON.parse(flags[0]!.evidence).summary).not.toContain('shared interval');
  });

  it('reports a lone account pushing a tag as spam, never as coordination', () => {
    const events = ordered([...organicPosts('solo', 35, 150, 2 * 3_600_000), ...regular('solo', 'spammer', 30_000, 200, 36)]);
    const flags = run(new CoordinationDetector(), events);
    expect(coordinated(flags)).toEqual([]);
    const spam = latest(flags.filter((f) => f.kind === 'spam'));
    expect(spam).toHaveLength(1);
    expect(spam[0]!.authors).toEqual(['spammer']);
  });

  it('reports a spammer as spam even when a regular poster is around: one account carrying the push is not coordination', () => {
    // The weather bot posts every 4 minutes all day (a sliver of the tag); the spammer every 20 s.
    const events = ordered([
      ...organicPosts('rain', 39, 150, 2 * 3_600_000),
      ...regular('rain', 'weather-bot', 240_000, 30, 40),
      ...regular('rain', 'spammer', 20_000, 200, 41, 30 * 60_000),
    ]);
    const flags = run(new CoordinationDetector(), events);
    expect(coordinated(flags)).toEqual([]);
    // (The bot alone carries much of the quiet tag before the spammer comes: a spam flag of its own.)
    const spam = latest(flags.filter((f) => f.kind === 'spam'));
    expect(spam.map((f) => f.authors)).toContainEqual(['spammer']);
  });

  it('does not count accounts posting often but irregularly', () => {
    const random = rng(37);
    const events: TagEvent[] = [...organicPosts('busy', 38, 150, 2 * 3_600_000)];
    for (const author of ['fan-a', 'fan-b', 'fan-c']) {
      let ts = T0;
      for (let i = 0; i < 80; i++) {
        ts += Math.floor(-Math.log(1 - random()) * 80_000);
        events.push(tagEvent('busy', { id: `${author}-${i}`, author, ts, text: randomText(random, 10) }));
      }
    }
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });

  it('judges near-identical cadences from three posts each when the accounts carry much of the tag', () => {
    // Four accounts every 2 minutes (±1%) on a quiet tag: the full path would need a fourth post each.
    const events = ordered([
      ...organicPosts('cadence', 41, 20, 2 * 3_600_000),
      ...['bot-a', 'bot-b', 'bot-c', 'bot-d'].flatMap((bot, i) => regularTight('cadence', bot, 120_000, 10, 42 + i, 10 * 60_000 + i * 9_000)),
    ]);
    const flags = coordinated(run(new CoordinationDetector(), events));
    expect(flags.length).toBeGreaterThan(0);
    // Third posts at 10 min + 4 min (+ 9 s per account); fourth posts only from 16 min on.
    expect(flags[0]!.detectedAt).toBeLessThan(T0 + 10 * 60_000 + 2 * 120_000 + 60_000);
    expect(flags[0]!.signals['push_accounts']).toBeGreaterThanOrEqual(2);
  });

  it('does not take three posts at merely similar intervals as a push', () => {
    // Gaps within ±25 %: too loose for the three-post path, and each account stops after three posts.
    const random = rng(47);
    const events: TagEvent[] = [...organicPosts('loose', 48, 20, 2 * 3_600_000)];
    for (const [i, fan] of ['fan-a', 'fan-b', 'fan-c', 'fan-d'].entries()) {
      let ts = T0 + 10 * 60_000 + i * 9_000;
      for (let k = 0; k < 3; k++) {
        ts += Math.round(120_000 * (k === 1 ? 1.25 : 0.8) * (1 + (random() - 0.5) * 0.02));
        events.push(tagEvent('loose', { id: `${fan}-${k}`, author: fan, ts, text: randomText(random, 10) }));
      }
    }
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });
});

function regularTight(tag: string, author: string, everyMs: number, count: number, seed: number, offset: number): TagEvent[] {
  const random = rng(seed);
  const events: TagEvent[] = [];
  let ts = T0 + offset;
  for (let i = 0; i < count; i++) {
    events.push(tagEvent(tag, { id: `${author}-${i}`, author, ts, text: randomText(random, 10), ageDays: 400, followers: 30 }));
    ts += Math.round(everyMs * (1 + (random() - 0.5) * 0.02));
  }
  return events;
}


/** One account posting every `periodMs` with uniform relative jitter ±`jitter`, from `startTs`. */
function paced(tag: string, author: string, periodMs: number, jitter: number, count: number, seed: number, startTs: number): TagEvent[] {
  const random = rng(seed);
  const events: TagEvent[] = [];
  let ts = startTs;
  for (let i = 0; i < count; i++) {
    events.push(tagEvent(tag, { id: `${author}-${i}`, author, ts, text: randomText(random, 10), ageDays: 400, followers: 30 }));
    ts += Math.round(periodMs * (1 + jitter * (2 * random() - 1)));
  }
  return events;
}

describe('push: shared cadence', () => {
  const start = T0 + 20 * 60_000;
  const phases = [0, 30_000, 75_000, 110_000, 150_000];
  const ownPeriods = [1, 0.95, 1.08, 1.02, 0.92];

  it.each([
    [0.02, 61],
    [0.1, 71],
  ])('flags accounts sharing one gap, at different phases, before any three have repeated it (jitter %s)', (jitter, seed) => {
    const bots = phases.map((phase, i) => paced('shared', `bot-${i}`, 180_000 * (ownPeriods[i] as number), jitter, 12, seed + i, start + phase));
    const events = ordered([...organicPosts('shared', seed + 10, 20, 2 * 3_600_000), ...bots.flat()]);
    const flags = coordinated(run(new CoordinationDetector(), events));
    expect(flags.length).toBeGreaterThan(0);
    // The three-post paths need a third account's third post at least.
    const thirdPosts = bots.map((b) => (b[2] as TagEvent).post.ts).sort((x, y) => x - y);
    expect(flags[0]!.detectedAt).toBeLessThan(thirdPosts[2] as number);
    expect(flags[0]!.signals['push_accounts']).toBeGreaterThanOrEqual(4);
    // The first flag says what was seen: one gap shared, not each account's own machine cadence.
    expect(JSON.parse(flags[0]!.evidence).summary).toContain('at one shared interval');
    expect(JSON.parse(flags[0]!.evidence).summary).not.toContain('machine-regular');
    expect(latest(flags)[0]!.authors.every((a) => a.startsWith('bot-'))).toBe(true);
  });

  it('does not flag accounts that share a gap because they reacted to the same two moments', () => {
    // Five fans answer two moments 150 s apart within seconds each, then post once more at random:
    // equal gaps, but set by the moments, not by the accounts.
    const random = rng(81);
    const events: TagEvent[] = [...organicPosts('moments', 82, 20, 2 * 3_600_000)];
    for (let i = 0; i < 5; i++) {
      const author = `fan-${i}`;
      const times = [start + 2_000 + random() * 23_000, start + 150_000 + 2_000 + random() * 23_000, start + 450_000 + random() * 600_000];
      times.forEach((ts, k) => events.push(tagEvent('moments', { id: `${author}-${k}`, author, ts: Math.round(ts), text: randomText(random, 10) })));
    }
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });

  it('does not flag accounts posting twice at unrelated gaps', () => {
    const random = rng(91);
    const events: TagEvent[] = [...organicPosts('unrelated', 92, 20, 2 * 3_600_000)];
    [60_000, 95_000, 150_000, 240_000, 380_000].forEach((gap, i) => {
      const author = `user-${i}`;
      const first = start + (phases[i] as number);
      for (const [k, ts] of [first, first + gap].entries()) events.push(tagEvent('unrelated', { id: `${author}-${k}`, author, ts, text: randomText(random, 10) }));
    });
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });

  it('does not flag a shared gap on a busy tag, where the accounts carry little of it', () => {
    // Four young accounts posting twice at one gap, at different phases, among ~600 posts in 30 min.
    const random = rng(93);
    const events: TagEvent[] = [...organicPosts('busy-shared', 94, 2_400, 2 * 3_600_000)];
    phases.slice(0, 4).forEach((phase, i) => {
      const author = `user-${i}`;
      for (let k = 0; k < 2; k++) events.push(tagEvent('busy-shared', { id: `${author}-${k}`, author, ts: start + phase + k * 180_000, text: randomText(random, 10), ageDays: 10, followers: 5 }));
    });
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });

  it('does not flag a hot tag where thousands of posters happen to post twice', () => {
    const random = rng(95);
    const events: TagEvent[] = [...organicPosts('hot', 96, 400, 2 * 3_600_000)];
    for (let i = 0; i < 600; i++) {
      const author = `poster-${i}`;
      const first = start + Math.floor(random() * 30 * 60_000);
      const second = first + 60_000 + Math.floor(random() * 9 * 60_000);
      for (const [k, ts] of [first, second].entries()) events.push(tagEvent('hot', { id: `${author}-${k}`, author, ts, text: randomText(random, 10) }));
    }
    expect(coordinated(run(new CoordinationDetector(), ordered(events)))).toEqual([]);
  });
});
