import type { Flag, PostKind, TagEvent } from '../../../src/model/index.ts';
import type { TagDetector } from '../../../src/stream/detector.ts';

export const T0 = Date.parse('2024-05-06T12:00:00.000Z');
export const DAY = 86_400_000;
const WORDS =
  'apple river stone cloud market garden window yellow quiet rapid music winter summer forest bridge coffee paper silver orange island mountain pencil rocket planet candle doctor engine jacket ladder marble needle ocean pepper quartz saddle tunnel violet wagon zebra anchor basket cactus dragon falcon glacier harbor igloo jungle kettle lemon meadow nectar'.split(
    ' ',
  );

/** A small deterministic PRNG (mulberry32) for hand-built streams. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomText(random: () => number, words = 10): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)] as string);
  return out.join(' ');
}

export interface EventSpec {
  id: string;
  author: string;
  ts: number;
  text?: string;
  kind?: PostKind;
  parentId?: string;
  /** Account age at T0 in days (default: an established account of 1 to 12 years, from its id). */
  ageDays?: number;
  followers?: number;
}

export function tagEvent(tag: string, spec: EventSpec): TagEvent {
  const post: TagEvent['post'] = {
    platform: 'test',
    id: spec.id,
    author: { id: spec.author, createdTs: T0 - (spec.ageDays ?? establishedAgeDays(spec.author)) * DAY, followers: spec.followers ?? 300 },
    ts: spec.ts,
    text: spec.text ?? '',
    tags: [tag],
    tagDisplay: [tag],
    kind: spec.kind ?? 'original',
  };
  if (spec.parentId !== undefined) post.parentId = spec.parentId;
  return { tag, display: tag, post };
}

function establishedAgeDays(author: string): number {
  let h = 7;
  for (let i = 0; i < author.length; i++) h = (Math.imul(h, 31) + author.charCodeAt(i)) >>> 0;
  return 365 + (h % (11 * 365));
}

/** Sorts by event time then post id, as the analyze stage releases events. */
export function ordered(events: TagEvent[]): TagEvent[] {
  return [...events].sort((a, b) => a.post.ts - b.post.ts || (a.post.id < b.post.id ? -1 : a.post.id > b.post.id ? 1 : 0));
}

/**
 * Feeds events to a detector the way the analyze stage does: in order, advancing the tag's clock
 * at every minute boundary (or every `advanceEveryMs`), and (`finish`) a final advance past the end.
 */
export function run(detector: TagDetector, events: readonly TagEvent[], advanceEveryMs = 60_000, finish = true): Flag[] {
  const flags: Flag[] = [];
  const nextAdvance = new Map<string, number>();
  for (const event of events) {
    const tag = event.tag;
    let next = nextAdvance.get(tag) ?? (Math.floor(event.post.ts / advanceEveryMs) + 1) * advanceEveryMs;
    while (next <= event.post.ts) {
      flags.push(...detector.advance(tag, next, undefined));
      next += advanceEveryMs;
    }
    nextAdvance.set(tag, next);
    flags.push(...detector.observe(event));
  }
  if (finish) for (const [tag, next] of nextAdvance) flags.push(...detector.advance(tag, next + 3_600_000, undefined));
  return flags;
}

/** Organic background: `count` independent established accounts posting random texts over `spanMs`. */
export function organicPosts(tag: string, seed: number, count: number, spanMs: number, prefix = 'org'): TagEvent[] {
  const random = rng(seed);
  const events: TagEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push(
      tagEvent(tag, {
        id: `${prefix}-${i}`,
        author: `${prefix}-user-${Math.floor(random() * count * 3)}`,
        ts: T0 + Math.floor(random() * spanMs),
        text: randomText(random, 6 + Math.floor(random() * 10)),
        followers: 50 + Math.floor(random() * 5000),
      }),
    );
  }
  return events;
}

export function coordinated(flags: readonly Flag[]): Flag[] {
  return flags.filter((f) => f.kind === 'coordinated');
}

/** Latest revision of each flag id. */
export function latest(flags: readonly Flag[]): Flag[] {
  const byId = new Map<string, Flag>();
  for (const f of flags) {
    const seen = byId.get(f.flagId);
    if (seen === undefined || f.revision >= seen.revision) byId.set(f.flagId, f);
  }
  return [...byId.values()];
}
