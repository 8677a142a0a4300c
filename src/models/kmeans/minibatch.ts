/**
 * Mini-batch K-means for very large data, scikit-learn's `MiniBatchKMeans` algorithm (Sculley, "Web-scale
 * k-means clustering", WWW 2010): each step draws `batchSize` rows with replacement, assigns them to the nearest
 * centre, and moves each centre towards its batch rows with a per-centre learning rate 1/count (count = rows the
 * centre has absorbed so far). Stops after `maxIterations` passes' worth of steps, when the squared centre shift
 * total is at most the tolerance (scaled like `kmeans`; default 0 = off), or when the smoothed batch inertia has
 * not improved for `maxNoImprovement` steps. A final full assignment gives labels and inertia.
 *
 * Differences from scikit-learn, stated: one k-means++ initialisation on a seeded sample of
 * max(3·batchSize, 3k) rows (scikit-learn tries 3 and keeps the best), and no random reassignment of small
 * clusters; a centre that never receives a row stays where k-means++ put it.
 *
 * Cost: O(steps · batchSize · k · d + n · k · d). Deterministic by seed.
 */
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { allocateBuffers } from './buffers.js';
import { clusterSizes, meanColumnVariance } from './kmeans.js';
import { singleThreadRunner } from './runner.js';
import { kmeansPlusPlus } from './seeding.js';
import { validateMatrixAndK, validatePositiveInteger, validateTolerance } from './validate.js';

export interface MiniBatchKMeansOptions {
  readonly k: number;
  /** Default 0. */
  readonly seed?: number;
  /** Rows per step. Default 1024. */
  readonly batchSize?: number;
  /** Passes over the data (epochs); steps = floor(maxIterations · rows / batchSize). Default 100. */
  readonly maxIterations?: number;
  /** Steps without improvement of the smoothed batch inertia before stopping. Default 10. */
  readonly maxNoImprovement?: number;
  /** Relative tolerance on the squared centre shift of a step, as in `kmeans`. Default 0 (off), as scikit-learn. */
  readonly tolerance?: number;
}

export const MINI_BATCH_DEFAULTS = { seed: 0, batchSize: 1024, maxIterations: 100, maxNoImprovement: 10, tolerance: 0 } as const;

export interface MiniBatchKMeansResult {
  readonly labels: Int32Array;
  readonly centroids: Float64Array;
  readonly sizes: Int32Array;
  /** Inertia of the final full assignment. */
  readonly inertia: number;
  /** Mini-batch steps taken. */
  readonly steps: number;
  /** True when a stopping rule (tolerance or no improvement) fired before the step cap. */
  readonly converged: boolean;
}

/** Nearest centre of row `xi` (ties to the lower index); writes its squared distance into out[0]. */
function nearest(x: Float64Array, xi: number, centers: Float64Array, k: number, d: number, out: Float64Array): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = x[xi + j]! - centers[c * d + j]!;
      s += t * t;
    }
    if (s < bestD) {
      bestD = s;
      best = c;
    }
  }
  out[0] = bestD;
  return best;
}

function initialCentres(m: FeatureMatrix, k: number, sampleSize: number, rng: ReturnType<typeof createRng>): Float64Array {
  const { cols, values } = m;
  const size = Math.min(m.rows, sampleSize);
  const sample = new Float64Array(size * cols);
  for (let i = 0; i < size; i++) {
    const r = size === m.rows ? i : rng.int(m.rows);
    sample.set(values.subarray(r * cols, r * cols + cols), i * cols);
  }
  const sm = createMatrix(sample, size, cols);
  const { buffers } = allocateBuffers(sm.values, size, cols, k, false);
  const out = new Float64Array(k * cols);
  kmeansPlusPlus(singleThreadRunner(buffers), rng.fork(), out);
  return out;
}

/** Clusters `m` with mini-batch K-means. See the module comment. */
export function miniBatchKMeans(m: FeatureMatrix, options: MiniBatchKMeansOptions): MiniBatchKMeansResult {
  const D = MINI_BATCH_DEFAULTS;
  const { k } = options;
  const batchSize = options.batchSize ?? D.batchSize;
  const maxIterations = options.maxIterations ?? D.maxIterations;
  const maxNoImprovement = options.maxNoImprovement ?? D.maxNoImprovement;
  const tolerance = options.tolerance ?? D.tolerance;
  validateMatrixAndK(m, k, 'miniBatchKMeans');
  validatePositiveInteger(batchSize, 'batchSize', 'miniBatchKMeans');
  validatePositiveInteger(maxIterations, 'maxIterations', 'miniBatchKMeans');
  validatePositiveInteger(maxNoImprovement, 'maxNoImprovement', 'miniBatchKMeans');
  validateTolerance(tolerance, 'miniBatchKMeans');

  const { rows: n, cols: d, values: x } = m;
  const rng = createRng(options.seed ?? D.seed);
  const centers = initialCentres(m, k, Math.max(3 * batchSize, 3 * k), rng);
  const absoluteTolerance = tolerance > 0 ? tolerance * meanColumnVariance(m) : 0;
  const counts = new Float64Array(k);
  const batchCounts = new Float64Array(k);
  const batchSums = new Float64Array(k * d);
  const batchLabels = new Int32Array(batchSize);
  const batchRows = new Int32Array(batchSize);
  const dist = new Float64Array(1);
  const steps = Math.max(1, Math.floor((maxIterations * n) / batchSize));
  const alpha = Math.min(1, (batchSize * 2) / (n + 1));
  let ewa = NaN;
  let ewaMin = Infinity;
  let noImprovement = 0;
  let converged = false;
  let step = 0;
  while (step < steps) {
    step++;
    batchCounts.fill(0);
    batchSums.fill(0);
    let batchInertia = 0;
    for (let b = 0; b < batchSize; b++) {
      const r = rng.int(n);
      batchRows[b] = r;
      const a = nearest(x, r * d, centers, k, d, dist);
      batchLabels[b] = a;
      batchInertia += dist[0]!;
      batchCounts[a]! += 1;
      for (let j = 0; j < d; j++) batchSums[a * d + j]! += x[r * d + j]!;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      const bc = batchCounts[c]!;
      if (bc === 0) continue;
      const total = counts[c]! + bc;
      for (let j = 0; j < d; j++) {
        const old = centers[c * d + j]!;
        const v = (old * counts[c]! + batchSums[c * d + j]!) / total;
        centers[c * d + j] = v;
        shift += (v - old) * (v - old);
      }
      counts[c] = total;
    }
    // Convergence as scikit-learn's _mini_batch_convergence (skipped on the first step, as there).
    if (step === 1) {
      ewa = batchInertia / batchSize;
      continue;
    }
    if (absoluteTolerance > 0 && shift <= absoluteTolerance) {
      converged = true;
      break;
    }
    ewa = ewa * (1 - alpha) + (batchInertia / batchSize) * alpha;
    if (ewa < ewaMin) {
      noImprovement = 0;
      ewaMin = ewa;
    } else {
      noImprovement++;
    }
    if (noImprovement >= maxNoImprovement) {
      converged = true;
      break;
    }
  }
  const labels = new Int32Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    labels[i] = nearest(x, i * d, centers, k, d, dist);
    inertia += dist[0]!;
  }
  return { labels, centroids: centers, sizes: clusterSizes(labels, k), inertia, steps: step, converged };
}
