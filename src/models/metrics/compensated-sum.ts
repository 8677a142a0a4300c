/**
 * Compensated (Neumaier) summation for long sums of doubles: the error stays at a few ulps whatever the length.
 */

/**
 * Sum of `values[from..to)` with Neumaier's compensation. Use it for means of long arrays (silhouette values,
 * per-row squared errors). Cost O(n). Reference: Neumaier (1974), ZAMM 54(1), 39–51.
 */
export function sumCompensated(values: Float64Array, from = 0, to = values.length): number {
  let sum = 0;
  let comp = 0;
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    const u = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - u + x : x - u + sum;
    sum = u;
  }
  return sum + comp;
}
