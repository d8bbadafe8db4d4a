import { describe, expect, it } from 'vitest';
import { PartnerWindow, accountHash, pairHash, sampleDistinctInto } from '../../../src/stream/coordination/partner-window.ts';
import { rng } from './tag-event-builder.ts';

/** The window's sample the straightforward way: every distinct other account, sorted by (pair hash, id). */
function referenceSample(window: ReadonlyMap<string, number>, author: string, max: number): string[] {
  const own = accountHash(author);
  return [...window.keys()]
    .filter((id) => id !== author)
    .map((id) => ({ id, h: pairHash(own, accountHash(id)) }))
    .sort((x, y) => x.h - y.h || (x.id < y.id ? -1 : 1))
    .slice(0, max)
    .map((x) => x.id);
}

describe('PartnerWindow', () => {
  it('samples the accounts with the lowest pair hash, as a full sort would, while accounts come and go', () => {
    const random = rng(11);
    const window = new PartnerWindow();
    const counts = new Map<string, number>();
    const recent: string[] = [];
    const into: string[] = [];
    const hashes = new Uint32Array(24);
    for (let step = 0; step < 3_000; step++) {
      const id = `acct-${Math.floor(random() * 300)}`;
      window.add(id);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      recent.push(id);
      // A sliding window of 120 actions: the oldest action leaves, its account with its last one.
      if (recent.length > 120) {
        const gone = recent.shift() as string;
        window.remove(gone);
        const left = (counts.get(gone) as number) - 1;
        if (left === 0) counts.delete(gone);
        else counts.set(gone, left);
      }
      expect(window.size).toBe(counts.size);
      if (step % 37 === 0) {
        const author = step % 2 === 0 ? id : `outsider-${step}`;
        const n = window.sampleInto(author, 24, into, hashes);
        expect(into.slice(0, n)).toEqual(referenceSample(counts, author, 24));
      }
    }
  });

  it('hashes a pair alike from either side, and differently for different partners', () => {
    const a = accountHash('alice');
    const b = accountHash('bob');
    const c = accountHash('carol');
    expect(pairHash(a, b)).toBe(pairHash(b, a));
    expect(pairHash(a, b)).not.toBe(pairHash(a, c));
    expect(pairHash(a, b)).toBeGreaterThanOrEqual(0);
  });

  it('forgets an account only with its last action', () => {
    const window = new PartnerWindow();
    window.add('x');
    window.add('x');
    window.add('y');
    window.remove('x');
    expect(window.has('x')).toBe(true);
    window.remove('x');
    expect(window.has('x')).toBe(false);
    expect(window.size).toBe(1);
    window.remove('nobody');
    expect(window.size).toBe(1);
  });
});

describe('sampleDistinctInto', () => {
  it('samples a short list of distinct accounts like a PartnerWindow holding them', () => {
    const random = rng(5);
    const into: string[] = [];
    const fromWindow: string[] = [];
    const hashes = new Uint32Array(24);
    for (let k = 0; k < 40; k++) {
      const others = [...new Set(Array.from({ length: 25 + Math.floor(random() * 40) }, () => `acct-${Math.floor(random() * 400)}`))];
      const window = new PartnerWindow();
      for (const id of others) window.add(id);
      const n = sampleDistinctInto('me', others, others.length, 24, into, hashes);
      const m = window.sampleInto('me', 24, fromWindow, hashes);
      expect(into.slice(0, n)).toEqual(fromWindow.slice(0, m));
      expect(n).toBe(Math.min(24, others.length));
    }
  });
});
