/**
 * K-means clustering of a feature matrix: k-means++ (greedy, seeded) restarts, each run by Hamerly-accelerated
 * or plain Lloyd iterations, best inertia wins (first run on ties). Matches scikit-learn's `KMeans(algorithm=
 * 'lloyd')`: same tolerance meaning, same stopping rule, same iteration count from the same initial centres.
 *
 * Empty clusters: an empty cluster's centre moves to the row farthest from its own centre (see
 * `relocateEmptyClusters`), deterministically.
 *
 * Cost: O(nInit · iterations · n · k · d) at worst; Hamerly skips most distance computations once centres settle.
 * Memory: O(n·(4 + 2 + log k)) doubles besides the data.
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import { allocateBuffers } from './buffers.js';
import { runFromCentres } from './run.js';
import { singleThreadRunner, type ChunkRunner } from './runner.js';
import { kmeansPlusPlus } from './seeding.js';
import { KMEANS_DEFAULTS, type KMeansOptions, type KMeansResult } from './types.js';
import { createScratch } from './update.js';
import { validateInitialCentroids, validateMatrixAndK, validatePositiveInteger, validateTolerance } from './validate.js';

/** Mean of the per-column population variances (Welford), scikit-learn's `_tolerance` scale. O(n·d). */
export function meanColumnVariance(m: FeatureMatrix): number {
  const { rows, cols, values } = m;
  const mean = new Float64Array(cols);
  const m2 = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const w = 1 / (i + 1);
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j]!;
      const delta = v - mean[j]!;
      mean[j]! += delta * w;
      m2[j]! += delta * (v - mean[j]!);
    }
  }
  let total = 0;
  for (let j = 0; j < cols; j++) total += m2[j]! / rows;
  return total / cols;
}

/** Clusters the rows of `m` into `options.k` groups. See the module comment for the algorithm and its cost. */
export function kmeans(m: FeatureMatrix, options: KMeansOptions): KMeansResult {
  const d = KMEANS_DEFAULTS;
  const o = {
    k: options.k,
    seed: options.seed ?? d.seed,
    nInit: options.nInit ?? d.nInit,
    maxIterations: options.maxIterations ?? d.maxIterations,
    tolerance: options.tolerance ?? d.tolerance,
    init: options.init ?? d.init,
    algorithm: options.algorithm ?? d.algorithm,
  };
  const { k } = o;
  validateMatrixAndK(m, k, 'kmeans');
  validatePositiveInteger(o.maxIterations, 'maxIterations', 'kmeans');
  validatePositiveInteger(o.nInit, 'nInit', 'kmeans');
  validateTolerance(o.tolerance, 'kmeans');
  if (o.algorithm !== 'hamerly' && o.algorithm !== 'lloyd') {
    throw new RangeError(`kmeans requires algorithm 'hamerly' or 'lloyd' (got ${String(o.algorithm)})`);
  }
  const given = o.init instanceof Float64Array ? o.init : null;
  if (given) validateInitialCentroids(given, k, m.cols, 'kmeans');
  const nInit = given ? 1 : o.nInit;
  const absoluteTolerance = o.tolerance * meanColumnVariance(m);

  const { buffers } = allocateBuffers(m.values, m.rows, m.cols, k, false);
  const runner: ChunkRunner = singleThreadRunner(buffers);
  try {
    const scratch = createScratch(k, m.cols);
    const master = createRng(o.seed);
    const init = new Float64Array(k * m.cols);
    let best: KMeansResult | null = null;
    for (let r = 0; r < nInit; r++) {
      if (given) init.set(given);
      else kmeansPlusPlus(runner, master.fork(), init);
      const run = runFromCentres(runner, scratch, init, o.maxIterations, absoluteTolerance, o.algorithm);
      if (best === null || run.inertia < best.inertia) {
        const labels = buffers.labels.slice();
        best = {
          labels,
          centroids: buffers.centers.slice(),
          sizes: clusterSizes(labels, k),
          inertia: run.inertia,
          iterations: run.iterations,
          converged: run.converged,
          nInitRun: nInit,
          inertiaHistory: run.history,
        };
      }
    }
    return best!;
  } finally {
    runner.close();
  }
}

/** Rows per cluster. O(n). */
export function clusterSizes(labels: Int32Array, k: number): Int32Array {
  const sizes = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]!]! += 1;
  return sizes;
}
