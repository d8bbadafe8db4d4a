import { EventEmitter } from 'node:events';
import { Streams, type BusRecord, type RecordBatch, type Stage } from '../bus/index.ts';
import { FlagKinds, type Flag, type TagMinute } from '../model/index.ts';
import type { LiveFeedOptions } from './options.ts';
import { TrendRankings, type LiveFeedEvents, type TrendRanking, type TrendingTag } from './types.ts';

const SPARKLINE_MINUTES = 30;

interface TagEntry {
  latest: TagMinute;
  recent: number[];
  flags: Map<string, Flag>;
}

/**
 * A read-only tap on the analyze output for the live views (terminal, web UI): the latest
 * minute of each recently active tag and the newest flags, in bounded memory. It writes nothing
 * and never slows the pipeline beyond keeping these maps.
 */
export class LiveFeedStage extends EventEmitter<LiveFeedEvents> implements Stage {
  readonly name = 'live';
  readonly inputs = [Streams.metrics, Streams.flags] as const;
  readonly #options: LiveFeedOptions;
  readonly #tags = new Map<string, TagEntry>();
  readonly #flags: Flag[] = [];
  #watermark = 0;

  constructor(options: LiveFeedOptions) {
    super();
    this.#options = options;
  }

  async process(batch: RecordBatch): Promise<void> {
    if (batch.stream === Streams.metrics) {
      for (const record of batch.records as ReadonlyArray<BusRecord<'metrics'>>) this.#onMinute(record.value);
    } else {
      for (const record of batch.records as ReadonlyArray<BusRecord<'flags'>>) this.#onFlag(record.value);
    }
  }

  /** Event time of the newest minute seen (epoch ms). */
  watermark(): number {
    return this.#watermark;
  }

  /** Tags active within the trending horizon, best first by `ranking`. */
  top(limit: number, ranking: TrendRanking = TrendRankings.velocity): TrendingTag[] {
    const horizon = this.#watermark - this.#options.trendingHorizonMs;
    const out: TrendingTag[] = [];
    for (const [tag, entry] of this.#tags) {
      if (entry.latest.minute < horizon) continue;
      out.push(this.#view(tag, entry));
    }
    const key = rankingKey(ranking);
    out.sort((a, b) => key(b) - key(a) || a.tag.localeCompare(b.tag));
    return out.slice(0, limit);
  }

  tag(tag: string): TrendingTag | undefined {
    const entry = this.#tags.get(tag);
    return entry === undefined ? undefined : this.#view(tag, entry);
  }

  /** Newest flags first (latest revision of each flag id). */
  recentFlags(limit: number): Flag[] {
    return this.#flags.slice(-limit).reverse();
  }

  async close(): Promise<void> {
    this.removeAllListeners();
  }

  #onMinute(row: TagMinute): void {
    if (row.minute > this.#watermark) this.#watermark = row.minute;
    let entry = this.#tags.get(row.tag);
    if (entry === undefined) {
      entry = { latest: row, recent: [], flags: new Map() };
    } else {
      this.#tags.delete(row.tag);
    }
    // A revision of an already-seen minute replaces its count rather than adding a point.
    if (row.minute === entry.latest.minute && entry.recent.length > 0) entry.recent[entry.recent.length - 1] = row.posts;
    else if (row.minute >= entry.latest.minute) entry.recent.push(row.posts);
    if (entry.recent.length > SPARKLINE_MINUTES) entry.recent.shift();
    if (row.minute >= entry.latest.minute) entry.latest = row;
    this.#tags.set(row.tag, entry);
    if (this.#tags.size > this.#options.maxTags) {
      const oldest = this.#tags.keys().next().value as string;
      this.#tags.delete(oldest);
    }
    this.emit('minute', row);
  }

  #onFlag(flag: Flag): void {
    const index = this.#flags.findIndex((f) => f.flagId === flag.flagId);
    if (index !== -1) {
      if ((this.#flags[index] as Flag).revision > flag.revision) return;
      this.#flags.splice(index, 1);
    }
    this.#flags.push(flag);
    if (this.#flags.length > this.#options.maxFlags) this.#flags.shift();
    const entry = this.#tags.get(flag.tag);
    entry?.flags.set(flag.flagId, flag);
    this.emit('flag', flag);
  }

  #view(tag: string, entry: TagEntry): TrendingTag {
    const horizon = this.#watermark - this.#options.trendingHorizonMs;
    const flags = [...entry.flags.values()].filter((f) => f.windowEnd >= horizon).sort((a, b) => b.detectedAt - a.detectedAt);
    const coordinationScore = flags.filter((f) => f.kind === FlagKinds.coordinated).reduce((m, f) => Math.max(m, f.score), 0);
    return { tag, latest: entry.latest, recent: [...entry.recent], flags, coordinationScore };
  }
}

function rankingKey(ranking: TrendRanking): (t: TrendingTag) => number {
  switch (ranking) {
    case TrendRankings.zscore:
      return (t) => t.latest.zscore;
    case TrendRankings.authors:
      return (t) => t.latest.uniqueAuthors;
    case TrendRankings.coordination:
      return (t) => t.coordinationScore;
    default:
      return (t) => t.latest.velocity;
  }
}
