import type { TagView } from '../stream/index.ts';
import type { LiveSpreadReader, TagSpread } from './types.ts';

/** What the reader needs from the analyze stage (`AnalyzeStage.snapshot`). */
export interface TagViewSource {
  snapshot(tag: string): TagView | undefined;
}

/**
 * Spread figures from the analyze stage's live per-tag state, for a web server in the same
 * process (`tagwatch demo`, `run --role all`). Cheaper than recomputing them from `posts`, but it
 * covers only what the stage holds since it first saw the tag (an evicted tag falls back to the
 * store), and knows the virality of the largest cascade only.
 */
export class AnalyzeSpreadReader implements LiveSpreadReader {
  readonly #source: TagViewSource;

  constructor(source: TagViewSource) {
    this.#source = source;
  }

  spread(tag: string): TagSpread | undefined {
    const view = this.#source.snapshot(tag);
    if (view === undefined || view.posts === 0) return undefined;
    return {
      tag: view.tag,
      source: 'live',
      totalPosts: view.posts,
      uniqueAuthors: view.uniqueAuthors,
      firstPost: view.firstSeen,
      timeTo100Ms: view.timeTo100Ms,
      timeTo1000Ms: view.timeTo1000Ms,
      firstPosters: view.firstPosters.map((p) => ({ authorId: p.authorId, handle: null, postId: p.postId, ts: p.ts })),
      coTags: view.coTags.map((c) => ({ tag: c.tag, count: c.count })),
      cascades: {
        cascades: view.cascades.count,
        largestSize: view.cascades.largest,
        maxDepth: view.cascades.maxDepth,
        largestStructuralVirality: view.cascades.virality,
        meanStructuralVirality: null,
        top: [],
      },
    };
  }
}
