import { describe, expect, it } from 'vitest';
import type { TagEvent } from '../../../src/model/index.ts';
import { CoordinationDetector } from '../../../src/stream/coordination/index.ts';
import { T0, coordinated, latest, ordered, rng, run, tagEvent } from './tag-event-builder.ts';

const MIN = 60_000;

/**
 * Texts from one skeleton: each slot picks one of a few wordings. About 1 pair of texts in 16 is
 * a paraphrase (Jaccard 0.3–0.6), 1 in 1,000 a near-duplicate.
 */
const BAKERY = [
  ['honestly', 'to be fair', 'not gonna lie', 'ok so', 'reminder', 'hot take'],
  ['the new bakery downtown', 'that bakery on main street', 'the bakery by the station', 'our corner bakery', 'the little bakery near the park'],
  ['makes the best', 'has really good', 'sells amazing', 'does great', 'bakes incredible'],
  ['sourdough', 'croissants', 'cinnamon rolls', 'rye bread', 'bagels', 'baguettes'],
  ['every single morning', 'on weekends', 'all week long', 'before nine', 'fresh at dawn'],
  ['you should go', 'go try it', 'worth the queue', 'highly recommend', 'trust me', 'thank me later'],
  ['with coffee', 'for breakfast', 'with the kids', 'after the gym', ''],
];

const SCRIPT = [
  ['breaking', 'read this', 'they hid it', 'nobody reports this'],
  ['the mayor', 'the city council', 'officials at city hall'],
  ['quietly moved', 'secretly transferred', 'diverted'],
  ['(42 million dollars)'],
  ['to a private fund', 'into an offshore account', 'to friends of the council'],
  ['share before it is deleted', 'spread the word', 'ask your representative', 'wake up'],
];

function stock(random: () => number, skeleton: readonly (readonly string[])[]): string {
  return skeleton.map((slot) => slot[Math.floor(random() * slot.length)] as string).join(' ');
}

/**
 * A tag whose people write alike: for 4.5 hours someone posts a stock phrase about the bakery
 * every minute (270 different people: nobody here posts twice, so the tag's own rate is learned
 * without anyone to link), and after 2.5 hours three prolific fans join, posting at irregular
 * intervals (8 minutes on average) for 2 more hours.
 */
function bakeryTag(): { events: TagEvent[]; fans: string[] } {
  const random = rng(51);
  const events: TagEvent[] = [];
  for (let i = 0; i < 270; i++) {
    events.push(tagEvent('bakery', { id: `o${i}`, author: `local-${i}`, ts: T0 + i * MIN + Math.floor(random() * 50_000), text: stock(random, BAKERY) }));
  }
  const fans = ['fan-a', 'fan-b', 'fan-c'];
  for (const fan of fans) {
    let ts = T0 + 150 * MIN;
    for (let k = 0; k < 15; k++) {
      ts += Math.floor(-Math.log(1 - random()) * 8 * MIN);
      events.push(tagEvent('bakery', { id: `${fan}-${k}`, author: fan, ts, text: stock(random, BAKERY) }));
    }
  }
  return { events: ordered(events), fans };
}

