/**
 * Column data for tree growing: the matrix rounded to float32 (scikit-learn's trees work on float32, so thresholds
 * and predictions only match when we round the same way) stored column-major, and each feature's row order sorted
 * once by value. Trees then only partition these orders, never sort again. Cost O(d · n log n) once.
 */
import type { FeatureMatrix } from '../matrix.js';

export interface ColumnData {
  readonly n: number;
  readonly d: number;
  /** float32 values, column-major: feature f of row i is x[f * n + i]. */
  readonly x: Float32Array;
  /** Per feature, all row indices sorted by value (ties by row index). */
  readonly sorted: readonly Int32Array[];
}

/** Rounds X to float32, transposes it and sorts each column's row indices. */
export function presort(X: FeatureMatrix): ColumnData {
  const { rows: n, cols: d, values } = X;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) x[f * n + i] = values[i * d + f]!;
  const sorted: Int32Array[] = [];
  for (let f = 0; f < d; f++) {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const col = x.subarray(f * n, (f + 1) * n);
    idx.sort((a, b) => col[a]! - col[b]! || a - b);
    sorted.push(idx);
  }
  return { n, d, x, sorted };
}

/** Per feature, the sorted rows that have a positive weight (zero-weight rows are left out, as sklearn does). */
export function selectRows(cols: ColumnData, weight: Float64Array): { order: Int32Array[]; m: number } {
  let m = 0;
  for (let i = 0; i < cols.n; i++) if (weight[i]! > 0) m++;
  const order: Int32Array[] = [];
  for (let f = 0; f < cols.d; f++) {
    const src = cols.sorted[f]!;
    const dst = new Int32Array(m);
    let k = 0;
    for (let p = 0; p < src.length; p++) {
      const i = src[p]!;
      if (weight[i]! > 0) dst[k++] = i;
    }
    order.push(dst);
  }
  return { order, m };
}
