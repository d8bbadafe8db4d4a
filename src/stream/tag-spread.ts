import { CascadeForest, type CascadeFigures, type CascadeForestState } from './cascade-forest.ts';
import { MINUTE, type SpreadOptions } from './options.ts';

/** One of the first authors on a tag, with their first post. */
export interface FirstPoster {
  authorId: string;
  postId: string;
  ts: number;
}

/** Spread of a tag over a trailing window of event time. */
export interface RollingSpread {
  windowMinutes: number;
  posts: number;
  reposts: number;
  uniqueAuthors: number;
  cascades: CascadeFigures;
}

/** JSON form of a TagSpread. */
export interface TagSpreadState {
  f: Array<[string, string, number]>;
  ms: [number, number];
  d: number[];
  co: Array<[string, number]>;
  ra: Array<[number, number]>;
  h: Array<[number, number, number]>;
  cf?: CascadeForestState;
}

/** Trailing windows reported, in minutes. */
export const ROLLING_WINDOWS = [5, 10, 15, 60] as const;
const LONGEST_WINDOW_MS = 60 * MINUTE;

/**
 * How far one tag has spread: first posters, milestones, author doubling, co-occurring tags,
 * trailing-window author and post counts, and its cascades. Memory is O(60 minutes of authors)
 * plus small fixed lists.
 */
export class TagSpread {
  readonly #opts: SpreadOptions;
  readonly firstPosters: FirstPoster[] = [];
  /** Event time the tag reached 100 and 1,000 posts (NaN until then). */
  milestones: [number, number] = [Number.NaN, Number.NaN];
  /** doublings[k] = event time the tag reached 2^k unique authors. */
  readonly doublings: number[] = [];
  /** Space-saving summary of co-occurring tags (twice the reported number is tracked). */
  readonly coTags = new Map<string, number>();
  /** Author hash → last event time seen, oldest first (trailing-window unique authors). */
  readonly recentAuthors = new Map<number, number>();
  /** Closed minutes of the last hour with posts: [minute, posts, reposts]. */
  readonly history: Array<[number, number, number]> = [];
  cascades: CascadeForest | undefined;

  constructor(opts: SpreadOptions) {
    this.#opts = opts;
  }

  /**
   * One released event. `totalPosts` and `uniqueAuthors` are the tag's cumulative counts after it;
   * `newAuthor` whether it is the author's first post on the tag.
   */
  observe(
    ts: number,
    authorId: string,
    authorHash: number,
    postId: string,
    newAuthor: boolean,
    totalPosts: number,
    uniqueAuthors: number,
    coTags: readonly string[],
    cascade: { key: string; parentKey: string } | undefined,
  ): void {
    if (newAuthor) {
      if (this.firstPosters.length < this.#opts.firstPosters) this.firstPosters.push({ authorId, postId, ts });
      if ((uniqueAuthors & (uniqueAuthors - 1)) === 0) this.doublings.push(ts);
    }
    if (totalPosts === 100) this.milestones[0] = ts;
    else if (totalPosts === 1_000) this.milestones[1] = ts;
    this.recentAuthors.delete(authorHash);
    this.recentAuthors.set(authorHash, ts);
    for (const other of coTags) this.#countCoTag(other);
    if (cascade !== undefined) {
      this.cascades ??= new CascadeForest(this.#opts);
      this.cascades.add(cascade.key, cascade.parentKey, ts);
    }
  }

  /** A minute of the tag closed with these counts; `now` is its end. Drops what left the longest window. */
  closeMinute(minute: number, posts: number, reposts: number, now: number): void {
    if (posts > 0) this.history.push([minute, posts, reposts]);
    this.expire(now);
  }

  expire(now: number): void {
    const cutoff = now - LONGEST_WINDOW_MS;
    while (this.history.length > 0 && (this.history[0] as [number, number, number])[0] < cutoff) this.history.shift();
    for (const [h, ts] of this.recentAuthors) {
      if (ts >= cutoff) break;
      this.recentAuthors.delete(h);
    }
    this.cascades?.expire(now);
  }

  /** Authors seen in the `minutes` before `now`. */
  authorsSince(since: number): number {
    let n = 0;
    for (const ts of this.recentAuthors.values()) if (ts >= since) n++;
    return n;
  }

  rolling(now: number, windowMinutes: number, open: { posts: number; reposts: number }): RollingSpread {
    const since = now - windowMinutes * MINUTE;
    let posts = open.posts;
    let reposts = open.reposts;
    for (const [m, p, r] of this.history) {
      if (m >= since) {
        posts += p;
        reposts += r;
      }
    }
    return {
      windowMinutes,
      posts,
      reposts,
      uniqueAuthors: this.authorsSince(since),
      cascades: this.cascades?.figures(since, false) ?? { count: 0, largest: 0, maxDepth: 0, virality: 0 },
    };
  }

  /** Time between reaching the last two powers of two of unique authors (NaN below 16 authors). */
  get authorDoublingMs(): number {
    const k = this.doublings.length - 1;
    if (k < 4) return Number.NaN;
    return (this.doublings[k] as number) - (this.doublings[k - 1] as number);
  }

  topCoTags(): Array<{ tag: string; count: number }> {
    return [...this.coTags]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, this.#opts.coTags)
      .map(([tag, count]) => ({ tag, count }));
  }

  get bytes(): number {
    let b = 300 + this.recentAuthors.size * 40 + this.history.length * 60 + this.doublings.length * 8;
    for (const p of this.firstPosters) b += 80 + 2 * (p.authorId.length + p.postId.length);
    for (const t of this.coTags.keys()) b += 50 + 2 * t.length;
    return b + (this.cascades?.bytes ?? 0);
  }

  toJSON(): TagSpreadState {
    const state: TagSpreadState = {
      f: this.firstPosters.map((p) => [p.authorId, p.postId, p.ts]),
      ms: this.milestones,
      d: this.doublings,
      co: [...this.coTags],
      ra: [...this.recentAuthors],
      h: this.history,
    };
    if (this.cascades !== undefined) state.cf = this.cascades.toJSON();
    return state;
  }

  static fromJSON(state: TagSpreadState, opts: SpreadOptions): TagSpread {
    const s = new TagSpread(opts);
    for (const [authorId, postId, ts] of state.f) s.firstPosters.push({ authorId, postId, ts });
    s.milestones = [state.ms[0] ?? Number.NaN, state.ms[1] ?? Number.NaN];
    s.doublings.push(...state.d);
    for (const [t, n] of state.co) s.coTags.set(t, n);
    for (const [h, ts] of state.ra) s.recentAuthors.set(h, ts);
    s.history.push(...state.h);
    if (state.cf !== undefined) s.cascades = CascadeForest.fromJSON(state.cf, opts);
    return s;
  }

  #countCoTag(tag: string): void {
    const n = this.coTags.get(tag);
    if (n !== undefined) {
      this.coTags.set(tag, n + 1);
      return;
    }
    const capacity = 2 * this.#opts.coTags;
    if (capacity === 0) return;
    if (this.coTags.size < capacity) {
      this.coTags.set(tag, 1);
      return;
    }
    // Space-saving: the new tag takes the place of the least counted one and inherits its count.
    let minTag = '';
    let min = Number.POSITIVE_INFINITY;
    for (const [t, c] of this.coTags) {
      if (c < min) {
        min = c;
        minTag = t;
      }
    }
    this.coTags.delete(minTag);
    this.coTags.set(tag, min + 1);
  }
}