describe('paraphrase networks', { timeout: 60_000 }, () => {
  it('learns the tag’s own paraphrase rate: prolific fans on a tag where everyone writes alike are not a network', () => {
    const { events } = bakeryTag();
    expect(coordinated(run(new CoordinationDetector(), events))).toEqual([]);
  });

  it('would flag them with a fixed background rate (the rate must be the tag’s own)', () => {
    const { events, fans } = bakeryTag();
    // A prior weight so large that the tag never moves the rate off 0.002.
    const fixed = latest(coordinated(run(new CoordinationDetector({ paraphrase: { priorComparisons: 1e12 } }), events)));
    expect(fixed.length).toBeGreaterThan(0);
    expect(fixed[0]!.authors).toEqual(expect.arrayContaining(fans));
    expect(fixed[0]!.signals['paraphrase_pairs']).toBeGreaterThan(0);
  });

  it('finds accounts that post paraphrases of one script episode after episode on a fresh tag', () => {
    const random = rng(52);
    const members = Array.from({ length: 20 }, (_, i) => `net-${i}`);
    const events: TagEvent[] = [];
    for (let e = 0; e < 4; e++) {
      for (const member of members) {
        if (random() < 0.8) {
          events.push(tagEvent('cityfunds', { id: `${member}-${e}`, author: member, ts: T0 + e * 20 * MIN + Math.floor(random() * 6 * MIN), text: stock(random, SCRIPT), ageDays: 200 }));
        }
      }
    }
    const random2 = rng(53);
    for (let i = 0; i < 40; i++) {
      events.push(tagEvent('cityfunds', { id: `o${i}`, author: `resident-${i}`, ts: T0 + Math.floor(random2() * 80 * MIN), text: stock(random2, BAKERY) }));
    }
    const flags = latest(coordinated(run(new CoordinationDetector(), ordered(events))));
    expect(flags).toHaveLength(1);
    const flag = flags[0]!;
    expect(flag.signals['paraphrase_accounts']).toBeGreaterThanOrEqual(10);
    expect(flag.authors.every((a) => a.startsWith('net-'))).toBe(true);
    expect(JSON.parse(flag.evidence).summary).toContain('paraphrases of the same message');
  });

  it('flags a network within its first episode: one skeleton posted by many accounts within minutes', () => {
    const random = rng(54);
    const events: TagEvent[] = [];
    const start = T0 + 30 * MIN;
    for (let m = 0; m < 24; m++) {
      events.push(tagEvent('cityfunds', { id: `net-${m}-0`, author: `net-${m}`, ts: start + Math.floor(random() * 5 * MIN), text: stock(random, SCRIPT), ageDays: 400, followers: 300 }));
    }
    const random2 = rng(55);
    for (let i = 0; i < 60; i++) {
      events.push(tagEvent('cityfunds', { id: `o${i}`, author: `resident-${i}`, ts: T0 + Math.floor(random2() * 90 * MIN), text: stock(random2, BAKERY) }));
    }
    const flags = coordinated(run(new CoordinationDetector(), ordered(events)));
    expect(flags.length).toBeGreaterThan(0);
    // One episode only: the pair test (two links per pair) could never fire.
    expect(flags[0]!.detectedAt).toBeLessThanOrEqual(start + 6 * MIN);
    expect(flags[0]!.signals['paraphrase_accounts']).toBeGreaterThanOrEqual(6);
    const authors = latest(flags)[0]!.authors;
    expect(authors.every((a) => a.startsWith('net-'))).toBe(true);
  });

  /**
   * A live event: people write alike (stock phrases, about 1 pair in 16 a paraphrase) for an hour
   * and a half at one post a minute, then 600 of them within 15 minutes.
   */
  function liveCrowd(): TagEvent[] {
    const random = rng(56);
    const events: TagEvent[] = [];
    for (let i = 0; i < 90; i++) {
      events.push(tagEvent('finalnight', { id: `w${i}`, author: `early-${i}`, ts: T0 + i * MIN + Math.floor(random() * 50_000), text: stock(random, BAKERY), ageDays: 300 + i, followers: 200 }));
    }
    for (let i = 0; i < 600; i++) {
      events.push(tagEvent('finalnight', { id: `o${i}`, author: `viewer-${i}`, ts: T0 + 90 * MIN + Math.floor(random() * 15 * MIN), text: stock(random, BAKERY), ageDays: 500 + i, followers: 200 }));
    }
    return ordered(events);
  }

  it('does not take a crowd writing alike at a live event as a first-episode network', () => {
    // Every text paraphrases a few percent of the window's others, far below a network's share.
    expect(coordinated(run(new CoordinationDetector(), liveCrowd()))).toEqual([]);
  });
});
