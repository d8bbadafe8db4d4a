/**
 * log10 of P(X ≥ k) for X ~ Poisson(lambda): how surprising k coincidences are when lambda
 * were expected by chance. Summed in log space so tails of 1e-30 stay exact enough.
 */
export function log10PoissonTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return -Infinity;
  // P(X ≥ k) = Σ_{j≥k} e^-λ λ^j / j!; terms shrink once j > λ.
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let logSum = logTerm;
  for (let j = k + 1; j < k + 400; j++) {
    logTerm += Math.log(lambda) - Math.log(j);
    const next = logAdd(logSum, logTerm);
    if (next - logSum < 1e-12 && j > lambda) break;
    logSum = next;
  }
  return Math.min(0, logSum / Math.LN10);
}

function logAdd(a: number, b: number): number {
  const hi = Math.max(a, b);
  return hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}
