import type { TagEvent, TagMinute } from '../model/index.ts';
import { concentration } from './author-distribution.ts';

/** The velocity figures a minute row carries, computed when the minute closes for detectors. */
export interface MinuteVelocity {
  velocity: number;
  acceleration: number;
  baselineMean: number;
  baselineStd: number;
  zscore: number;
}

/** JSON form of an open minute (checkpoints). */
export interface MinuteAccumulatorState {
  m: number;
  c: number[];
  a: Array<[string, number]>;
  l: string[];
  p: string[];
  k: string[];
  v?: MinuteVelocity;
  r: number;
  e: 0 | 1 | 2;
}

const EMIT_PENDING = 0;
const EMIT_DONE = 1;
const EMIT_DIRTY = 2;
/** Distinct authors and post keys kept in exact-size arrays up to this many, then in a Map / Set. */
const SMALL_MAX = 8;

/**
 * A few distinct strings in first-seen order, as compact as it gets: nothing, the one string
 * itself, or an exact-size array (most tag-minutes see one language and one platform).
 */
type FewStrings = string | string[] | undefined;

function fewCount(few: FewStrings): number {
  return few === undefined ? 0 : typeof few === 'string' ? 1 : few.length;
}

function fewWith(few: FewStrings, value: string): FewStrings {
  if (few === undefined) return value;
  if (typeof few === 'string') return few === value ? few : [few, value];
  return few.includes(value) ? few : few.concat(value);
}

function fewList(few: FewStrings): string[] {
  return few === undefined ? [] : typeof few === 'string' ? [few] : [...few];
}

/**
 * One tag's counts for one event-time minute while it is open (until the watermark passes its
 * end plus the allowed lateness). Holds the post keys it has counted, so a record delivered twice
 * within the open window is counted once.
 *
 * Most tag-minutes hold one or two posts, and there are several open per active tag, so the
 * collections start as small as possible: a single value held directly, then exact-size arrays,
 * then a Map / Set past `SMALL_MAX` entries. Every form keeps first-seen order.
 */
export class MinuteAccumulator {
  readonly minute: number;
  posts = 0;
  originals = 0;
  reposts = 0;
  replies = 0;
  quotes = 0;
  newAuthors = 0;
  reach = 0;
  youngPosts = 0;
  latePosts = 0;
  /** Posts per author in first-post order: none, `[id, n, id, n…]` (exact size), then a Map. */
  #authors: Array<string | number> | Map<string, number> | undefined;
  #languages: FewStrings;
  #platforms: FewStrings;
  /** Post keys counted, in order: none, the one key, an exact-size array, then a Set. */
  #keys: string | string[] | Set<string> | undefined;
  velocity: MinuteVelocity | undefined;
  revision = -1;
  #emit: 0 | 1 | 2 = EMIT_PENDING;

  constructor(minute: number) {
    this.minute = minute;
  }

  has(key: string): boolean {
    const keys = this.#keys;
    if (keys === undefined) return false;
    if (typeof keys === 'string') return keys === key;
    return Array.isArray(keys) ? keys.includes(key) : keys.has(key);
  }

  /** Distinct authors of the minute. */
  get authorCount(): number {
    const authors = this.#authors;
    if (authors === undefined) return 0;
    return Array.isArray(authors) ? authors.length / 2 : authors.size;
  }

  /** [author id, posts] in first-post order. */
  authorPosts(): Array<[string, number]> {
    const authors = this.#authors;
    if (authors === undefined) return [];
    if (!Array.isArray(authors)) return [...authors];
    const out: Array<[string, number]> = [];
    for (let i = 0; i < authors.length; i += 2) out.push([authors[i] as string, authors[i + 1] as number]);
    return out;
  }

  /** Post keys counted, in order. */
  postKeys(): string[] {
    const keys = this.#keys;
    if (keys === undefined) return [];
    if (typeof keys === 'string') return [keys];
    return [...keys];
  }

