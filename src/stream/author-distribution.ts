/**
 * Concentration of posts over authors: how much of a tag's activity a few accounts produce.
 * Both take the posts-per-author counts in any order.
 */

/** Gini coefficient of the counts (0 = every author posted equally, → 1 = one author did everything). */
export function gini(counts: Iterable<number>): number {
  return giniOfSorted(Float64Array.from(counts).sort());
}

/** Share of all posts written by the `k` most active authors (0..1). */
export function topShare(counts: Iterable<number>, k = 10): number {
  return topShareOfSorted(Float64Array.from(counts).sort(), k);
}

/** Both figures from one sort (a minute row needs both): the same values as `gini` and `topShare`. */
export function concentration(counts: Iterable<number>, k: number): { gini: number; topShare: number } {
  const xs = Float64Array.from(counts).sort();
  return { gini: giniOfSorted(xs), topShare: topShareOfSorted(xs, k) };
}

/** `xs` sorted ascending. */
function giniOfSorted(xs: Float64Array): number {
  const n = xs.length;
  if (n < 2) return 0;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    total += x;
    weighted += (i + 1) * x;
  }
  if (total === 0) return 0;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** `xs` sorted ascending. */
function topShareOfSorted(xs: Float64Array, k: number): number {
  let total = 0;
  let top = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    total += x;
    if (i >= xs.length - k) top += x;
  }
  return total === 0 ? 0 : top / total;
}
