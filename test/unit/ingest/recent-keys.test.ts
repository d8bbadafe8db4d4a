import { describe, expect, it } from 'vitest';
import { RecentKeys } from '../../../src/ingest/recent-keys.ts';

/** The behaviour RecentKeys must keep: the last `capacity` distinct keys, oldest forgotten first. */
class ReferenceKeys {
  readonly keys: string[] = [];
  constructor(readonly capacity: number) {}
  add(key: string): boolean {
    if (this.capacity === 0) return true;
    if (this.keys.includes(key)) return false;
    this.keys.push(key);
    if (this.keys.length > this.capacity) this.keys.shift();
    return true;
  }
}

describe('RecentKeys (ingest dedup)', () => {
  it('forgets the oldest key first, through several wraps of its ring and a clear', () => {
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed;
    };
    for (const capacity of [0, 1, 3, 50]) {
      const keys = new RecentKeys(capacity);
      const ref = new ReferenceKeys(capacity);
      for (let i = 0; i < 2_000; i++) {
        if (i === 1_000) {
          keys.clear();
          ref.keys.length = 0;
        }
        const key = `k${next() % 120}`;
        expect(keys.add(key), `capacity ${capacity}, add #${i}`).toBe(ref.add(key));
        expect(keys.size).toBe(ref.keys.length);
      }
    }
  });
});
