import type { SeededRandom } from './seeded-random.ts';
import type { SimAccount } from './types.ts';

/**
 * Hands out a campaign's members in a shuffled rotation: everyone takes a turn before anyone
 * takes a second, so every member of a planned network actually posts.
 */
export class RotatingCast {
  private readonly order: SimAccount[];
  private next = 0;

  constructor(members: readonly SimAccount[], rng: SeededRandom) {
    if (members.length === 0) throw new RangeError('a cast needs members');
    this.order = rng.shuffle([...members]);
  }

  get size(): number {
    return this.order.length;
  }

  take(): SimAccount {
    const account = this.order[this.next] as SimAccount;
    this.next = (this.next + 1) % this.order.length;
    return account;
  }

  /** `n` members, distinct when n ≤ the cast's size. */
  takeMany(n: number): SimAccount[] {
    const out: SimAccount[] = [];
    for (let i = 0; i < Math.min(n, this.order.length); i++) out.push(this.take());
    return out;
  }
}
