/** The internal validity scores of one labelling, with silhouette sampled above a row count. */
import type { FeatureMatrix } from '../matrix.js';
import { calinskiHarabaszScore, daviesBouldinScore, inertia, silhouetteScore, silhouetteScoreSampled } from '../metrics/index.js';

export interface ClusterScores {
  /** Distinct labels. */
  readonly clusters: number;
  /** Mean silhouette (higher is better, −1..1); null when undefined (one cluster, or one row per cluster). */
  readonly silhouette: number | null;
  /** Rows the silhouette was computed on (all rows, or a seeded sample). */
  readonly silhouetteRows: number;
  /** Davies–Bouldin (lower is better); null when undefined. */
  readonly daviesBouldin: number | null;
  /** Calinski–Harabasz (higher is better); null when undefined. */
  readonly calinskiHarabasz: number | null;
  /** Within-cluster sum of squares around the cluster means. */
  readonly inertia: number;
}

export interface ScoreOptions {
  /** Exact silhouette up to this many rows, else on a seeded sample of this size. Default 10,000. */
  readonly silhouetteSample?: number;
  /** Default 0. */
  readonly seed?: number;
}

/** Scores `labels` on `m`. Cost O(s²·d) for the silhouette on s = min(n, silhouetteSample) rows, O(n·d) for the rest. */
export function scoreLabels(m: FeatureMatrix, labels: Int32Array, options: ScoreOptions = {}): ClusterScores {
  const sample = options.silhouetteSample ?? 10_000;
  const clusters = countDistinct(labels);
  const defined = clusters >= 2 && clusters <= m.rows - 1;
  const silhouetteRows = Math.min(m.rows, sample);
  let silhouette: number | null = null;
  if (defined) {
    silhouette = m.rows <= sample ? silhouetteScore(m, labels) : sampledOrNull(m, labels, sample, options.seed ?? 0);
  }
  return {
    clusters,
    silhouette,
    silhouetteRows,
    daviesBouldin: defined ? daviesBouldinScore(m, labels) : null,
    calinskiHarabasz: defined ? calinskiHarabaszScore(m, labels) : null,
    inertia: inertia(m, labels),
  };
}

/** The sample can miss a small cluster and hold a single label; the score is then undefined. */
function sampledOrNull(m: FeatureMatrix, labels: Int32Array, sampleSize: number, seed: number): number | null {
  try {
    return silhouetteScoreSampled(m, labels, { sampleSize, seed });
  } catch {
    return null;
  }
}

function countDistinct(labels: Int32Array): number {
  const seen = new Set<number>();
  for (let i = 0; i < labels.length; i++) seen.add(labels[i]!);
  return seen.size;
}
