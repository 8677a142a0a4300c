/**
 * The feature matrix every model works on: row-major `Float64Array`, one row per customer, with the ids and
 * column names carried alongside. NaN means missing; kernels reject non-finite values (see `assertFinite`).
 */
import { InputError } from '../core/errors.js';

export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: value of row r, column c is `values[r * cols + c]`. */
  readonly values: Float64Array;
  readonly ids: readonly string[];
  readonly columns: readonly string[];
}

/** Builds a matrix and checks that the shapes agree. */
export function createMatrix(values: Float64Array, rows: number, cols: number, ids?: readonly string[], columns?: readonly string[]): FeatureMatrix {
  if (values.length !== rows * cols) {
    throw new InputError(`matrix values must have rows*cols entries (got ${values.length}, rows=${rows}, cols=${cols})`);
  }
  return {
    rows,
    cols,
    values,
    ids: ids ?? Array.from({ length: rows }, (_, i) => String(i)),
    columns: columns ?? Array.from({ length: cols }, (_, j) => `x${j}`),
  };
}

/** Throws an InputError naming the first non-finite cell (row and column, 1-based row as in a file without header). */
export function assertFinite(m: FeatureMatrix, who: string): void {
  const { values, cols } = m;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / cols);
      const c = i - r * cols;
      throw new InputError(`${who} requires finite values (got ${v} at row ${r + 1}, column ${m.columns[c] ?? c + 1})`, [
        { path: `row ${r + 1}, column ${m.columns[c] ?? c + 1}`, message: `value is ${v}` },
      ]);
    }
  }
}
