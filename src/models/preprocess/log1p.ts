/**
 * log(1 + x) of the given columns (for skewed counts and amounts), other columns unchanged. Values ≤ −1 are
 * rejected: −1 would give −∞, which no later stage can use. O(rows·|columns|).
 */
import { InputError } from '../../core/errors.js';
import type { FeatureMatrix } from '../matrix.js';
import type { Fitted, Log1pParams } from './params.js';
import { applyToMatrix } from './transform.js';
import { validateInput } from './validate.js';

/** `columns` are 0-based column indices or column names. */
export function fitLog1p(m: FeatureMatrix, columns: readonly (number | string)[]): Fitted<Log1pParams, FeatureMatrix> {
  validateInput(m, 'log1p');
  const idx = new Int32Array(columns.length);
  columns.forEach((c, i) => {
    const j = typeof c === 'number' ? c : m.columns.indexOf(c);
    if (!Number.isInteger(j) || j < 0 || j >= m.cols) {
      throw new InputError(`log1p requires existing columns (got ${JSON.stringify(c)}, cols=${m.cols})`, [{ path: `columns[${i}]`, message: 'no such column' }]);
    }
    idx[i] = j;
  });
  for (let i = 0; i < m.rows; i++) {
    for (const j of idx) {
      const v = m.values[i * m.cols + j]!;
      if (!(v > -1)) {
        const where = `row ${i + 1}, column ${m.columns[j] ?? j + 1}`;
        throw new InputError(`log1p requires values > -1 (got ${v} at ${where})`, [{ path: where, message: `value is ${v}` }]);
      }
    }
  }
  const params: Log1pParams = { kind: 'log1p', columns: idx };
  return { matrix: applyToMatrix(params, m), params };
}
