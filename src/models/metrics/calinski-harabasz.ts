/**
 * Calinski–Harabasz index (variance ratio criterion): between-cluster dispersion over within-cluster dispersion,
 * each divided by its degrees of freedom. Higher is better.
 */
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import { clusterCentroids, columnMeans } from './centroids.js';
import { checkLabelCount, checkLabels, encodeLabels } from './labels.js';

/**
 * Calinski–Harabasz score exactly as scikit-learn 1.2 defines it:
 * [Σ_c n_c‖μ_c − μ‖² / (k − 1)] / [Σ_i ‖x_i − μ_{c(i)}‖² / (n − k)], and 1 when the within-cluster dispersion is 0.
 * Use it to compare k on large data where the silhouette is too costly. Requires 2 <= k <= n − 1.
 * Cost O(n·d) time, O(k·d) memory. Reference: Caliński & Harabasz (1974), Commun. Stat. 3(1), 1–27.
 */
export function calinskiHarabaszScore(m: FeatureMatrix, labels: Int32Array): number {
  checkLabels(labels, m.rows, 'calinskiHarabasz');
  assertFinite(m, 'calinskiHarabasz');
  const { codes, counts, k } = encodeLabels(labels);
  checkLabelCount(k, m.rows, 'calinskiHarabasz');
  const { rows, cols, values } = m;
  const centres = clusterCentroids(m, codes, k, counts);
  const mean = columnMeans(m);
  let extra = 0;
  for (let c = 0; c < k; c++) {
    let q = 0;
    for (let t = 0; t < cols; t++) {
      const diff = centres[c * cols + t]! - mean[t]!;
      q += diff * diff;
    }
    extra += counts[c]! * q;
  }
  let intra = 0;
  let comp = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    const base = codes[i]! * cols;
    let q = 0;
    for (let t = 0; t < cols; t++) {
      const diff = values[row + t]! - centres[base + t]!;
      q += diff * diff;
    }
    const u = intra + q;
    comp += intra >= q ? intra - u + q : q - u + intra;
    intra = u;
  }
  intra += comp;
  return intra === 0 ? 1 : (extra * (rows - k)) / (intra * (k - 1));
}
