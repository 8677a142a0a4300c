/**
 * Stratified k-fold assignment, as scikit-learn's `StratifiedKFold`: rows sorted by class are dealt round-robin to
 * the folds to fix how many of each class each fold gets (so every fold's class proportions match the whole), then
 * each class's rows take their fold numbers in row order — identical to sklearn with shuffle=False — or in an order
 * shuffled by the seed. Cost O(n + k · C).
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import { createMatrix } from '../matrix.js';
import { classCounts, fail } from './validate.js';

export interface StratifiedKFoldOptions {
  /** Shuffle the fold numbers within each class (default false: sklearn's deterministic order). */
  readonly shuffle?: boolean;
  readonly seed?: number;
}

/** Test fold (0..k−1) of every row. Throws InputError when k < 2 or some class has fewer than k rows. */
export function stratifiedKFold(y: Int32Array, k: number, options: StratifiedKFoldOptions = {}): Int32Array {
  if (!Number.isInteger(k) || k < 2) fail(`stratified k-fold requires an integer k >= 2 (got k=${k})`, 'k');
  let C = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! < 0) fail(`stratified k-fold requires labels >= 0 (got ${y[i]} at row ${i + 1})`, `y[${i}]`);
    C = Math.max(C, y[i]! + 1);
  }
  const counts = classCounts(y, C);
  for (let c = 0; c < C; c++) {
    const n = counts[c]!;
    if (n > 0 && n < k) fail(`stratified k-fold requires k <= the rows of every class (got k=${k}, class ${c} has ${n} rows)`, 'k');
  }
  // allocation[f][c]: rows of class c in y_sorted[f], y_sorted[f + k], ... (sklearn's np.bincount(y_order[i::k])).
  const allocation = new Int32Array(k * C);
  let pos = 0;
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < counts[c]!; j++, pos++) allocation[(pos % k) * C + c]!++;
  }
  const rng = options.shuffle ? createRng(options.seed ?? 0) : null;
  const testFold = new Int32Array(y.length);
  const next = new Int32Array(C);
  const perClass: Int32Array[] = [];
  for (let c = 0; c < C; c++) {
    const folds = new Int32Array(counts[c]!);
    let t = 0;
    for (let f = 0; f < k; f++) for (let j = 0; j < allocation[f * C + c]!; j++) folds[t++] = f;
    if (rng) {
      for (let i = folds.length - 1; i > 0; i--) {
        const r = rng.int(i + 1);
        const v = folds[i]!;
        folds[i] = folds[r]!;
        folds[r] = v;
      }
    }
    perClass.push(folds);
  }
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    testFold[i] = perClass[c]![next[c]!++]!;
  }
  return testFold;
}

/** Train and test row indices of fold f. */
export function foldRows(testFold: Int32Array, f: number): { train: Int32Array; test: Int32Array } {
  let nt = 0;
  for (let i = 0; i < testFold.length; i++) if (testFold[i] === f) nt++;
  const test = new Int32Array(nt);
  const train = new Int32Array(testFold.length - nt);
  let a = 0;
  let b = 0;
  for (let i = 0; i < testFold.length; i++) {
    if (testFold[i] === f) test[a++] = i;
    else train[b++] = i;
  }
  return { train, test };
}

/** The given rows of a matrix (ids and columns kept). O(rows · cols). */
export function takeRows(X: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  const d = X.cols;
  const values = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) values.set(X.values.subarray(rows[r]! * d, rows[r]! * d + d), r * d);
  return createMatrix(values, rows.length, d, Array.from(rows, (i) => X.ids[i] ?? String(i)), X.columns);
}

/** The given entries of a typed array. */
export function takeEntries<T extends Int32Array | Float64Array>(a: T, rows: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = a[rows[r]!]!;
  return out;
}
