import type { SeededRandom } from './seeded-random.ts';

/**
 * Walker's alias method: O(n) to build, O(1) per draw from a fixed discrete distribution
 * (Zipf tag popularity, heavy-tailed account activity) at hundreds of thousands of draws a second.
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('alias table over no weights');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.max(0, weights[i] ?? 0);
    if (!(total > 0)) throw new RangeError('alias table weights sum to zero');
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (Math.max(0, weights[i] ?? 0) * n) / total;
      if ((scaled[i] ?? 0) < 1) small.push(i);
      else large.push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s] ?? 0;
      this.alias[s] = l;
      scaled[l] = (scaled[l] ?? 0) + (scaled[s] ?? 0) - 1;
      if ((scaled[l] ?? 0) < 1) small.push(l);
      else large.push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(rng: SeededRandom): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < (this.prob[i] ?? 1) ? i : (this.alias[i] ?? i);
  }
}
