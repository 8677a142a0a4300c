/**
 * K-means clustering of a feature matrix: k-means++ (greedy, seeded) restarts, each run by Hamerly-accelerated
 * or plain Lloyd iterations, best inertia wins (first run on ties). Matches scikit-learn's `KMeans(algorithm=
 * 'lloyd')`: same tolerance meaning, same stopping rule, same iteration count from the same initial centres.
 *
 * Empty clusters: an empty cluster's centre moves to the row farthest from its own centre (see
 * `relocateEmptyClusters`), deterministically.
 *
 * Threads: from `PARALLEL_MIN_ROWS` rows the assignment and seeding passes run on worker threads (`pool.ts`),
 * by default as many as the machine offers; the result is the same bit for bit with any thread count.
 *
 * Cost: O(nInit · iterations · n · k · d) at worst; Hamerly skips most distance computations once centres settle.
 * Memory: O(n·(4 + 2 + log k)) doubles besides the data.
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import { availableParallelism } from 'node:os';
import { allocateBuffers, chunkCount } from './buffers.js';
import { threadedRunner } from './pool.js';
import { meanVarianceAndCopy, prepareInput } from './prepare.js';
import { runFromCentres } from './run.js';
import { singleThreadRunner, type ChunkRunner } from './runner.js';
import { kmeansPlusPlus } from './seeding.js';
import { KMEANS_DEFAULTS, PARALLEL_MIN_ROWS, type KMeansOptions, type KMeansResult } from './types.js';
import { createScratch } from './update.js';
import { validateInitialCentroids, validatePositiveInteger, validateShapeAndK, validateTolerance } from './validate.js';

/** Most threads a fit uses by default. */
const DEFAULT_MAX_THREADS = 8;

/** Mean of the per-column population variances (Welford), scikit-learn's `_tolerance` scale. O(n·d). */
export function meanColumnVariance(m: FeatureMatrix): number {
  return meanVarianceAndCopy(m.values, m.rows, m.cols, null);
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
  validateShapeAndK(m, k, 'kmeans');
  if (options.threads !== undefined) validatePositiveInteger(options.threads, 'threads', 'kmeans');
  const threads = m.rows < PARALLEL_MIN_ROWS ? 1 : Math.min(options.threads ?? Math.min(availableParallelism(), DEFAULT_MAX_THREADS), chunkCount(m.rows));
  // One pass: finite check, tolerance scale, and the copy to shared memory that worker threads need.
  const { variance, x } = prepareInput(m, 'kmeans', threads > 1);
  validatePositiveInteger(o.maxIterations, 'maxIterations', 'kmeans');
  validatePositiveInteger(o.nInit, 'nInit', 'kmeans');
  validateTolerance(o.tolerance, 'kmeans');
  if (o.algorithm !== 'hamerly' && o.algorithm !== 'lloyd') {
    throw new RangeError(`kmeans requires algorithm 'hamerly' or 'lloyd' (got ${String(o.algorithm)})`);
  }
  const given = o.init instanceof Float64Array ? o.init : null;
  if (given) validateInitialCentroids(given, k, m.cols, 'kmeans');
  const nInit = given ? 1 : o.nInit;
  const skip = given ? 0 : options.skipRestarts ?? d.skipRestarts;
  if (!Number.isInteger(skip) || skip < 0 || skip >= nInit) throw new RangeError(`kmeans requires skipRestarts to be a whole number from 0 to nInit - 1 (got ${skip}, nInit ${nInit})`);
  const absoluteTolerance = o.tolerance * variance;

  const { buffers, list } = allocateBuffers(x, m.rows, m.cols, k, threads > 1);
  const runner: ChunkRunner = (threads > 1 ? threadedRunner(buffers, list, threads) : null) ?? singleThreadRunner(buffers);
  try {
    const scratch = createScratch(k, m.cols);
    const master = createRng(o.seed);
    const init = new Float64Array(k * m.cols);
    let best: KMeansResult | null = null;
    for (let r = 0; r < skip; r++) master.fork();
    for (let r = skip; r < nInit; r++) {
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
          nInitRun: nInit - skip,
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
