import { CascadeForest, type CascadeFigures, type CascadeForestState } from './cascade-forest.ts';
import { CoTagCounter } from './co-tag-counter.ts';
import { RecentAuthors } from './recent-authors.ts';
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
  // Collections are created on first use: most tags have a handful of posts, and an empty Map
  // costs more than all their numbers together.
  /** The first authors with their first post, flat: [authorId, postId, ts, …] (exact size). */
  #firstPosters: Array<string | number> = [];
  /** Event time the tag reached 100 and 1,000 posts (NaN until then); undefined before 100 posts (most tags). */
  #milestones: [number, number] | undefined;
  /** doublings[k] = event time the tag reached 2^k unique authors. */
  doublings: number[] = [];
  /** Space-saving summary of co-occurring tags (twice the reported number is tracked). */
  coTags: CoTagCounter | undefined;
  /** Authors of the last hour with their last post time (trailing-window unique authors). */
  recentAuthors: RecentAuthors | undefined;
  /** Closed minutes of the last hour with posts, flat: [minute, posts, reposts, …] (exact size). */
  #history: number[] | undefined;
  cascades: CascadeForest | undefined;

  constructor(opts: SpreadOptions) {
    this.#opts = opts;
  }

  /**
   * One released event. `totalPosts` and `uniqueAuthors` are the tag's cumulative counts after it;
   * `newAuthor` whether it is the author's first post on the tag. `postTags` are all the post's
   * tags (this `tag` among them: the others co-occur); `parentKey` is set for a repost or reply
   * whose parent is known (post `key` joins its cascade).
   */
  observe(
    ts: number,
    authorId: string,
    authorHash: number,
    postId: string,
    newAuthor: boolean,
    totalPosts: number,
    uniqueAuthors: number,
    postTags: readonly string[],
    tag: string,
    key: string,
    parentKey: string | undefined,
  ): void {
    if (newAuthor) {
      // concat allocates exactly; push and spread reserve 17 slots, which most tags never need.
      if (this.#firstPosters.length < 3 * this.#opts.firstPosters) this.#firstPosters = this.#firstPosters.concat(authorId, postId, ts);
      if ((uniqueAuthors & (uniqueAuthors - 1)) === 0) this.doublings = this.doublings.concat(ts);
    }
    if (totalPosts === 100) this.#milestones = [ts, this.reached1000];
    else if (totalPosts === 1_000) this.#milestones = [this.reached100, ts];
    (this.recentAuthors ??= new RecentAuthors()).see(authorHash, ts);
    if (postTags.length > 1 && this.#opts.coTags > 0) {
      for (const other of postTags) if (other !== tag) (this.coTags ??= new CoTagCounter(2 * this.#opts.coTags)).add(other);
    }
    if (parentKey !== undefined) {
      this.cascades ??= new CascadeForest(this.#opts);
      this.cascades.add(key, parentKey, ts);
    }
  }

  /** A minute of the tag closed with these counts; `now` is its end. Drops what left the longest window. */
  closeMinute(minute: number, posts: number, reposts: number, now: number): void {
    if (posts > 0) this.#history = (this.#history ?? []).concat(minute, posts, reposts);
    this.expire(now);
  }

  expire(now: number): void {
    const cutoff = now - LONGEST_WINDOW_MS;
    const history = this.#history;
    if (history !== undefined) {
      let drop = 0;
      while (drop < history.length && (history[drop] as number) < cutoff) drop += 3;
      if (drop > 0) this.#history = drop === history.length ? undefined : history.slice(drop);
    }
    const recent = this.recentAuthors;
    if (recent !== undefined) {
      recent.expire(cutoff);
      if (recent.size === 0) this.recentAuthors = undefined;
    }
    this.cascades?.expire(now);
  }

  /** Authors seen in the `minutes` before `now`. */
  authorsSince(since: number): number {
    return this.recentAuthors?.since(since) ?? 0;
  }

  rolling(now: number, windowMinutes: number, open: { posts: number; reposts: number }): RollingSpread {
    const since = now - windowMinutes * MINUTE;
    let posts = open.posts;
    let reposts = open.reposts;
    const history = this.#history ?? [];
    for (let i = 0; i < history.length; i += 3) {
      if ((history[i] as number) >= since) {
        posts += history[i + 1] as number;
        reposts += history[i + 2] as number;
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

  /** Event time the tag reached 100 posts (NaN until then). */
  get reached100(): number {
    return this.#milestones?.[0] ?? Number.NaN;
  }

  /** Event time the tag reached 1,000 posts (NaN until then). */
  get reached1000(): number {
    return this.#milestones?.[1] ?? Number.NaN;
  }

  /** Time between reaching the last two powers of two of unique authors (NaN below 16 authors). */
  get authorDoublingMs(): number {
    const k = this.doublings.length - 1;
    if (k < 4) return Number.NaN;
    return (this.doublings[k] as number) - (this.doublings[k - 1] as number);
  }

  /** The first authors with their first post, in order. */
  get firstPosters(): FirstPoster[] {
    const f = this.#firstPosters;
    const out: FirstPoster[] = [];
    for (let i = 0; i < f.length; i += 3) out.push({ authorId: f[i] as string, postId: f[i + 1] as string, ts: f[i + 2] as number });
    return out;
  }

  /**
   * `start` plus the posts of closed minutes from `from` up to (not including) `before`, the
   * minute starting exactly at `from` counted for `fraction` of its posts, added newest first:
   * the part of a trailing window that lies in closed minutes.
   */
  closedPostsSince(from: number, before: number, fraction: number, start: number): number {
    const h = this.#history;
    let n = start;
    if (h === undefined) return n;
    for (let i = h.length - 3; i >= 0; i -= 3) {
      const minute = h[i] as number;
      if (minute < from) break;
      const posts = h[i + 1] as number;
      n += minute === from ? posts * fraction : minute < before ? posts : 0;
    }
    return n;
  }

  topCoTags(): Array<{ tag: string; count: number }> {
    return this.coTags?.top(this.#opts.coTags) ?? [];
  }

  /** Rough bytes held (V8 sizes: objects, array headers, boxed times, the first posters' id strings). */
  get bytes(): number {
    let b = 184 + 8 * this.doublings.length + 100 * (this.#firstPosters.length / 3);
    if (this.#milestones !== undefined) b += 48;
    if (this.recentAuthors !== undefined) b += this.recentAuthors.bytes;
    if (this.#history !== undefined) b += 48 + 24 * (this.#history.length / 3);
    if (this.coTags !== undefined) b += this.coTags.bytes;
    return b + (this.cascades?.bytes ?? 0);
  }

  toJSON(): TagSpreadState {
    const state: TagSpreadState = {
      f: this.#firstPostersJSON(),
      ms: [this.reached100, this.reached1000],
      d: this.doublings,
      co: this.coTags?.toJSON() ?? [],
      ra: this.recentAuthors?.toJSON() ?? [],
      h: this.#historyJSON(),
    };
    if (this.cascades !== undefined) state.cf = this.cascades.toJSON();
    return state;
  }

  #firstPostersJSON(): Array<[string, string, number]> {
    const f = this.#firstPosters;
    const out: Array<[string, string, number]> = [];
    for (let i = 0; i < f.length; i += 3) out.push([f[i] as string, f[i + 1] as string, f[i + 2] as number]);
    return out;
  }

  #historyJSON(): Array<[number, number, number]> {
    const h = this.#history ?? [];
    const out: Array<[number, number, number]> = [];
    for (let i = 0; i < h.length; i += 3) out.push([h[i] as number, h[i + 1] as number, h[i + 2] as number]);
    return out;
  }

  static fromJSON(state: TagSpreadState, opts: SpreadOptions): TagSpread {
    const s = new TagSpread(opts);
    s.#firstPosters = state.f.flat();
    const reached100 = state.ms[0] ?? Number.NaN;
    const reached1000 = state.ms[1] ?? Number.NaN;
    if (!Number.isNaN(reached100) || !Number.isNaN(reached1000)) s.#milestones = [reached100, reached1000];
    s.doublings = [...state.d];
    if (state.co.length > 0) s.coTags = CoTagCounter.fromJSON(state.co, 2 * opts.coTags);
    if (state.ra.length > 0) s.recentAuthors = RecentAuthors.fromJSON(state.ra);
    if (state.h.length > 0) s.#history = state.h.flat();
    if (state.cf !== undefined) s.cascades = CascadeForest.fromJSON(state.cf, opts);
    return s;
  }
}
