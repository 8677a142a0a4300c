/** Checks of the mixture's input and options, at its edge; messages give the subject, the rule and the values. */
import { InputError } from '../../core/errors.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import { COVARIANCE_TYPES, type GmmOptions } from './types.js';

function fail(message: string, path: string): never {
  throw new InputError(message, [{ path, message }]);
}

/** Throws an InputError for the first problem in the matrix or options. */
export function validateGmmInput(m: FeatureMatrix, o: GmmOptions): void {
  const n = m.rows;
  const d = m.cols;
  if (n < 2) fail(`gmm requires at least 2 rows (got rows=${n})`, 'rows');
  if (d < 1) fail(`gmm requires at least 1 column (got cols=${d})`, 'cols');
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > n) fail(`gmm requires an integer k between 1 and rows (got k=${o.k}, rows=${n})`, 'k');
  if (o.covarianceType !== undefined && !COVARIANCE_TYPES.includes(o.covarianceType)) {
    fail(`gmm requires covarianceType to be one of ${COVARIANCE_TYPES.join(', ')} (got ${String(o.covarianceType)})`, 'covarianceType');
  }
  if (o.regCovar !== undefined && !(o.regCovar >= 0 && Number.isFinite(o.regCovar))) {
    fail(`gmm requires regCovar to be a finite number >= 0 (got ${o.regCovar})`, 'regCovar');
  }
  if (o.tolerance !== undefined && !(o.tolerance >= 0)) fail(`gmm requires tolerance >= 0 (got ${o.tolerance})`, 'tolerance');
  if (o.maxIterations !== undefined && !(Number.isInteger(o.maxIterations) && o.maxIterations >= 1)) {
    fail(`gmm requires maxIterations to be an integer >= 1 (got ${o.maxIterations})`, 'maxIterations');
  }
  if (o.initLabels) {
    if (o.initLabels.length !== n) fail(`gmm requires initLabels to have one label per row (got ${o.initLabels.length}, rows=${n})`, 'initLabels');
    for (let i = 0; i < n; i++) {
      const l = o.initLabels[i]!;
      if (l < 0 || l >= o.k) fail(`gmm requires initLabels in [0, k) (got ${l} at row ${i + 1}, k=${o.k})`, `initLabels[${i}]`);
    }
  } else if (o.initMeans) {
    if (o.initMeans.length !== o.k * d) fail(`gmm requires initMeans of length k*cols (got ${o.initMeans.length}, k=${o.k}, cols=${d})`, 'initMeans');
    for (let i = 0; i < o.initMeans.length; i++) {
      if (!Number.isFinite(o.initMeans[i])) fail(`gmm requires finite initMeans (got ${o.initMeans[i]} at index ${i})`, `initMeans[${i}]`);
    }
  }
  assertFinite(m, 'gmm');
}

/** Rows passed to predictProba must have the fitted column count and finite values. */
export function validateNewRows(m: FeatureMatrix, cols: number): void {
  if (m.cols !== cols) fail(`gmm predictProba requires the fitted column count (got cols=${m.cols}, expected ${cols})`, 'cols');
  assertFinite(m, 'gmm predictProba');
}
