/**
 * Z-score standardisation like scikit-learn's `StandardScaler`: subtract the column mean, divide by the
 * population standard deviation (ddof = 0). A constant column (variance within rounding of 0, scikit-learn's
 * `_is_constant_feature` bound) gets scale 1. Mean and variance by Welford's method. O(rows·cols).
 */
import type { FeatureMatrix } from '../matrix.js';
import type { Fitted, ZScoreParams } from './params.js';
import { applyToMatrix } from './transform.js';
import { validateInput } from './validate.js';

export function fitZScore(m: FeatureMatrix): Fitted<ZScoreParams, FeatureMatrix> {
  validateInput(m, 'zscore');
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
  const scale = new Float64Array(cols);
  const eps = Number.EPSILON;
  for (let j = 0; j < cols; j++) {
    const variance = m2[j]! / rows;
    const bound = rows * eps * variance + (rows * mean[j]! * eps) ** 2;
    scale[j] = variance <= bound ? 1 : Math.sqrt(variance);
  }
  const params: ZScoreParams = { kind: 'zscore', center: mean, scale };
  return { matrix: applyToMatrix(params, m), params };
}
