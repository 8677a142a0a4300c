/**
 * K-means segmentation of customers in business terms: transform the feature matrix (log1p for skewed
 * columns, winsorise, z-score), choose k (silhouette over a k range, with the elbow shown) or take it as
 * given, fit K-means with k-means++ and restarts, and name each cluster from its centroid.
 * Everything is deterministic by seed. Cost: (kMax − kMin + 1) K-means fits of `scanInit` restarts plus one
 * sampled silhouette each, then one fit of `nInit` restarts for the chosen k.
 */
import { InputError } from '../../core/errors.js';
import type { FeatureMatrix } from '../../models/matrix.js';
import { kmeans, type KMeansResult } from '../../models/kmeans/index.js';
import { kneedle, silhouetteScoreSampledParallel } from '../../models/metrics/index.js';
import { fitLog1p, fitWinsorise, fitZScore, type PreprocessParams } from '../../models/preprocess/index.js';
import { nameClusters, type ClusterName } from '../naming/index.js';
import { LOG_FEATURES, WINSOR_QUANTILES } from './cluster-features.js';

export interface SegmentCustomersOptions {
  /** A fixed k, or 'auto' to choose from kMin..kMax by silhouette. */
  readonly k: number | 'auto';
  readonly seed: number;
  readonly kMin?: number;
  readonly kMax?: number;
  /** K-means restarts of the final fit (default 10). */
  readonly nInit?: number;
  /**
   * Restarts per candidate k while choosing k (default 3, at most nInit): the scan only ranks the k values,
   * and the chosen k is then fitted again with nInit restarts.
   */
  readonly scanInit?: number;
  /** Rows used for the silhouette of each candidate k (default 5,000; all rows when fewer). */
  readonly silhouetteSample?: number;
}

export interface KCandidate {
  readonly k: number;
  readonly inertia: number;
  readonly silhouette: number;
  readonly converged: boolean;
}

export interface CustomerSegmentation {
  readonly k: number;
  readonly labels: Int32Array;
  readonly fit: KMeansResult;
  readonly candidates: readonly KCandidate[];
  readonly elbowK: number | null;
  readonly chosenBy: string;
  /** The transforms, in order, as data: enough to place a new customer with the same scaling. */
  readonly transforms: readonly PreprocessParams[];
  readonly transformText: readonly string[];
  /** k × cols centroids in the clustering space (z) and in the features' own units (member means). */
  readonly zCentroids: Float64Array;
  readonly rawCentroids: Float64Array;
  readonly names: readonly ClusterName[];
  readonly silhouette: number;
}

export async function segmentCustomers(raw: FeatureMatrix, options: SegmentCustomersOptions): Promise<CustomerSegmentation> {
  if (raw.rows < 2) throw new InputError(`segmentation requires at least 2 customers (got ${raw.rows})`);
  const { x, logColumns, transforms } = scaleForClustering(raw);
  const sample = options.silhouetteSample ?? 5000;
  const nInit = options.nInit ?? 10;
  const scanInit = Math.min(options.scanInit ?? 3, nInit);
  const fitK = (k: number, restarts = nInit) => kmeans(x, { k, seed: options.seed, nInit: restarts });
  // The sample's distance pass runs on worker threads (the score is the same up to rounding).
  const score = (labels: Int32Array) => silhouetteScoreSampledParallel(x, labels, { sampleSize: Math.min(sample, x.rows), seed: options.seed });

  let candidates: KCandidate[] = [];
  let best: { k: number; fit: KMeansResult; silhouette: number } | undefined;
  let chosenBy: string;
  let elbowK: number | null = null;
  if (options.k === 'auto') {
    const kMin = options.kMin ?? 2;
    const kMax = Math.min(options.kMax ?? 10, x.rows - 1);
    if (kMax < kMin) throw new InputError(`--k auto requires at least ${kMin + 1} customers (got ${x.rows})`);
    for (let k = kMin; k <= kMax; k++) {
      const fit = fitK(k, scanInit);
      const silhouette = await score(fit.labels);
      candidates.push({ k, inertia: fit.inertia, silhouette, converged: fit.converged });
      if (!best || silhouette > best.silhouette) best = { k, fit, silhouette };
    }
    if (candidates.length >= 3) {
      elbowK = kneedle(candidates.map((c) => c.k), candidates.map((c) => c.inertia)).knee;
    }
    chosenBy = `highest silhouette ${best!.silhouette.toFixed(3)} among k=${kMin}..${kMax}${elbowK !== null ? `; the inertia elbow is at k=${elbowK}` : ''}`;
    if (scanInit < nInit) {
      // The final fit keeps the better of the scan's fit and the full restarts (both from the same seed).
      const fit = fitK(best!.k);
      if (fit.inertia <= best!.fit.inertia) best = { k: best!.k, fit, silhouette: await score(fit.labels) };
      chosenBy += `; the scan used ${scanInit} restarts per k, the chosen k ${nInit}`;
    }
  } else {
    const k = options.k;
    if (!Number.isInteger(k) || k < 1 || k > x.rows) throw new InputError(`--k must be a whole number between 1 and the number of customers (got k=${k}, customers=${x.rows})`);
    const fit = fitK(k);
    const silhouette = k > 1 ? await score(fit.labels) : 0;
    best = { k, fit, silhouette };
    candidates = [{ k, inertia: fit.inertia, silhouette, converged: fit.converged }];
    chosenBy = 'given with --k';
  }
  const { k, fit } = best!;
  const rawCentroids = memberMeans(raw, fit.labels, k);
  const names = nameClusters({ columns: raw.columns, zCentroids: fit.centroids, rawCentroids, k });
  return {
    k,
    labels: fit.labels,
    fit,
    candidates,
    elbowK,
    chosenBy,
    transforms,
    transformText: [
      `log1p(${logColumns.join(', ')})`,
      `winsorised at the ${WINSOR_QUANTILES[0] * 100}th/${WINSOR_QUANTILES[1] * 100}th percentiles`,
      'z-scored (mean 0, standard deviation 1)',
    ],
    zCentroids: fit.centroids,
    rawCentroids,
    names,
    silhouette: best!.silhouette,
  };
}

/**
 * The clustering space: log1p of the skewed columns, winsorised, z-scored. Its own function so that the two
 * intermediate matrices (each as large as the input) are garbage once it returns, before the fits allocate theirs.
 */
function scaleForClustering(raw: FeatureMatrix): { x: FeatureMatrix; logColumns: string[]; transforms: PreprocessParams[] } {
  const logColumns = raw.columns.filter((c) => LOG_FEATURES.has(c));
  const logged = fitLog1p(raw, logColumns);
  const winsorised = fitWinsorise(logged.matrix, WINSOR_QUANTILES[0], WINSOR_QUANTILES[1]);
  const scaled = fitZScore(winsorised.matrix);
  return { x: scaled.matrix, logColumns, transforms: [logged.params, winsorised.params, scaled.params] };
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
