/**
 * Inertia (within-cluster sum of squares), the quantity k-means minimises and the y-axis of an elbow plot.
 */
import { InputError } from '../../core/errors.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import { clusterCentroids } from './centroids.js';
import { checkLabels, encodeLabels } from './labels.js';

/**
 * Sum over rows of the squared Euclidean distance to the row's centroid. With `centroids` (row-major `k × cols`,
 * e.g. a k-means result) label `l` uses centroid row `l`, so labels must be below k; without, each cluster's mean
 * is used and labels may be any non-negative integers. Matches scikit-learn's `KMeans.inertia_` (direct
 * differences, compensated sum). Use it to compare fits of the same k or to draw an elbow curve (see `kneedle`).
 * Cost O(n·d) time, O(k·d) memory. Reference: Lloyd (1982), "Least squares quantization in PCM".
 */
export function inertia(m: FeatureMatrix, labels: Int32Array, centroids?: Float64Array): number {
  checkLabels(labels, m.rows, 'inertia');
  assertFinite(m, 'inertia');
  const { rows, cols, values } = m;
  let codes = labels;
  let centres: Float64Array;
  if (centroids === undefined) {
    const enc = encodeLabels(labels);
    codes = enc.codes;
    centres = clusterCentroids(m, enc.codes, enc.k, enc.counts);
  } else {
    centres = centroids;
    const k = cols === 0 ? 0 : centroids.length / cols;
    if (!Number.isInteger(k) || (cols === 0 && centroids.length > 0)) {
      throw new InputError(`inertia requires centroids.length to be a multiple of cols (got centroids.length=${centroids.length}, cols=${cols})`);
    }
    for (let i = 0; i < rows; i++) {
      if (labels[i]! >= k) {
        throw new InputError(`inertia requires labels below the number of centroids (got labels[${i}]=${labels[i]}, centroids=${k})`, [
          { path: `labels[${i}]`, message: `no centroid ${labels[i]}` },
        ]);
      }
    }
    for (let j = 0; j < centroids.length; j++) {
      if (!Number.isFinite(centroids[j]!)) {
        throw new InputError(`inertia requires finite centroids (got ${centroids[j]} at centroid ${Math.floor(j / cols)}, column ${(j % cols) + 1})`);
      }
    }
  }
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    const base = codes[i]! * cols;
    let s = 0;
    for (let t = 0; t < cols; t++) {
      const diff = values[row + t]! - centres[base + t]!;
      s += diff * diff;
    }
    const u = sum + s;
    comp += sum >= s ? sum - u + s : s - u + sum;
    sum = u;
  }
  return sum + comp;
}
