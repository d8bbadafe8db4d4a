import { BoundedMap } from './bounded-map.ts';

/**
 * Finds the tags of posts seen earlier, for reposts that carry none of their own (Bluesky).
 * The collector asks its own recent-posts cache first; an implementation backed by the store
 * can answer for older posts. Unknown ids are simply absent from the answer.
 */
export interface ParentTagResolver {
  tagsOf(platform: string, ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, readonly string[]>>;
}

const NO_TAGS: readonly string[] = Object.freeze([]);

/** The tags of the most recent posts this collector handed on, bounded in entries. */
export class RecentPostTags {
  readonly #tags: BoundedMap<string, readonly string[]>;

  constructor(capacity: number) {
    this.#tags = new BoundedMap(capacity);
  }

  get size(): number {
    return this.#tags.size;
  }

  remember(id: string, tags: readonly string[]): void {
    this.#tags.set(id, tags.length === 0 ? NO_TAGS : tags);
  }

  /** The post's tags (possibly none), or undefined when the post is not remembered. */
  get(id: string): readonly string[] | undefined {
    return this.#tags.get(id);
  }
}
