/**
 * The arithmetic of the benchmark reports, kept pure so it can be tested: percentiles of
 * latencies, the slope of a memory series, rates.
 */

/**
 * The p-th percentile (0–100) of `values`, linearly interpolated between the closest ranks
 * (the "type 7" definition spreadsheets and numpy use). Undefined for an empty list.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  return percentileOfSorted(Float64Array.from(values).sort(), p);
}

function percentileOfSorted(sorted: Float64Array, p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

/** p50, p90, p99 and max of a latency sample (ms), or undefined values for an empty one. */
export function latencySummary(values: readonly number[]): { count: number; p50?: number; p90?: number; p99?: number; max?: number } {
  if (values.length === 0) return { count: 0 };
  const sorted = Float64Array.from(values).sort();
  return {
    count: values.length,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    max: sorted[sorted.length - 1] as number,
  };
}

/** Least-squares slope dy/dx of a series; undefined with fewer than two distinct x values. */
export function linearSlope(points: ReadonlyArray<{ x: number; y: number }>): number | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? undefined : num / den;
}

/** Items per second; undefined when no time passed. */
export function perSecond(items: number, ms: number): number | undefined {
  return ms > 0 ? (items * 1000) / ms : undefined;
}
