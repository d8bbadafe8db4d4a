import type { SeededRandom } from './seeded-random.ts';
import { MINUTE_MS } from './types.ts';

/** A rate in posts per minute as a function of event time (epoch ms). */
export interface RateCurve {
  /** Posts per minute at `ts`. */
  at(ts: number): number;
  /** An upper bound of `at` over the curve's support, for thinning. */
  readonly maxPerMin: number;
  readonly startTs: number;
  readonly endTs: number;
}

/** Linear between points, zero outside them. Points are (epoch ms, posts per minute), sorted by time. */
export class PiecewiseRate implements RateCurve {
  readonly maxPerMin: number;
  readonly startTs: number;
  readonly endTs: number;

  constructor(private readonly points: ReadonlyArray<readonly [number, number]>) {
    if (points.length < 2) throw new RangeError('a piecewise rate needs at least two points');
    for (let i = 1; i < points.length; i++) {
      if ((points[i]?.[0] ?? 0) < (points[i - 1]?.[0] ?? 0)) throw new RangeError('piecewise rate points must be sorted by time');
    }
    this.startTs = points[0]?.[0] ?? 0;
    this.endTs = points[points.length - 1]?.[0] ?? 0;
    this.maxPerMin = Math.max(...points.map((p) => p[1]));
  }

  at(ts: number): number {
    const pts = this.points;
    if (ts < this.startTs || ts > this.endTs) return 0;
    let lo = 0;
    let hi = pts.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((pts[mid]?.[0] ?? 0) <= ts) lo = mid;
      else hi = mid;
    }
    const [t0, r0] = pts[lo] as readonly [number, number];
    const [t1, r1] = pts[hi] as readonly [number, number];
    return t1 === t0 ? r1 : r0 + ((r1 - r0) * (ts - t0)) / (t1 - t0);
  }

  /** Expected posts between `from` and `to` (trapezoids). */
  integral(from = this.startTs, to = this.endTs): number {
    let total = 0;
    const step = MINUTE_MS;
    for (let t = from; t < to; t += step) {
      const t1 = Math.min(to, t + step);
      total += ((this.at(t) + this.at(t1)) / 2) * ((t1 - t) / MINUTE_MS);
    }
    return total;
  }

  /**
   * `count` event times distributed like the curve (inverse CDF over one-minute bins), sorted:
   * a fixed number of posts that follows the curve's shape. Stratified (one draw per quantile
   * band), so a handful of lumpy events, like a ring's source posts, still land where the curve puts them.
   */
  sampleTimes(rng: SeededRandom, count: number, from = this.startTs, to = this.endTs): number[] {
    const bins: number[] = [];
    const cumulative: number[] = [];
    let total = 0;
    for (let t = from; t < to; t += MINUTE_MS) {
      const t1 = Math.min(to, t + MINUTE_MS);
      total += ((this.at(t) + this.at(t1)) / 2) * ((t1 - t) / MINUTE_MS);
      bins.push(t);
      cumulative.push(total);
    }
    if (!(total > 0) || count <= 0) return [];
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const u = ((i + rng.next()) / count) * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cumulative[mid] as number) < u) lo = mid + 1;
        else hi = mid;
      }
      const start = bins[lo] as number;
      times.push(start + rng.next() * Math.min(MINUTE_MS, to - start));
    }
    // Strata sharing a minute bin may come out of order.
    return times.sort((a, b) => a - b);
  }

  scaled(factor: number): PiecewiseRate {
    return new PiecewiseRate(this.points.map(([t, r]) => [t, r * factor] as const));
  }
}

/**
 * Next event time of a non-homogeneous Poisson process after `ts` (Lewis–Shedler thinning), or
 * +Infinity when none comes before `endTs`.
 */
export function nextPoissonTime(curve: RateCurve, ts: number, endTs: number, rng: SeededRandom): number {
  const max = curve.maxPerMin;
  if (!(max > 0)) return Number.POSITIVE_INFINITY;
  const meanGapMs = MINUTE_MS / max;
  let t = Math.max(ts, curve.startTs);
  const end = Math.min(endTs, curve.endTs);
  for (;;) {
    t += rng.exponential(meanGapMs);
    if (t >= end) return Number.POSITIVE_INFINITY;
    if (rng.next() * max < curve.at(t)) return t;
  }
}

/** The organic day: a sinusoid around `meanPerMin` peaking at `peakHourUtc`. */
export class DiurnalRate implements RateCurve {
  readonly maxPerMin: number;

  constructor(
    private readonly meanPerMin: number,
    private readonly amplitude: number,
    private readonly peakHourUtc: number,
    readonly startTs: number,
    readonly endTs: number,
  ) {
    this.maxPerMin = meanPerMin * (1 + amplitude);
  }

  at(ts: number): number {
    return this.meanPerMin * this.factor(ts);
  }

  /** Multiplier of the mean rate at `ts` (1 ± amplitude). */
  factor(ts: number): number {
    const hour = (ts % 86_400_000) / 3_600_000;
    return 1 + this.amplitude * Math.cos((2 * Math.PI * (hour - this.peakHourUtc)) / 24);
  }
}
