/**
 * Min-max scaling to [0, 1] like scikit-learn's `MinMaxScaler`: x·scale − min·scale with scale = 1/(max − min);
 * a constant column gets scale 1 (so it maps to 0). O(rows·cols).
 */
import type { FeatureMatrix } from '../matrix.js';
import type { Fitted, MinMaxParams } from './params.js';
import { applyToMatrix } from './transform.js';
import { validateInput } from './validate.js';

export function fitMinMax(m: FeatureMatrix): Fitted<MinMaxParams, FeatureMatrix> {
  validateInput(m, 'minmax');
  const { rows, cols, values } = m;
  const min = new Float64Array(cols).fill(Infinity);
  const max = new Float64Array(cols).fill(-Infinity);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j]!;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  const scale = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const range = max[j]! - min[j]!;
    scale[j] = range === 0 ? 1 : 1 / range;
  }
  const params: MinMaxParams = { kind: 'minmax', min, max, scale };
  return { matrix: applyToMatrix(params, m), params };
}