  #postCounts(): number[] {
    const authors = this.#authors;
    if (authors === undefined) return [];
    if (!Array.isArray(authors)) return [...authors.values()];
    const counts: number[] = [];
    for (let i = 1; i < authors.length; i += 2) counts.push(authors[i] as number);
    return counts;
  }

  #addKey(key: string): void {
    const keys = this.#keys;
    if (keys === undefined) {
      this.#keys = key;
    } else if (typeof keys === 'string') {
      if (keys !== key) this.#keys = [keys, key];
    } else if (!Array.isArray(keys)) {
      keys.add(key);
    } else if (keys.includes(key)) {
      // Already counted: a set ignores it too.
    } else if (keys.length < SMALL_MAX) {
      this.#keys = keys.concat(key);
    } else {
      this.#keys = new Set(keys).add(key);
    }
  }

  /** `n` more posts by `id` (the author is added, last, if new). */
  #addAuthorPosts(id: string, n: number): void {
    const authors = this.#authors;
    if (authors === undefined) {
      this.#authors = [id, n];
      return;
    }
    if (!Array.isArray(authors)) {
      authors.set(id, (authors.get(id) ?? 0) + n);
      return;
    }
    for (let i = 0; i < authors.length; i += 2) {
      if (authors[i] === id) {
        authors[i + 1] = (authors[i + 1] as number) + n;
        return;
      }
    }
    if (authors.length < 2 * SMALL_MAX) {
      this.#authors = authors.concat(id, n);
      return;
    }
    const map = new Map<string, number>();
    for (let i = 0; i < authors.length; i += 2) map.set(authors[i] as string, authors[i + 1] as number);
    this.#authors = map.set(id, n);
  }

  /**
   * Counts one event. `isNewAuthor` and `followers` come from the tag's author set (first time on
   * the tag); `late` marks a post whose own minute had already been finalized.
   */
  add(event: TagEvent, key: string, isNewAuthor: boolean, young: boolean, late: boolean): void {
    const post = event.post;
    this.#addKey(key);
    this.posts++;
    switch (post.kind) {
      case 'original':
        this.originals++;
        break;
      case 'repost':
        this.reposts++;
        break;
      case 'reply':
        this.replies++;
        break;
      case 'quote':
        this.quotes++;
        break;
    }
    this.#addAuthorPosts(post.author.id, 1);
    if (isNewAuthor) {
      this.newAuthors++;
      this.reach += post.author.followers ?? 0;
    }
    if (young) this.youngPosts++;
    if (post.lang !== undefined) this.#languages = fewWith(this.#languages, post.lang);
    this.#platforms = fewWith(this.#platforms, post.platform);
    if (late) this.latePosts++;
    if (this.#emit === EMIT_DONE) this.#emit = EMIT_DIRTY;
  }

  /** True when the row must be (re-)emitted. */
  get needsEmit(): boolean {
    return this.#emit !== EMIT_DONE && this.posts > 0;
  }

  /** Builds the row and marks it emitted (each call after a change raises the revision). */
  emit(tag: string): TagMinute {
    this.revision++;
    this.#emit = EMIT_DONE;
    const shares = concentration(this.#postCounts(), 10);
    const v = this.velocity ?? { velocity: 0, acceleration: 0, baselineMean: 0, baselineStd: 0, zscore: 0 };
    return {
      tag,
      minute: this.minute,
      posts: this.posts,
      originals: this.originals,
      reposts: this.reposts,
      replies: this.replies,
      quotes: this.quotes,
      uniqueAuthors: this.authorCount,
      newAuthors: this.newAuthors,
      reach: this.reach,
      youngPosts: this.youngPosts,
      languages: fewCount(this.#languages),
      platforms: fewCount(this.#platforms),
      top10Share: shares.topShare,
      gini: shares.gini,
      latePosts: this.latePosts,
      velocity: v.velocity,
      acceleration: v.acceleration,
      baselineMean: v.baselineMean,
      baselineStd: v.baselineStd,
      zscore: v.zscore,
      revision: this.revision,
    };
  }

  /** Rough bytes held, for the bytes-per-tag figure. */
  get bytes(): number {
    let b = 200;
    for (const [id] of this.authorPosts()) b += 40 + 2 * id.length;
    for (const k of this.postKeys()) b += 40 + 2 * k.length;
    return b + 40 * (fewCount(this.#languages) + fewCount(this.#platforms));
  }

  toJSON(): MinuteAccumulatorState {
    const state: MinuteAccumulatorState = {
      m: this.minute,
      c: [this.posts, this.originals, this.reposts, this.replies, this.quotes, this.newAuthors, this.reach, this.youngPosts],
      a: this.authorPosts(),
      l: fewList(this.#languages),
      p: fewList(this.#platforms),
      k: this.postKeys(),
      r: this.revision,
      e: this.#emit,
    };
    if (this.velocity !== undefined) state.v = this.velocity;
    if (this.latePosts > 0) state.c.push(this.latePosts);
    return state;
  }

  static fromJSON(state: MinuteAccumulatorState): MinuteAccumulator {
    const acc = new MinuteAccumulator(state.m);
    const c = state.c;
    acc.posts = c[0] ?? 0;
    acc.originals = c[1] ?? 0;
    acc.reposts = c[2] ?? 0;
    acc.replies = c[3] ?? 0;
    acc.quotes = c[4] ?? 0;
    acc.newAuthors = c[5] ?? 0;
    acc.reach = c[6] ?? 0;
    acc.youngPosts = c[7] ?? 0;
    acc.latePosts = c[8] ?? 0;
    for (const [id, n] of state.a) acc.#addAuthorPosts(id, n);
    for (const l of state.l) acc.#languages = fewWith(acc.#languages, l);
    for (const p of state.p) acc.#platforms = fewWith(acc.#platforms, p);
    for (const k of state.k) acc.#addKey(k);
    if (state.v !== undefined) acc.velocity = state.v;
    acc.revision = state.r;
    acc.#emit = state.e;
    return acc;
  }
}
