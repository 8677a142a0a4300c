/** The segments page's scatter: the clustering sample projected on its first two principal components. */
import { pca } from '../../models/preprocess/index.js';
import type { ClusteringSample } from './clustering-sample.js';
import type { ClusterMap, ClusterPoint } from './types.js';

/** Rounds a coordinate to 4 decimals (the plot needs no more; it keeps the payload small). */
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * 2-D PCA projection of the sample (scikit-learn's sign convention). With fewer than 2 rows or 2 features there is no
 * plane to project on: points sit on the x axis (the single feature) or at the origin. Cost O(n·d² + d³).
 */
export function clusterMap(sample: ClusteringSample | null, total: number): ClusterMap {
  if (!sample) return { points: [], total, sampled: 0, seed: 0, explainedVarianceRatio: [] };
  const m = sample.matrix;
  const points: ClusterPoint[] = new Array<ClusterPoint>(m.rows);
  let ratios: number[] = [];
  if (m.rows >= 2 && m.cols >= 2) {
    const p = pca(m, 2);
    ratios = Array.from(p.explainedVarianceRatio, round4);
    for (let i = 0; i < m.rows; i++) {
      points[i] = { id: m.ids[i]!, x: round4(p.projection[2 * i]!), y: round4(p.projection[2 * i + 1]!), cluster: sample.labels[i]! };
    }
  } else {
    for (let i = 0; i < m.rows; i++) points[i] = { id: m.ids[i]!, x: m.cols === 1 ? round4(m.values[i]!) : 0, y: 0, cluster: sample.labels[i]! };
  }
  return { points, total, sampled: m.rows, seed: sample.seed, explainedVarianceRatio: ratios };
}
