/**
 * Per-cluster means of a feature matrix, the building block of inertia, Davies–Bouldin and Calinski–Harabasz.
 */
import type { FeatureMatrix } from '../matrix.js';

/**
 * Mean of each cluster's rows, as a row-major `k × cols` Float64Array (row c is the centroid of code c).
 * `codes` are dense 0..k-1 (see `encodeLabels`) and `counts` their sizes; an empty cluster gets a zero centroid.
 * Sums are compensated (Neumaier), so the error does not grow with the cluster size. Cost O(n·d) time,
 * O(k·d) memory. Reference: Neumaier (1974), "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen".
 */
export function clusterCentroids(m: FeatureMatrix, codes: Int32Array, k: number, counts: Int32Array): Float64Array {
  const { rows, cols, values } = m;
  const sum = new Float64Array(k * cols);
  const comp = new Float64Array(k * cols);
  for (let i = 0; i < rows; i++) {
    const base = codes[i]! * cols;
    const row = i * cols;
    for (let t = 0; t < cols; t++) {
      const x = values[row + t]!;
      const s = sum[base + t]!;
      const u = s + x;
      comp[base + t]! += Math.abs(s) >= Math.abs(x) ? s - u + x : x - u + s;
      sum[base + t] = u;
    }
  }
  for (let c = 0; c < k; c++) {
    const size = counts[c]!;
    for (let t = 0; t < cols; t++) {
      const j = c * cols + t;
      sum[j] = size > 0 ? (sum[j]! + comp[j]!) / size : 0;
    }
  }
  return sum;
}

/** Mean of every column (the grand centroid), with compensated sums. Cost O(n·d). */
export function columnMeans(m: FeatureMatrix): Float64Array {
  const one = new Int32Array(m.rows);
  return clusterCentroids(m, one, 1, Int32Array.of(m.rows));
}
