/**
 * Column quantiles with linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default
 * `np.quantile` / `np.percentile`). O(rows·log rows) per column.
 */
import type { FeatureMatrix } from '../matrix.js';

/** The p-quantile (0 ≤ p ≤ 1) of an ascending-sorted array. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/** Column j of m, sorted ascending. */
export function sortedColumn(m: FeatureMatrix, j: number): Float64Array {
  const col = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) col[i] = m.values[i * m.cols + j]!;
  return col.sort();
}
