/**
 * Gaussian mixture against scikit-learn 1.2.1: fixtures/sklearn/gmm/*.json are written by
 * fixtures/sklearn/gmm/generate.py (GaussianMixture(init_params='kmeans', random_state=0) on iris, wine and the
 * first 10 columns of breast_cancer standardised, and a seeded make_blobs set), together with the KMeans labels
 * sklearn starts from, which we pass as `initLabels`.
 */
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../core/rng.js';
import { createMatrix } from '../matrix.js';
import { COVARIANCE_TYPES, countParameters, fitGmm, type CovarianceType } from './index.js';

interface Fit {
  weights: number[];
  means: number[];
  lowerBound: number;
  score: number;
  bic: number;
  aic: number;
  iterations: number;
  converged: boolean;
  labels: number[];
  proba: number[];
}
interface Fixture {
  rows: number;
  cols: number;
  k: number;
  X: number[];
  initLabels: number[];
  fits: Record<CovarianceType, Fit>;
}

const load = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/sklearn/gmm/${name}.json`, import.meta.url), 'utf8')) as Fixture;

function assertRelative(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ours ${actual}, sklearn ${expected}`);
}

for (const name of ['iris', 'wine', 'breast_cancer', 'blobs']) {
  const fx = load(name);
  const m = createMatrix(Float64Array.from(fx.X), fx.rows, fx.cols);
  describe(`fitGmm on ${name} (${fx.rows}×${fx.cols}, k=${fx.k}) from sklearn's K-means start matches sklearn`, () => {
    for (const type of COVARIANCE_TYPES) {
      const ref = fx.fits[type];
      const ours = fitGmm(m, { k: fx.k, covarianceType: type, initLabels: Int32Array.from(fx.initLabels) });
      it(`${type}: log-likelihood, lower bound, BIC and AIC agree to 1e-4 relative`, () => {
        assertRelative(ours.logLikelihood, ref.score, 1e-4, 'score');
        assertRelative(ours.lowerBound, ref.lowerBound, 1e-4, 'lower bound');
        assertRelative(ours.bic, ref.bic, 1e-4, 'bic');
        assertRelative(ours.aic, ref.aic, 1e-4, 'aic');
      });
      it(`${type}: iterations, convergence, weights, labels and memberships agree`, () => {
        assert.equal(ours.iterations, ref.iterations);
        assert.equal(ours.converged, ref.converged);
        for (let c = 0; c < fx.k; c++) assert.ok(Math.abs(ours.weights[c]! - ref.weights[c]!) < 1e-4, `weight ${c}`);
        for (let i = 0; i < ref.means.length; i++) assert.ok(Math.abs(ours.means[i]! - ref.means[i]!) < 1e-3, `mean ${i}`);
        assert.deepEqual(Array.from(ours.labels), ref.labels);
        const firstRows = createMatrix(Float64Array.from(fx.X.slice(0, 5 * fx.cols)), 5, fx.cols);
        const proba = ours.predictProba(firstRows);
        for (let i = 0; i < proba.length; i++) {
          assert.ok(Math.abs(proba[i]! - ref.proba[i]!) < 1e-4, `proba ${i}: ${proba[i]} vs ${ref.proba[i]}`);
          assert.ok(Math.abs(ours.memberships[i]! - proba[i]!) < 1e-12);
        }
      });
    }
  });
}

