/**
 * Winsorising: clip each column to its [lower, upper] quantiles (linear interpolation, numpy's default), and
 * return the bounds so new rows are clipped the same way. O(rows·log rows·cols).
 */
import { InputError } from '../../core/errors.js';
import type { FeatureMatrix } from '../matrix.js';
import type { Fitted, WinsoriseParams } from './params.js';
import { quantileSorted, sortedColumn } from './quantile.js';
import { applyToMatrix } from './transform.js';
import { validateInput } from './validate.js';

export function fitWinsorise(m: FeatureMatrix, lowerQuantile = 0.01, upperQuantile = 0.99): Fitted<WinsoriseParams, FeatureMatrix> {
  validateInput(m, 'winsorise');
  if (!(lowerQuantile >= 0 && lowerQuantile <= upperQuantile && upperQuantile <= 1)) {
    const message = `winsorise requires 0 ≤ lower ≤ upper ≤ 1 (got lower=${lowerQuantile}, upper=${upperQuantile})`;
    throw new InputError(message, [{ path: 'quantiles', message }]);
  }
  const low = new Float64Array(m.cols);
  const high = new Float64Array(m.cols);
  for (let j = 0; j < m.cols; j++) {
    const col = sortedColumn(m, j);
    low[j] = quantileSorted(col, lowerQuantile);
    high[j] = quantileSorted(col, upperQuantile);
  }
  const params: WinsoriseParams = { kind: 'winsorise', lowerQuantile, upperQuantile, low, high };
  return { matrix: applyToMatrix(params, m), params };
}
