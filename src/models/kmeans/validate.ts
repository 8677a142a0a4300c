/**
 * Checks K-means input once at the entry, so the kernels can trust shapes. Messages follow the house rule:
 * subject, rule, values.
 */
import { InputError } from '../../core/errors.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';

function fail(message: string, path: string): never {
  throw new InputError(message, [{ path, message }]);
}

function isPositiveInteger(v: number): boolean {
  return Number.isInteger(v) && v >= 1;
}

/** Validates the shape of the matrix and k, but not its values (see `prepareInput`). */
export function validateShapeAndK(m: FeatureMatrix, k: number, who: string): void {
  if (m.rows === 0 || m.cols === 0) {
    fail(`${who} requires a non-empty matrix (got rows=${m.rows}, cols=${m.cols})`, 'matrix');
  }
  if (!Number.isInteger(k) || k < 1 || k > m.rows) {
    fail(`${who} requires k between 1 and rows (got k=${k}, rows=${m.rows})`, 'k');
  }
}

/** Validates the matrix and k for any K-means variant (`who` names the caller in messages). */
export function validateMatrixAndK(m: FeatureMatrix, k: number, who: string): void {
  validateShapeAndK(m, k, who);
  assertFinite(m, who);
}

/** Validates an integer option that must be ≥ 1. */
export function validatePositiveInteger(value: number, name: string, who: string): void {
  if (!isPositiveInteger(value)) fail(`${who} requires ${name} to be an integer ≥ 1 (got ${name}=${value})`, name);
}

/** Validates a tolerance: finite and ≥ 0. */
export function validateTolerance(value: number, who: string): void {
  if (!Number.isFinite(value) || value < 0) fail(`${who} requires tolerance to be finite and ≥ 0 (got tolerance=${value})`, 'tolerance');
}

/** Validates given initial centroids: k×cols finite values. */
export function validateInitialCentroids(init: Float64Array, k: number, cols: number, who: string): void {
  if (init.length !== k * cols) {
    fail(`${who} requires init centroids of length k*cols (got length=${init.length}, k=${k}, cols=${cols})`, 'init');
  }
  for (let i = 0; i < init.length; i++) {
    const v = init[i]!;
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / cols);
      fail(`${who} requires finite init centroids (got ${v} at centroid ${r + 1}, column ${i - r * cols + 1})`, 'init');
    }
  }
}
