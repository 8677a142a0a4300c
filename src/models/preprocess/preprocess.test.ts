/**
 * Preprocessing and PCA against scikit-learn 1.2.1 / numpy 1.24 (fixtures/sklearn/preprocess/generate.py): the
 * wine data with a constant column appended; PCA on the standardised wine data.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import { createMatrix } from '../matrix.js';
import { applyToRow, fitLog1p, fitMinMax, fitRobust, fitWinsorise, fitZScore, pca, symmetricEigen, type PreprocessParams } from './index.js';

interface Fixture {
  source: string;
  rows: number;
  cols: number;
  x: number[];
  standard: { mean: number[]; scale: number[]; out: number[] };
  robust: { center: number[]; scale: number[]; out: number[] };
  minmax: { min: number[]; max: number[]; out: number[] };
  log1p: { columns: number[]; out: number[] };
  winsorise: { lower: number; upper: number; low: number[]; high: number[]; out: number[] };
  pca: { rows: number; cols: number; z: number[]; explainedVariance: number[]; explainedVarianceRatio: number[]; components2: number[]; projection2: number[] };
}
const fx = JSON.parse(readFileSync(new URL('../../../fixtures/sklearn/preprocess/preprocess.json', import.meta.url), 'utf8')) as Fixture;
const X = createMatrix(Float64Array.from(fx.x), fx.rows, fx.cols);

function close(actual: ArrayLike<number>, expected: number[], what: string, tol = 1e-9): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    assert.ok(Math.abs(actual[i]! - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${i}]: ${actual[i]} vs ${e}`);
  }
}

/** Applying the fitted params to each original row reproduces the fitted matrix. */
function checkApply(params: PreprocessParams, out: Float64Array): void {
  for (const i of [0, 77, fx.rows - 1]) {
    const row = X.values.slice(i * fx.cols, (i + 1) * fx.cols);
    assert.deepEqual(applyToRow(params, row), out.subarray(i * fx.cols, (i + 1) * fx.cols));
  }
}

describe(`preprocessing agrees with ${fx.source}`, () => {
  it('zscore matches StandardScaler (population std; constant column scale 1)', () => {
    const { matrix, params } = fitZScore(X);
    close(params.center, fx.standard.mean, 'mean');
    close(params.scale, fx.standard.scale, 'scale');
    assert.equal(params.scale[fx.cols - 1], 1);
    close(matrix.values, fx.standard.out, 'out');
    checkApply(params, matrix.values);
  });
  it('robust matches RobustScaler (median and IQR)', () => {
    const { matrix, params } = fitRobust(X);
    close(params.center, fx.robust.center, 'center');
    close(params.scale, fx.robust.scale, 'scale');
    close(matrix.values, fx.robust.out, 'out');
    checkApply(params, matrix.values);
  });
  it('minmax matches MinMaxScaler', () => {
    const { matrix, params } = fitMinMax(X);
    close(params.min, fx.minmax.min, 'min');
    close(params.max, fx.minmax.max, 'max');
    close(matrix.values, fx.minmax.out, 'out');
    checkApply(params, matrix.values);
  });
  it('log1p of chosen columns matches numpy.log1p and leaves the others', () => {
    const { matrix, params } = fitLog1p(X, fx.log1p.columns);
    close(matrix.values, fx.log1p.out, 'out', 1e-15);
    checkApply(params, matrix.values);
  });
  it('winsorise clips to numpy quantiles and returns the bounds', () => {
    const { matrix, params } = fitWinsorise(X, fx.winsorise.lower, fx.winsorise.upper);
    close(params.low, fx.winsorise.low, 'low');
    close(params.high, fx.winsorise.high, 'high');
    close(matrix.values, fx.winsorise.out, 'out');
    checkApply(params, matrix.values);
  });
  it('pca matches PCA explained variance, ratio, components and 2-D projection (svd_flip signs)', () => {
    const Z = createMatrix(Float64Array.from(fx.pca.z), fx.pca.rows, fx.pca.cols);
    const all = pca(Z, fx.pca.cols);
    close(all.explainedVariance, fx.pca.explainedVariance, 'explained variance');
    close(all.explainedVarianceRatio, fx.pca.explainedVarianceRatio, 'ratio');
    const two = pca(Z);
    close(two.components, fx.pca.components2, 'components');
    close(two.projection, fx.pca.projection2, 'projection');
  });
});

describe('preprocessing rejects bad input with clear messages', () => {
  const m = createMatrix(Float64Array.from([1, -2, 3, 0.5]), 2, 2, undefined, ['orders', 'refunds']);
  function throwsInput(f: () => unknown, message: string): void {
    assert.throws(f, (e: unknown) => e instanceof InputError && e.message === message);
  }
  it('log1p rejects values at or below -1, naming row and column', () => {
    throwsInput(() => fitLog1p(m, ['refunds']), 'log1p requires values > -1 (got -2 at row 1, column refunds)');
    throwsInput(() => fitLog1p(m, ['nope']), 'log1p requires existing columns (got "nope", cols=2)');
  });
  it('winsorise rejects quantiles out of order', () => {
    throwsInput(() => fitWinsorise(m, 0.9, 0.1), 'winsorise requires 0 ≤ lower ≤ upper ≤ 1 (got lower=0.9, upper=0.1)');
  });
  it('scalers reject non-finite values and empty matrices', () => {
    throwsInput(() => fitZScore(createMatrix(Float64Array.from([1, NaN]), 1, 2)), 'zscore requires finite values (got NaN at row 1, column x1)');
    throwsInput(() => fitMinMax(createMatrix(new Float64Array(0), 0, 2)), 'minmax requires at least 1 row and 1 column (got rows=0, cols=2)');
    throwsInput(() => pca(createMatrix(Float64Array.from([1, 2]), 1, 2)), 'pca requires at least 2 rows and 1 column (got rows=1, cols=2)');
    throwsInput(() => pca(m, 3), 'pca requires nComponents between 1 and cols (got nComponents=3, cols=2)');
  });
});

describe('symmetricEigen', () => {
  it('symmetricEigen finds the eigenpairs of a known 3×3 matrix (values 3, 1, 1)', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1; the third axis is decoupled with eigenvalue 1.
    const a = Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 1]);
    const r = symmetricEigen(a, 3);
    assert.ok(r.converged);
    close(r.values, [3, 1, 1], 'values', 1e-14);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += a[i * 3 + j]! * r.vectors[c * 3 + j]!;
        assert.ok(Math.abs(av - r.values[c]! * r.vectors[c * 3 + i]!) < 1e-14);
      }
    }
  });
});
