/** Checks at the edge of every supervised fit: matrix, labels, weights. Messages give the subject, the rule and the values. */
import { InputError } from '../../core/errors.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import type { ClassWeight } from './types.js';

/** Throws an InputError whose single issue carries the same message. */
export function fail(message: string, path: string): never {
  throw new InputError(message, [{ path, message }]);
}

/**
 * Validates X, y and the sample weights for a classifier named `who`; returns the number of classes
 * (max label + 1, or `nClasses` when given). Requires finite X, one label per row, integer labels in 0..C−1,
 * at least two classes present, and finite non-negative weights with a positive sum. Cost O(n·d).
 */
export function validateClassification(who: string, X: FeatureMatrix, y: Int32Array, sampleWeight?: Float64Array, nClasses?: number): number {
  if (X.rows < 2) fail(`${who} requires at least 2 rows (got rows=${X.rows})`, 'rows');
  if (X.cols < 1) fail(`${who} requires at least 1 column (got cols=${X.cols})`, 'cols');
  if (y.length !== X.rows) fail(`${who} requires one label per row (got ${y.length} labels, rows=${X.rows})`, 'y');
  assertFinite(X, who);
  let max = -1;
  for (let i = 0; i < y.length; i++) {
    const l = y[i]!;
    if (l < 0 || (nClasses !== undefined && l >= nClasses)) {
      fail(`${who} requires labels in 0..${nClasses !== undefined ? nClasses - 1 : 'C-1'} (got ${l} at row ${i + 1})`, `y[${i}]`);
    }
    if (l > max) max = l;
  }
  const C = nClasses ?? max + 1;
  const counts = classCounts(y, C);
  let present = 0;
  for (let c = 0; c < C; c++) if (counts[c]! > 0) present++;
  if (present < 2) fail(`${who} requires at least 2 classes in y (got only class ${y[0]} in ${y.length} rows)`, 'y');
  if (nClasses === undefined && present < C) {
    const missing = counts.findIndex((v) => v === 0);
    fail(`${who} requires labels 0..C-1 with every class present (class ${missing} has no rows, max label ${C - 1}); pass nClasses to allow absent classes`, 'y');
  }
  if (sampleWeight) validateWeights(who, sampleWeight, X.rows);
  return C;
}

/** Sample weights: one per row, finite, >= 0, positive sum. */
export function validateWeights(who: string, w: Float64Array, rows: number): void {
  if (w.length !== rows) fail(`${who} requires one sample weight per row (got ${w.length}, rows=${rows})`, 'sampleWeight');
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (!(v >= 0) || !Number.isFinite(v)) fail(`${who} requires finite sample weights >= 0 (got ${v} at row ${i + 1})`, `sampleWeight[${i}]`);
    sum += v;
  }
  if (!(sum > 0)) fail(`${who} requires sample weights with a positive sum (got ${sum})`, 'sampleWeight');
}

/** Rows given to a fitted model must have its column count and finite values. */
export function validateNewRows(who: string, X: FeatureMatrix, cols: number): void {
  if (X.cols !== cols) fail(`${who} requires the fitted column count (got cols=${X.cols}, expected ${cols})`, 'cols');
  assertFinite(X, who);
}

/** Number of rows per class. */
export function classCounts(y: Int32Array, C: number): Float64Array {
  const counts = new Float64Array(C);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  return counts;
}

/** Weight per class: 'balanced' as sklearn's compute_class_weight (n / (classesPresent · count_c)), a map, or all 1. */
export function classWeightVector(y: Int32Array, C: number, classWeight?: ClassWeight): Float64Array {
  const out = new Float64Array(C).fill(1);
  if (classWeight === undefined) return out;
  if (classWeight === 'balanced') {
    const counts = classCounts(y, C);
    let present = 0;
    for (let c = 0; c < C; c++) if (counts[c]! > 0) present++;
    for (let c = 0; c < C; c++) out[c] = counts[c]! > 0 ? y.length / (present * counts[c]!) : 1;
    return out;
  }
  for (const [key, v] of Object.entries(classWeight)) {
    const c = Number(key);
    if (!Number.isInteger(c) || c < 0 || c >= C) fail(`class weight keys must be classes 0..${C - 1} (got ${key})`, `classWeight.${key}`);
    if (!(v >= 0) || !Number.isFinite(v)) fail(`class weights must be finite and >= 0 (got ${v} for class ${c})`, `classWeight.${key}`);
    out[c] = v;
  }
  return out;
}

/** Row weights sampleWeight[i] · classWeight[y[i]] (sampleWeight defaults to 1), as sklearn's fits combine them. */
export function rowWeights(y: Int32Array, C: number, sampleWeight?: Float64Array, classWeight?: ClassWeight): Float64Array {
  const cw = classWeightVector(y, C, classWeight);
  const w = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) w[i] = (sampleWeight ? sampleWeight[i]! : 1) * cw[y[i]!]!;
  return w;
}

/** Index of the largest of `C` values starting at `offset` (first on ties). */
export function argmaxRow(p: Float64Array, offset: number, C: number): number {
  let best = 0;
  let bv = p[offset]!;
  for (let c = 1; c < C; c++) {
    const v = p[offset + c]!;
    if (v > bv) {
      bv = v;
      best = c;
    }
  }
  return best;
}

/** argmax per row of a row-major rows × C probability matrix. */
export function argmaxRows(p: Float64Array, C: number): Int32Array {
  const n = p.length / C;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = argmaxRow(p, i * C, C);
  return out;
}
