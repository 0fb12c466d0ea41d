/**
 * The nearest-rank percentile: the smallest value with at least p % of the values at or below it
 * (p50 of [1, 2, 3, 4] is 2, p95 of 20 values the 19th). Always one of the values, never an
 * interpolation, so a p95 of waits is a wait some session really had. Undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}