describe('fitGmm behaviour', () => {
  const fx = load('blobs');
  const m = createMatrix(Float64Array.from(fx.X), fx.rows, fx.cols);

  it('counts parameters as sklearn does (full 3×4: 30+12+2 = 44)', () => {
    assert.equal(countParameters('full', 3, 4), 44);
    assert.equal(countParameters('diag', 3, 4), 26);
    assert.equal(countParameters('spherical', 3, 4), 17);
    assert.equal(countParameters('tied', 3, 4), 24);
  });

  it('with no start given, the same seed gives the same fit and memberships sum to 1', () => {
    const a = fitGmm(m, { k: 4, seed: 7 });
    const b = fitGmm(m, { k: 4, seed: 7 });
    assert.deepEqual(a.labels, b.labels);
    assert.equal(a.logLikelihood, b.logLikelihood);
    for (let i = 0; i < fx.rows; i++) {
      let s = 0;
      for (let c = 0; c < 4; c++) s += a.memberships[i * 4 + c]!;
      assert.ok(Math.abs(s - 1) < 1e-12);
    }
    // the blobs are well separated: our own k-means start reaches sklearn's optimum
    assertRelative(a.logLikelihood, fx.fits.full.score, 1e-4, 'score from own start');
  });

  it('initMeans starts rows in the component of the nearest mean', () => {
    const ref = fitGmm(m, { k: 4, covarianceType: 'diag', initLabels: Int32Array.from(fx.initLabels) });
    const fromMeans = fitGmm(m, { k: 4, covarianceType: 'diag', initMeans: ref.means });
    assertRelative(fromMeans.logLikelihood, ref.logLikelihood, 1e-6, 'score');
  });

  it('stops at maxIterations and says it did not converge', () => {
    const r = fitGmm(m, { k: 4, maxIterations: 1, tolerance: 0 });
    assert.equal(r.iterations, 1);
    assert.equal(r.converged, false);
  });

  it('the log-likelihood never falls between iterations (EM monotonicity)', () => {
    const rng = createRng(3);
    const x = new Float64Array(300 * 2);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal() + (i % 4 < 2 ? 0 : 3);
    const data = createMatrix(x, 300, 2);
    let previous = -Infinity;
    for (let it = 1; it <= 8; it++) {
      const r = fitGmm(data, { k: 3, maxIterations: it, tolerance: 0, seed: 1 });
      assert.ok(r.lowerBound >= previous - 1e-12, `iteration ${it}`);
      previous = r.lowerBound;
    }
  });
});

describe('fitGmm rejects bad input with clear messages', () => {
  const m = createMatrix(Float64Array.from([0, 1, 2, 3, 4, 5]), 3, 2, undefined, ['spend', 'visits']);
  it('rejects k < 1 and k > rows', () => {
    assert.throws(() => fitGmm(m, { k: 0 }), { name: 'InputError', message: 'gmm requires an integer k between 1 and rows (got k=0, rows=3)' });
    assert.throws(() => fitGmm(m, { k: 4 }), { message: 'gmm requires an integer k between 1 and rows (got k=4, rows=3)' });
  });
  it('rejects fewer than 2 rows', () => {
    assert.throws(() => fitGmm(createMatrix(Float64Array.from([1, 2]), 1, 2), { k: 1 }), {
      message: 'gmm requires at least 2 rows (got rows=1)',
    });
  });
  it('rejects non-finite values naming row and column', () => {
    const bad = createMatrix(Float64Array.from([0, 1, Infinity, 3]), 2, 2, undefined, ['spend', 'visits']);
    assert.throws(() => fitGmm(bad, { k: 1 }), { message: 'gmm requires finite values (got Infinity at row 2, column spend)' });
  });
  it('rejects initLabels out of range and of the wrong length', () => {
    assert.throws(() => fitGmm(m, { k: 2, initLabels: Int32Array.from([0, 1, 2]) }), {
      message: 'gmm requires initLabels in [0, k) (got 2 at row 3, k=2)',
    });
    assert.throws(() => fitGmm(m, { k: 2, initLabels: Int32Array.from([0, 1]) }), {
      message: 'gmm requires initLabels to have one label per row (got 2, rows=3)',
    });
  });
  it('rejects an unknown covariance type and a negative regCovar', () => {
    assert.throws(() => fitGmm(m, { k: 1, covarianceType: 'banded' as CovarianceType }), {
      message: 'gmm requires covarianceType to be one of full, diag, spherical, tied (got banded)',
    });
    assert.throws(() => fitGmm(m, { k: 1, regCovar: -1 }), { message: 'gmm requires regCovar to be a finite number >= 0 (got -1)' });
  });
  it('reports an ill-defined covariance instead of returning NaN', () => {
    const flat = createMatrix(Float64Array.from([1, 5, 2, 5, 3, 5]), 3, 2); // constant second column
    assert.throws(() => fitGmm(flat, { k: 1, regCovar: 0, initLabels: Int32Array.from([0, 0, 0]) }), {
      message: /^gmm requires positive-definite component covariances \(component 0 is ill-defined with regCovar=0\)/,
    });
  });
  it('predictProba rejects rows with another column count', () => {
    const fit = fitGmm(createMatrix(Float64Array.from([0, 1, 2, 3, 5, 4, 9, 9]), 4, 2), { k: 1 });
    assert.throws(() => fit.predictProba(createMatrix(Float64Array.from([1, 2, 3]), 1, 3)), {
      message: 'gmm predictProba requires the fitted column count (got cols=3, expected 2)',
    });
  });
});
