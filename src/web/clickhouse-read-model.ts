import type { Flag, TagMinute } from '../model/index.ts';
import { queryEvidence, queryFlag, queryFlags, queryFlagsSince } from './flag-queries.ts';
import { querySpread } from './spread-queries.ts';
import { WEB_READ_SETTINGS, type StoreReader } from './store-rows.ts';
import { queryMinutesSince, querySeries, queryStatus, queryTopTags } from './tag-queries.ts';
import type {
  FlagEvidence,
  FlagsQuery,
  FlagSummary,
  ReadModel,
  SeriesQuery,
  StoreStatus,
  TagSeries,
  TagSpread,
  TopTags,
  TopTagsQuery,
} from './types.ts';

/** Buckets a series fills with zeros for silent periods (a week of minutes and then some). */
const MAX_SERIES_POINTS = 20_000;

/**
 * Answers shared for this long, in ms: every open board reloads the ranking when minutes close,
 * and many analysts watching the same board must cost one query, not one each.
 */
const SHARED_ANSWER_MS = 1_000;

/**
 * The read model on ClickHouse: the embedded store (chDB) or a server, through the store's
 * client. Read-only: it never writes.
 */
export class ClickHouseReadModel implements ReadModel {
  readonly #store: StoreReader;
  readonly #shared = new Map<string, { at: number; answer: Promise<unknown> }>();

  constructor(store: StoreReader) {
    this.#store = store;
  }

  async topTags(query: TopTagsQuery): Promise<TopTags> {
    return this.#share(`top:${query.rank}:${query.windowMinutes}:${query.limit}:${query.at ?? ''}`, async () => {
      const at = query.at ?? (await this.status()).latestMinute;
      return queryTopTags(this.#store, query, at);
    });
  }

  series(query: SeriesQuery): Promise<TagSeries | null> {
    return querySeries(this.#store, query, MAX_SERIES_POINTS);
  }

  flags(query: FlagsQuery): Promise<FlagSummary[]> {
    return queryFlags(this.#store, query);
  }

  flag(flagId: string): Promise<Flag | null> {
    return queryFlag(this.#store, flagId);
  }

  evidence(flag: Flag, samplePosts: number): Promise<Omit<FlagEvidence, 'flag' | 'evidence'>> {
    return queryEvidence(this.#store, flag, samplePosts);
  }

  spread(tag: string): Promise<TagSpread | null> {
    return querySpread(this.#store, tag);
  }

  flagsSince(since: number, limit: number): Promise<Flag[]> {
    return queryFlagsSince(this.#store, since, limit);
  }

  minutesSince(since: number, limit: number): Promise<TagMinute[]> {
    return queryMinutesSince(this.#store, since, limit);
  }

  status(): Promise<StoreStatus> {
    return this.#share('status', () => queryStatus(this.#store));
  }

  /** The same answer for identical calls within SHARED_ANSWER_MS (a failed one is not kept). */
  #share<T>(key: string, run: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.#shared.get(key);
    if (hit !== undefined && now - hit.at < SHARED_ANSWER_MS) return hit.answer as Promise<T>;
    const answer = run();
    this.#shared.set(key, { at: now, answer });
    answer.catch(() => {
      if (this.#shared.get(key)?.answer === answer) this.#shared.delete(key);
    });
    for (const [k, v] of this.#shared) if (now - v.at >= SHARED_ANSWER_MS) this.#shared.delete(k);
    return answer;
  }

  async ping(): Promise<void> {
    await this.#store.query('SELECT 1 AS ok', {}, WEB_READ_SETTINGS);
  }
}
