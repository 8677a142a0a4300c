/**
 * The clustering space every segmentation method works in — log1p of the skewed columns, winsorised, z-scored —
 * and the member means that describe a segment in the features' own units.
 */
import type { FeatureMatrix } from '../../models/matrix.js';
import { fitLog1p, fitWinsorise, fitZScore, type PreprocessParams } from '../../models/preprocess/index.js';
import { LOG_FEATURES, WINSOR_QUANTILES } from './cluster-features.js';

export interface ClusteringSpace {
  readonly x: FeatureMatrix;
  readonly transforms: PreprocessParams[];
  /** The transforms in words, for the run summary. */
  readonly transformText: string[];
}

/**
 * Transforms `raw` into the clustering space. Its own function so that the two intermediate matrices (each as
 * large as the input) are garbage once it returns, before the fits allocate theirs. O(rows·cols·log rows).
 */
export function scaleForClustering(raw: FeatureMatrix): ClusteringSpace {
  const logColumns = raw.columns.filter((c) => LOG_FEATURES.has(c));
  const logged = fitLog1p(raw, logColumns);
  const winsorised = fitWinsorise(logged.matrix, WINSOR_QUANTILES[0], WINSOR_QUANTILES[1]);
  const scaled = fitZScore(winsorised.matrix);
  return {
    x: scaled.matrix,
    transforms: [logged.params, winsorised.params, scaled.params],
    transformText: [
      `log1p(${logColumns.join(', ')})`,
      `winsorised at the ${WINSOR_QUANTILES[0] * 100}th/${WINSOR_QUANTILES[1] * 100}th percentiles`,
      'z-scored (mean 0, standard deviation 1)',
    ],
  };
}

/** Mean of each column over the members of each cluster, in the matrix's own units. O(rows · cols). */
export function memberMeans(m: FeatureMatrix, labels: Int32Array, k: number): Float64Array {
  const { rows, cols, values } = m;
  const sums = new Float64Array(k * cols);
  const counts = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    const c = labels[i]!;
    counts[c]! += 1;
    const base = i * cols;
    const out = c * cols;
    for (let j = 0; j < cols; j++) sums[out + j]! += values[base + j]!;
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < cols; j++) sums[c * cols + j]! /= Math.max(1, counts[c]!);
  return sums;
}
