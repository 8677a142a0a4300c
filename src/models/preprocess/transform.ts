/** Applies fitted parameters to every row of a matrix (shared by the fits). O(rows·cols). */
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { applyToRow } from './apply.js';
import type { PreprocessParams } from './params.js';

export function applyToMatrix(params: PreprocessParams, m: FeatureMatrix): FeatureMatrix {
  const out = new Float64Array(m.values.length);
  for (let i = 0; i < m.rows; i++) {
    const row = m.values.subarray(i * m.cols, (i + 1) * m.cols);
    applyToRow(params, row, out.subarray(i * m.cols, (i + 1) * m.cols));
  }
  return createMatrix(out, m.rows, m.cols, m.ids, m.columns);
}
