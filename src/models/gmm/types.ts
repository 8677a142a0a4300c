/** Options and result of the Gaussian mixture (EM), shaped after scikit-learn's GaussianMixture. */
import type { FeatureMatrix } from '../matrix.js';

export const COVARIANCE_TYPES = ['full', 'diag', 'spherical', 'tied'] as const;
/**
 * Shape of each component's covariance: `full` d×d each, `diag` d variances each, `spherical` one variance
 * each, `tied` one d×d matrix shared by all components.
 */
export type CovarianceType = (typeof COVARIANCE_TYPES)[number];

export interface GmmOptions {
  /** Number of components, 1 ≤ k ≤ rows. */
  readonly k: number;
  readonly covarianceType?: CovarianceType; // default 'full'
  /** Added to the covariance diagonal for stability (sklearn's reg_covar). Default 1e-6. */
  readonly regCovar?: number;
  /** Stop when the mean log-likelihood per row changes by less than this (sklearn's tol). Default 1e-3. */
  readonly tolerance?: number;
  /** Default 100. */
  readonly maxIterations?: number;
  /** Starting hard assignment (e.g. K-means labels), values in [0, k). Wins over `initMeans`. */
  readonly initLabels?: Int32Array;
  /** Starting means (k×cols row-major); rows start in the component of the nearest mean. */
  readonly initMeans?: Float64Array;
  /** Seed of the built-in k-means++ + Lloyd start, used when neither init is given. Default 0. */
  readonly seed?: number;
}

export interface GaussianMixture {
  readonly k: number;
  readonly cols: number;
  readonly covarianceType: CovarianceType;
  /** Mixing weights, length k, summing to 1. */
  readonly weights: Float64Array;
  /** k×cols, row-major. */
  readonly means: Float64Array;
  /** full: k×d×d; diag: k×d; spherical: k; tied: d×d (row-major). */
  readonly covariances: Float64Array;
  /** Cholesky factors of the precisions, same shapes (full/tied: upper-triangular U with P = U·Uᵀ). */
  readonly precisionsCholesky: Float64Array;
  /** Mean log-likelihood per row under the final parameters (sklearn's score(X)). */
  readonly logLikelihood: number;
  /** Mean log-likelihood per row at the last E-step (sklearn's lower_bound_). */
  readonly lowerBound: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Free parameters: k·d means + covariance parameters + k−1 weights. */
  readonly nParameters: number;
  /** −2·logLikelihood·n + nParameters·ln n, as sklearn's bic(X). */
  readonly bic: number;
  /** −2·logLikelihood·n + 2·nParameters, as sklearn's aic(X). */
  readonly aic: number;
  /** Most probable component per row. */
  readonly labels: Int32Array;
  /** Soft memberships: rows×k row-major, each row sums to 1. */
  readonly memberships: Float64Array;
  /** Memberships of new rows (rows×k). */
  predictProba(m: FeatureMatrix): Float64Array;
}
