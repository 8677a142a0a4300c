/** Centroid helpers: cluster means and nearest-centroid assignment (typed arrays, no per-row objects). */
import type { FeatureMatrix } from '../matrix.js';

/** Mean of each label's rows (labels 0..k−1), k × cols row-major; an empty label keeps a zero row. O(n·d). */
export function clusterMeans(m: FeatureMatrix, labels: Int32Array, k: number): { centroids: Float64Array; sizes: Int32Array } {
  const { rows, cols, values } = m;
  const centroids = new Float64Array(k * cols);
  const sizes = new Int32Array(k);
  for (let i = 0; i < rows; i++) {
    const c = labels[i]!;
    sizes[c]!++;
    const base = c * cols;
    const row = i * cols;
    for (let j = 0; j < cols; j++) centroids[base + j]! += values[row + j]!;
  }
  for (let c = 0; c < k; c++) {
    const s = sizes[c]!;
    if (s === 0) continue;
    for (let j = 0; j < cols; j++) centroids[c * cols + j]! /= s;
  }
  return { centroids, sizes };
}

/**
 * Label of the nearest centroid (squared Euclidean, ties to the lower index) for each row, written into `out`
 * (allocated when absent). Rows flagged in `skip` keep their value in `out`. O(n·k·d).
 */
export function nearestCentroid(m: FeatureMatrix, centroids: Float64Array, k: number, out: Int32Array = new Int32Array(m.rows), skip?: Uint8Array): Int32Array {
  const { rows, cols, values } = m;
  for (let i = 0; i < rows; i++) {
    if (skip && skip[i] === 1) continue;
    const row = i * cols;
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const base = c * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) {
        const t = values[row + j]! - centroids[base + j]!;
        s += t * t;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Copies the listed rows of `m` into a new matrix (ids and columns follow). */
export function takeRows(m: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  const { cols, values } = m;
  const out = new Float64Array(rows.length * cols);
  const ids: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out.set(values.subarray(r * cols, r * cols + cols), i * cols);
    ids[i] = m.ids[r] ?? String(r);
  }
  return { rows: rows.length, cols, values: out, ids, columns: m.columns };
}
