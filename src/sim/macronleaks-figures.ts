import type { PostInput } from '../model/index.ts';
import type { VocabularyTag } from './tag-vocabulary.ts';
import { EventTracker, round, type MacronleaksFigures } from './truth.ts';
import { HOUR_MS, MINUTE_MS, type PostRef } from './types.ts';

export interface MacronleaksTimeline {
  leakTs: number;
  firstPostTs: number;
}

/** Measures the generated stream against the published figures. */
export class MacronleaksFiguresObserver {
  readonly all: EventTracker;
  firstPost: PostRef | undefined;
  private after35 = 0;
  private after13 = 0;
  private readonly authors = new Set<string>();
  private readonly perAuthor12h = new Map<string, number>();
  private firstMinute = 0;
  private firstFive = 0;
  private readonly repostsOf = new Map<string, number>();
  private readonly langOf = new Map<string, string>();

  constructor(
    private readonly t: MacronleaksTimeline,
    private readonly bots: ReadonlySet<string>,
    tag: VocabularyTag,
  ) {
    this.all = new EventTracker('ml-repost_ring', tag.tag, tag.display, 0, 0);
  }

  observe(post: PostInput, ts: number): void {
    this.all.add(post, ts);
    const F = this.t.firstPostTs;
    if (ts < F + 3.5 * HOUR_MS) this.after35++;
    if (ts < F + 13 * HOUR_MS) this.after13++;
    this.authors.add(post.author.id);
    if (ts >= F && ts < F + 12 * HOUR_MS) this.perAuthor12h.set(post.author.id, (this.perAuthor12h.get(post.author.id) ?? 0) + 1);
    if (post.kind === 'original') this.langOf.set(post.id, post.lang ?? '');
    else if (post.kind === 'repost' && post.parentId !== undefined) {
      this.repostsOf.set(post.parentId, (this.repostsOf.get(post.parentId) ?? 0) + 1);
      if (post.parentId === this.firstPost?.id) {
        if (ts < F + MINUTE_MS) this.firstMinute++;
        if (ts < F + 5 * MINUTE_MS) this.firstFive++;
      }
    }
  }

  result(scale: number): MacronleaksFigures {
    let topAccountId = '';
    let topAccountPosts12h = 0;
    for (const [id, n] of this.perAuthor12h) {
      if (n > topAccountPosts12h || (n === topAccountPosts12h && id < topAccountId)) {
        topAccountId = id;
        topAccountPosts12h = n;
      }
    }
    const top = [...this.repostsOf].filter(([id]) => this.langOf.has(id)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 20);
    const english = top.filter(([id]) => this.langOf.get(id) === 'en').length;
    let botAccounts = 0;
    for (const id of this.authors) if (this.bots.has(id)) botAccounts++;
    return {
      leakAt: new Date(this.t.leakTs).toISOString(),
      firstPostAt: new Date(this.t.firstPostTs).toISOString(),
      firstPostId: this.firstPost?.id ?? '',
      repostsFirstMinute: this.firstMinute,
      repostsFirstFiveMinutes: this.firstFive,
      tagPostsAfter3_5h: this.after35,
      tagPostsAfter13h: this.after13,
      tagAccounts: this.authors.size,
      botAccounts,
      botAccountShare: round(this.authors.size === 0 ? 0 : botAccounts / this.authors.size, 4),
      topAccountId,
      topAccountPosts12h,
      topPostsEnglishShare: top.length === 0 ? 0 : round(english / top.length, 3),
      scale,
    };
  }
}

