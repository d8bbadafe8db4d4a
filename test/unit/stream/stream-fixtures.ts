import type { BusRecord, Producer, StreamName, StreamValues, TagStateSnapshot } from '../../../src/bus/index.ts';
import type { Flag, PostKind, TagEvent, TagMinute } from '../../../src/model/index.ts';
import type { AnalyzeStage } from '../../../src/stream/index.ts';

export const T0 = Date.UTC(2017, 4, 5, 18, 0, 0);
export const MIN = 60_000;

export interface EventSpec {
  id?: string;
  author?: string;
  kind?: PostKind;
  parentId?: string;
  followers?: number;
  createdTs?: number;
  lang?: string;
  platform?: string;
  /** All tags of the post (the event's own tag is added first when missing). */
  tags?: string[];
}

let seq = 0;

/** One (post, tag) event at event time `ts`. */
export function tagEvent(tag: string, ts: number, spec: EventSpec = {}): TagEvent {
  const id = spec.id ?? `p${++seq}`;
  const tags = spec.tags ?? [tag];
  if (!tags.includes(tag)) tags.unshift(tag);
  const post: TagEvent['post'] = {
    platform: spec.platform ?? 'x',
    id,
    author: { id: spec.author ?? `a-${id}` },
    ts,
    text: `post ${id} #${tag}`,
    tags,
    tagDisplay: tags,
    kind: spec.kind ?? 'original',
  };
  if (spec.followers !== undefined) post.author.followers = spec.followers;
  if (spec.createdTs !== undefined) post.author.createdTs = spec.createdTs;
  if (spec.lang !== undefined) post.lang = spec.lang;
  if (spec.parentId !== undefined) post.parentId = spec.parentId;
  return { tag, display: tag, post };
}

/** A producer that keeps what it is sent, per stream, in order. */
export class RecordingProducer implements Producer {
  readonly sent = new Map<StreamName, BusRecord[]>();

  send<S extends StreamName>(stream: S, records: ReadonlyArray<BusRecord<S>>): Promise<void> {
    const list = this.sent.get(stream) ?? [];
    list.push(...(records as ReadonlyArray<BusRecord>));
    this.sent.set(stream, list);
    return Promise.resolve();
  }

  values<S extends StreamName>(stream: S): Array<StreamValues[S]> {
    return (this.sent.get(stream) ?? []).map((r) => r.value as StreamValues[S]);
  }

  get metrics(): TagMinute[] {
    return this.values('metrics');
  }

  get flags(): Flag[] {
    return this.values('flags');
  }

  /** The latest checkpoint per key (what a compacted topic or ReplacingMergeTree keeps); tombstones drop the key. */
  latestState(): TagStateSnapshot[] {
    const latest = new Map<string, TagStateSnapshot | null>();
    for (const r of this.sent.get('analyze-state') ?? []) {
      latest.delete(r.key);
      latest.set(r.key, r.value as TagStateSnapshot | null);
    }
    return [...latest.values()].filter((v): v is TagStateSnapshot => v !== null);
  }
}

/** Feeds events in batches of `batchSize` (or the given split sizes) and optionally flushes as final. */
export async function feed(stage: AnalyzeStage, out: Producer, events: readonly TagEvent[], batchSize: number | number[], final = true): Promise<void> {
  let i = 0;
  let b = 0;
  while (i < events.length) {
    const size = typeof batchSize === 'number' ? batchSize : (batchSize[b++ % batchSize.length] as number);
    const chunk = events.slice(i, i + Math.max(1, size));
    i += chunk.length;
    await stage.process({ stream: 'tag-events', partition: 0, records: chunk.map((e) => ({ key: e.tag, value: e })) }, out);
  }
  if (final) await stage.flush(out, true);
}

/** Final rows per (tag, minute): the highest revision wins, as in the store. */
export function finalMinutes(rows: readonly TagMinute[]): TagMinute[] {
  const best = new Map<string, TagMinute>();
  for (const r of rows) {
    const k = `${r.tag}@${r.minute}`;
    const cur = best.get(k);
    if (cur === undefined || r.revision > cur.revision) best.set(k, r);
  }
  return [...best.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : a.minute - b.minute));
}

/** Final flags per id (highest revision). */
export function finalFlags(flags: readonly Flag[]): Flag[] {
  const best = new Map<string, Flag>();
  for (const f of flags) {
    const cur = best.get(f.flagId);
    if (cur === undefined || f.revision > cur.revision) best.set(f.flagId, f);
  }
  return [...best.values()].sort((a, b) => a.detectedAt - b.detectedAt || (a.flagId < b.flagId ? -1 : 1));
}

/** A deterministic PRNG (mulberry32) for test streams. */
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

/**
 * A seeded synthetic stream: `tags` background tags posting at Poisson rates between 0.2 and 3
 * posts/min from a pool of authors, plus optional bursts (extra posts by many authors on a tag).
 * Events come in event-time order.
 */
export function syntheticStream(opts: {
  seed: number;
  minutes: number;
  tags?: number;
  bursts?: Array<{ tag: string; fromMinute: number; toMinute: number; perMinute: number }>;
}): TagEvent[] {
  const random = rng(opts.seed);
  const events: TagEvent[] = [];
  const tags = opts.tags ?? 20;
  let n = 0;
  const poisson = (lambda: number): number => {
    let k = 0;
    let p = Math.exp(-lambda);
    let s = p;
    const u = random();
    while (u > s && k < 10_000) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  };
  for (let m = 0; m < opts.minutes; m++) {
    for (let t = 0; t < tags; t++) {
      const rate = 0.2 + (2.8 * t) / Math.max(1, tags - 1);
      const count = poisson(rate);
      for (let i = 0; i < count; i++) {
        const ts = T0 + m * MIN + Math.floor(random() * MIN);
        events.push(tagEvent(`bg${t}`, ts, { id: `s${opts.seed}-${++n}`, author: `u${Math.floor(random() * 300)}`, kind: random() < 0.3 ? 'repost' : 'original' }));
      }
    }
    for (const b of opts.bursts ?? []) {
      if (m < b.fromMinute || m >= b.toMinute) continue;
      const count = poisson(b.perMinute);
      for (let i = 0; i < count; i++) {
        const ts = T0 + m * MIN + Math.floor(random() * MIN);
        events.push(tagEvent(b.tag, ts, { id: `s${opts.seed}-${++n}`, author: `b${Math.floor(random() * 5_000)}`, kind: random() < 0.6 ? 'repost' : 'original' }));
      }
    }
  }
  return events.sort((a, b) => a.post.ts - b.post.ts || (a.post.id < b.post.id ? -1 : 1));
}

/** Shuffles events locally: each moves by up to `maxShiftMs` of event time (arrival disorder). */
export function jitter(events: readonly TagEvent[], seed: number, maxShiftMs: number): TagEvent[] {
  const random = rng(seed);
  return events
    .map((e) => ({ e, at: e.post.ts + random() * maxShiftMs }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.e);
}
