/**
 * Robust scaling like scikit-learn's `RobustScaler` (defaults): subtract the column median, divide by the
 * interquartile range (75th − 25th percentile, linear interpolation); a zero range gets scale 1.
 * O(rows·log rows·cols).
 */
import type { FeatureMatrix } from '../matrix.js';
import type { Fitted, RobustParams } from './params.js';
import { quantileSorted, sortedColumn } from './quantile.js';
import { applyToMatrix } from './transform.js';
import { validateInput } from './validate.js';

export function fitRobust(m: FeatureMatrix): Fitted<RobustParams, FeatureMatrix> {
  validateInput(m, 'robust');
  const center = new Float64Array(m.cols);
  const scale = new Float64Array(m.cols);
  for (let j = 0; j < m.cols; j++) {
    const col = sortedColumn(m, j);
    center[j] = quantileSorted(col, 0.5);
    const iqr = quantileSorted(col, 0.75) - quantileSorted(col, 0.25);
    scale[j] = iqr === 0 ? 1 : iqr;
  }
  const params: RobustParams = { kind: 'robust', center, scale };
  return { matrix: applyToMatrix(params, m), params };
}
