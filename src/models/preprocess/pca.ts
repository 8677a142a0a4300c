/**
 * Principal component analysis by eigen-decomposition of the sample covariance (n − 1 denominator, as
 * scikit-learn's `explained_variance_`), with the self-written Jacobi solver. Signs follow scikit-learn 1.2's
 * `svd_flip` (u-based): each component is oriented so that the projected score of largest magnitude is positive,
 * so projections agree with `PCA().fit_transform`. O(n·d² + d³).
 */
import { InputError } from '../../core/errors.js';
import type { FeatureMatrix } from '../matrix.js';
import { symmetricEigen } from './jacobi.js';
import { validateInput } from './validate.js';

export interface PcaResult {
  readonly mean: Float64Array;
  /** nComponents×d, row-major, unit length. */
  readonly components: Float64Array;
  /** Variance along each kept component (length nComponents). */
  readonly explainedVariance: Float64Array;
  /** Share of the total variance (over all d components) of each kept component. */
  readonly explainedVarianceRatio: Float64Array;
  /** Rows projected on the kept components, n×nComponents row-major (2-D by default, for plots). */
  readonly projection: Float64Array;
  readonly nComponents: number;
}

export function pca(m: FeatureMatrix, nComponents = 2): PcaResult {
  validateInput(m, 'pca', 2);
  const { rows: n, cols: d, values } = m;
  if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > d) {
    const message = `pca requires nComponents between 1 and cols (got nComponents=${nComponents}, cols=${d})`;
    throw new InputError(message, [{ path: 'nComponents', message }]);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += values[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = values[i * d + j]! - mean[j]!;
    for (let p = 0; p < d; p++) {
      const rp = row[p]!;
      for (let q = p; q < d; q++) cov[p * d + q]! += rp * row[q]!;
    }
  }
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const c = cov[p * d + q]! / (n - 1);
      cov[p * d + q] = c;
      cov[q * d + p] = c;
    }
  }
  const eig = symmetricEigen(cov, d);
  let total = 0;
  for (let j = 0; j < d; j++) total += Math.max(eig.values[j]!, 0);
  const components = eig.vectors.slice(0, nComponents * d);
  const explainedVariance = new Float64Array(nComponents);
  const explainedVarianceRatio = new Float64Array(nComponents);
  const projection = new Float64Array(n * nComponents);
  for (let c = 0; c < nComponents; c++) {
    const ev = Math.max(eig.values[c]!, 0);
    explainedVariance[c] = ev;
    explainedVarianceRatio[c] = total > 0 ? ev / total : 0;
    let extreme = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (values[i * d + j]! - mean[j]!) * components[c * d + j]!;
      projection[i * nComponents + c] = s;
      if (Math.abs(s) > Math.abs(extreme)) extreme = s;
    }
    if (extreme < 0) {
      for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j]!;
      for (let i = 0; i < n; i++) projection[i * nComponents + c] = -projection[i * nComponents + c]!;
    }
  }
  return { mean, components, explainedVariance, explainedVarianceRatio, projection, nComponents };
}
