/**
 * Gaussian mixture model fitted by expectation–maximisation, matching scikit-learn's GaussianMixture
 * (same parameterisation, reg_covar, tol on the mean log-likelihood per row, BIC/AIC): soft segment
 * memberships with a probability per component. Use it over K-means when segments differ in spread or shape.
 * Cost: O(iterations · n · k · d²) time for full/tied (d instead of d² for diag/spherical), O(n·k) memory for
 * the memberships. Reference: Bishop (2006), Pattern Recognition and Machine Learning, §9.2.
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import { accumulateHard, emPass } from './em.js';
import { kmeansLabels, assign } from './kmeans-init.js';
import { createStats, paramsFromStats, type Params } from './params.js';
import type { CovarianceType, GaussianMixture, GmmOptions } from './types.js';
import { validateGmmInput, validateNewRows } from './validate.js';

/** Fits a k-component mixture to the rows of `m`. Throws an InputError for bad input or options. */
export function fitGmm(m: FeatureMatrix, options: GmmOptions): GaussianMixture {
  validateGmmInput(m, options);
  const { k } = options;
  const type: CovarianceType = options.covarianceType ?? 'full';
  const regCovar = options.regCovar ?? 1e-6;
  const tolerance = options.tolerance ?? 1e-3;
  const maxIterations = options.maxIterations ?? 100;
  const { values, rows: n, cols: d } = m;

  let params = initialParams(m, options, type, regCovar);
  let lowerBound = -Infinity;
  let converged = false;
  let iterations = 0;
  for (let iter = 1; iter <= maxIterations; iter++) {
    iterations = iter;
    const previous = lowerBound;
    const stats = createStats(type, k, d, params.means);
    lowerBound = emPass(values, n, params, stats) / n;
    params = paramsFromStats(type, k, d, stats, regCovar);
    if (Math.abs(lowerBound - previous) < tolerance) {
      converged = true;
      break;
    }
  }
  const labels = new Int32Array(n);
  const memberships = new Float64Array(n * k);
  const logLikelihood = emPass(values, n, params, null, { labels, memberships }) / n;
  const nParameters = countParameters(type, k, d);
  const final = params;
  return {
    k,
    cols: d,
    covarianceType: type,
    weights: final.weights,
    means: final.means,
    covariances: final.covariances,
    precisionsCholesky: final.precChol,
    logLikelihood,
    lowerBound,
    converged,
    iterations,
    nParameters,
    bic: -2 * logLikelihood * n + nParameters * Math.log(n),
    aic: -2 * logLikelihood * n + 2 * nParameters,
    labels,
    memberships,
    predictProba: (x) => predictProba(final, x),
  };
}

/** Free parameters of a mixture, as sklearn's `_n_parameters`. */
export function countParameters(type: CovarianceType, k: number, d: number): number {
  const cov = type === 'full' ? (k * d * (d + 1)) / 2 : type === 'diag' ? k * d : type === 'tied' ? (d * (d + 1)) / 2 : k;
  return cov + k * d + k - 1;
}

function predictProba(p: Params, m: FeatureMatrix): Float64Array {
  validateNewRows(m, p.d);
  const out = new Float64Array(m.rows * p.k);
  emPass(m.values, m.rows, p, null, { memberships: out });
  return out;
}

/** Parameters from the starting hard assignment: given labels, nearest given mean, or our k-means. */
function initialParams(m: FeatureMatrix, options: GmmOptions, type: CovarianceType, regCovar: number): Params {
  const { values, rows: n, cols: d } = m;
  const { k } = options;
  let labels = options.initLabels;
  if (!labels && options.initMeans) {
    labels = new Int32Array(n);
    assign(values, n, d, k, options.initMeans, labels, new Float64Array(n));
  }
  labels ??= kmeansLabels(values, n, d, k, createRng(options.seed ?? 0));
  // two passes: the label means first, then statistics centred on them
  const means = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    counts[c]!++;
    for (let j = 0; j < d; j++) means[c * d + j]! += values[i * d + j]!;
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] = counts[c]! > 0 ? means[c * d + j]! / counts[c]! : 0;
  const stats = createStats(type, k, d, means);
  accumulateHard(values, n, d, labels, stats, type === 'full' || type === 'tied');
  return paramsFromStats(type, k, d, stats, regCovar);
}
