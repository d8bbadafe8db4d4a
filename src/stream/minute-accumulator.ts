import type { TagEvent, TagMinute } from '../model/index.ts';
import { gini, topShare } from './author-distribution.ts';

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
  readonly authors = new Map<string, number>();
  readonly languages = new Set<string>();
  readonly platforms = new Set<string>();
  readonly keys = new Set<string>();
  velocity: MinuteVelocity | undefined;
  revision = -1;
  #emit: 0 | 1 | 2 = EMIT_PENDING;

  constructor(minute: number) {
    this.minute = minute;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /**
   * Counts one event. `isNewAuthor` and `followers` come from the tag's author set (first time on
   * the tag); `late` marks a post whose own minute had already been finalized.
   */
  add(event: TagEvent, key: string, isNewAuthor: boolean, young: boolean, late: boolean): void {
    const post = event.post;
    this.keys.add(key);
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
    this.authors.set(post.author.id, (this.authors.get(post.author.id) ?? 0) + 1);
    if (isNewAuthor) {
      this.newAuthors++;
      this.reach += post.author.followers ?? 0;
    }
    if (young) this.youngPosts++;
    if (post.lang !== undefined) this.languages.add(post.lang);
    this.platforms.add(post.platform);
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
    const counts = this.authors.values();
    const v = this.velocity ?? { velocity: 0, acceleration: 0, baselineMean: 0, baselineStd: 0, zscore: 0 };
    return {
      tag,
      minute: this.minute,
      posts: this.posts,
      originals: this.originals,
      reposts: this.reposts,
      replies: this.replies,
      quotes: this.quotes,
      uniqueAuthors: this.authors.size,
      newAuthors: this.newAuthors,
      reach: this.reach,
      youngPosts: this.youngPosts,
      languages: this.languages.size,
      platforms: this.platforms.size,
      top10Share: topShare(counts, 10),
      gini: gini(this.authors.values()),
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
    for (const id of this.authors.keys()) b += 40 + 2 * id.length;
    for (const k of this.keys) b += 40 + 2 * k.length;
    return b + 40 * (this.languages.size + this.platforms.size);
  }

  toJSON(): MinuteAccumulatorState {
    const state: MinuteAccumulatorState = {
      m: this.minute,
      c: [this.posts, this.originals, this.reposts, this.replies, this.quotes, this.newAuthors, this.reach, this.youngPosts],
      a: [...this.authors],
      l: [...this.languages],
      p: [...this.platforms],
      k: [...this.keys],
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
    for (const [id, n] of state.a) acc.authors.set(id, n);
    for (const l of state.l) acc.languages.add(l);
    for (const p of state.p) acc.platforms.add(p);
    for (const k of state.k) acc.keys.add(k);
    if (state.v !== undefined) acc.velocity = state.v;
    acc.revision = state.r;
    acc.#emit = state.e;
    return acc;
  }
}
