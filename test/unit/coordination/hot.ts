import type { TagEvent } from '../../../src/model/index.ts';
import { T0, ordered, randomText, rng, tagEvent } from './tag-event-builder.ts';
const MIN = 60_000;
export function hotTagForTest(tag: string, seed: number, minutes: number, perMinute: number, crowd: number): TagEvent[] {
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

