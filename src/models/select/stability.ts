/**
 * Bootstrap stability (after Hennig 2007, "Cluster-wise assessment of cluster stability", and Lange et al. 2004):
 * refit the method on resamples of the rows drawn with replacement, label every original row with the refitted
 * model, and compare with the full fit by adjusted Rand index. A mean near 1 says the partition is a property of
 * the data, not of one draw. Cost: `resamples` fits of the method plus O(n·k·d) assignments.
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import { adjustedRandIndex } from '../metrics/index.js';
import { nearestCentroid, takeRows } from './assign.js';
import { buildTree, checkFitInput, fitMethod, predictLabels, type Tree } from './fit.js';
import { bootstrapRows } from './sample.js';
import { FIT_DEFAULTS, isHierarchical, type ClusterMethod } from './types.js';

export interface StabilityOptions {
  /** Default 10. */
  readonly resamples?: number;
  /** Seed of the resamples and of each refit. Default 0. */
  readonly seed?: number;
  /** Labels of the full fit to compare with; computed with `fitMethod` when absent. */
  readonly reference?: Int32Array;
  readonly sampleForHierarchical?: number;
  readonly nInit?: number;
  /** Cache of hierarchical trees per resample, shared across k (the tree does not depend on k). */
  readonly treeCache?: Map<string, Tree>;
}

export interface Stability {
  /** Mean ARI of the refits against the full fit. */
  readonly mean: number;
  /** Sample standard deviation of the ARIs (0 with one resample). */
  readonly std: number;
  readonly min: number;
  /** ARI of each resample, in draw order. */
  readonly ari: Float64Array;
}

/**
 * Mean and spread of the ARI between the full fit of (`method`, `k`) and refits on `resamples` bootstrap
 * resamples. Centroid models (kmeans, minibatch) label original rows by nearest centroid, gmm by its most probable
 * component; hierarchical methods fit on the resample's distinct rows, which keep their tree labels, and the other
 * rows go to the nearest cluster mean. The resamples depend only on the seed and n, so every method and k is judged
 * on the same draws. Deterministic by seed.
 */
export function bootstrapStability(m: FeatureMatrix, method: ClusterMethod, k: number, options: StabilityOptions = {}): Stability {
  checkFitInput(m, method, k);
  const resamples = options.resamples ?? 10;
  const seed = options.seed ?? FIT_DEFAULTS.seed;
  const limit = options.sampleForHierarchical ?? FIT_DEFAULTS.sampleForHierarchical;
  const nInit = options.nInit ?? FIT_DEFAULTS.nInit;
  const reference = options.reference ?? fitMethod(m, { method, k, seed, sampleForHierarchical: limit, nInit }).labels;
  const rng = createRng(seed);
  const ari = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    const rows = bootstrapRows(m.rows, rng);
    const fitSeed = seed + 1 + b;
    let labels: Int32Array;
    if (isHierarchical(method)) {
      const unique = distinctSorted(rows, m.rows);
      const sub = takeRows(m, unique);
      const key = `${method}:${b}`;
      let tree = options.treeCache?.get(key);
      if (!tree) {
        tree = buildTree(sub, method, limit, fitSeed);
        options.treeCache?.set(key, tree);
      }
      const fit = fitMethod(sub, { method, k: Math.min(k, sub.rows), seed: fitSeed }, tree);
      labels = new Int32Array(m.rows);
      const inFit = new Uint8Array(m.rows);
      for (let i = 0; i < unique.length; i++) {
        inFit[unique[i]!] = 1;
        labels[unique[i]!] = fit.labels[i]!;
      }
      nearestCentroid(m, fit.centroids, fit.clusters, labels, inFit);
    } else {
      const fit = fitMethod(takeRows(m, rows), { method, k: Math.min(k, m.rows), seed: fitSeed, nInit });
      labels = predictLabels(fit, m);
    }
    ari[b] = adjustedRandIndex(reference, labels);
  }
  return summarise(ari);
}

function distinctSorted(rows: Int32Array, n: number): Int32Array {
  const seen = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    if (seen[rows[i]!] === 0) {
      seen[rows[i]!] = 1;
      count++;
    }
  }
  const out = new Int32Array(count);
  let j = 0;
  for (let r = 0; r < n; r++) if (seen[r] === 1) out[j++] = r;
  return out;
}

function summarise(ari: Float64Array): Stability {
  const n = ari.length;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const v = ari[i]!;
    const delta = v - mean;
    mean += delta / (i + 1);
    m2 += delta * (v - mean);
    if (v < min) min = v;
  }
  return { mean: n ? mean : NaN, std: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, min: n ? min : NaN, ari };
}
