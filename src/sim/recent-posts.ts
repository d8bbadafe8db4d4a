import type { SeededRandom } from './seeded-random.ts';
import type { PostRef } from './types.ts';

/**
 * A ring of recent posts that others may repost, reply to or quote. A post enters it several
 * times when its author is well followed, so popular authors collect more reposts (preferential
 * attachment) while old posts fall out as the ring turns.
 */
export class RecentPosts {
  private readonly ring: (PostRef | undefined)[];
  private head = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<PostRef | undefined>(capacity);
  }

  get size(): number {
    return this.filled;
  }

  add(ref: PostRef, copies = 1): void {
    for (let i = 0; i < copies; i++) {
      this.ring[this.head] = ref;
      this.head = (this.head + 1) % this.capacity;
      if (this.filled < this.capacity) this.filled++;
    }
  }

  /** A random entry (weighted by copies), or undefined when empty. */
  pick(rng: SeededRandom): PostRef | undefined {
    if (this.filled === 0) return undefined;
    return this.ring[Math.floor(rng.next() * this.filled)];
  }

  /** The most recently added entry. */
  latest(): PostRef | undefined {
    if (this.filled === 0) return undefined;
    return this.ring[(this.head - 1 + this.capacity) % this.capacity];
  }
}

/** Copies a post gets in a `RecentPosts` ring: 1 plus the order of magnitude of its author's followers. */
export function popularityCopies(followers: number): number {
  return 1 + Math.floor(Math.log10(followers + 1));
}
