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
/**
 * Distinct authors and post keys kept in flat arrays up to this many, then in a Map / Set. Most
 * tag-minutes hold a few posts, and an empty Map or Set costs more than the whole small array.
 */
const SMALL_MAX = 8;

/**
 * One tag's counts for one event-time minute while it is open (until the watermark passes its
 * end plus the allowed lateness). Holds the post keys it has counted, so a record delivered twice
 * within the open window is counted once.
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
  /** Posts per author, in first-post order: `[id, n, id, n…]` while small, then a Map. */
  #authors: Array<string | number> | Map<string, number> = [];
  /** Distinct languages and platforms, in first-seen order (a handful at most). */
  #languages: string[] = [];
  #platforms: string[] = [];
  /** Post keys counted, in order: an array while small, then a Set. */
  #keys: string[] | Set<string> = [];
  velocity: MinuteVelocity | undefined;
  revision = -1;
  #emit: 0 | 1 | 2 = EMIT_PENDING;

  constructor(minute: number) {
    this.minute = minute;
  }

  has(key: string): boolean {
    const keys = this.#keys;
    return Array.isArray(keys) ? keys.includes(key) : keys.has(key);
  }

  /** Distinct authors of the minute. */
  get authorCount(): number {
    const authors = this.#authors;
    return Array.isArray(authors) ? authors.length / 2 : authors.size;
  }

  /** [author id, posts] in first-post order. */
  *authorPosts(): IterableIterator<[string, number]> {
    const authors = this.#authors;
    if (!Array.isArray(authors)) {
      yield* authors;
      return;
    }
    for (let i = 0; i < authors.length; i += 2) yield [authors[i] as string, authors[i + 1] as number];
  }

  /** Post keys counted, in order. */
  postKeys(): Iterable<string> {
    return this.#keys;
  }

  #postCounts(): number[] {
    const authors = this.#authors;
    if (!Array.isArray(authors)) return [...authors.values()];
    const counts: number[] = [];
    for (let i = 1; i < authors.length; i += 2) counts.push(authors[i] as number);
    return counts;
  }

  #addKey(key: string): void {
    const keys = this.#keys;
    if (!Array.isArray(keys)) {
      keys.add(key);
    } else if (keys.includes(key)) {
      // Already counted: a set ignores it too.
    } else if (keys.length < SMALL_MAX) {
      keys.push(key);
    } else {
      this.#keys = new Set(keys).add(key);
    }
  }

  #setAuthorPosts(id: string, n: number): void {
    const authors = this.#authors;
    if (!Array.isArray(authors)) {
      authors.set(id, n);
      return;
    }
    for (let i = 0; i < authors.length; i += 2) if (authors[i] === id) authors[i + 1] = n;
  }

  #addAuthor(id: string): void {
    const authors = this.#authors;
    if (!Array.isArray(authors)) {
      authors.set(id, (authors.get(id) ?? 0) + 1);
      return;
    }
    for (let i = 0; i < authors.length; i += 2) {
      if (authors[i] === id) {
        authors[i + 1] = (authors[i + 1] as number) + 1;
        return;
      }
    }
    if (authors.length < 2 * SMALL_MAX) {
      authors.push(id, 1);
      return;
    }
    const map = new Map<string, number>();
    for (let i = 0; i < authors.length; i += 2) map.set(authors[i] as string, authors[i + 1] as number);
    this.#authors = map.set(id, 1);
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
    this.#addAuthor(post.author.id);
    if (isNewAuthor) {
      this.newAuthors++;
      this.reach += post.author.followers ?? 0;
    }
    if (young) this.youngPosts++;
    if (post.lang !== undefined && !this.#languages.includes(post.lang)) this.#languages.push(post.lang);
    if (!this.#platforms.includes(post.platform)) this.#platforms.push(post.platform);
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
      languages: this.#languages.length,
      platforms: this.#platforms.length,
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
    for (const k of this.#keys) b += 40 + 2 * k.length;
    return b + 40 * (this.#languages.length + this.#platforms.length);
  }

  toJSON(): MinuteAccumulatorState {
    const state: MinuteAccumulatorState = {
      m: this.minute,
      c: [this.posts, this.originals, this.reposts, this.replies, this.quotes, this.newAuthors, this.reach, this.youngPosts],
      a: [...this.authorPosts()],
      l: [...this.#languages],
      p: [...this.#platforms],
      k: [...this.#keys],
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
    for (const [id, n] of state.a) {
      acc.#addAuthor(id);
      acc.#setAuthorPosts(id, n);
    }
    for (const l of state.l) if (!acc.#languages.includes(l)) acc.#languages.push(l);
    for (const p of state.p) if (!acc.#platforms.includes(p)) acc.#platforms.push(p);
    for (const k of state.k) acc.#addKey(k);
    if (state.v !== undefined) acc.velocity = state.v;
    acc.revision = state.r;
    acc.#emit = state.e;
    return acc;
  }
}
