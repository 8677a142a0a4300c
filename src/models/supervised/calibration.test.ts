/**
 * Calibration against scikit-learn 1.2.1 (fixtures/sklearn/supervised/generate.py) on cross-fitted logistic scores
 * for load_breast_cancer: `calibration_curve(n_bins=10)` and `IsotonicRegression(out_of_bounds='clip')` to 1e-12;
 * `_sigmoid_calibration` (Platt) to 1e-4 because sklearn's BFGS stops at a gradient of 1e-5. Then permutation
 * importance and rules export.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMatrix } from '../matrix.js';
import { fitDecisionTree } from './decision-tree.js';
import { dataset, loadFixtures } from './fixture.js';
import { fitIsotonic } from './isotonic.js';
import { permutationImportance } from './permutation-importance.js';
import { fitPlatt } from './platt.js';
import { reliabilityTable } from './reliability.js';
import { treeRules } from './tree-rules.js';
import { fitLogisticRegression } from './logistic-regression.js';

const fx = loadFixtures();
const b = fx.metrics.binary;
const y = Int32Array.from(b.y);
const score = Float64Array.from(b.score);

describe(`calibration equals ${fx.source}`, () => {
  it('reliability table: observed and predicted per non-empty bin to 1e-12', () => {
    const t = reliabilityTable(y, score, fx.calibration.reliability.nBins);
    assert.equal(t.length, fx.calibration.reliability.observed.length);
    t.forEach((row, i) => {
      assert.ok(Math.abs(row.observed - fx.calibration.reliability.observed[i]!) < 1e-12);
      assert.ok(Math.abs(row.predicted - fx.calibration.reliability.predicted[i]!) < 1e-12);
    });
  });
  it('isotonic fit: fitted values (plain, and tied scores with weights) and clipped interpolation to 1e-12', () => {
    const iso = fitIsotonic(score, y);
    iso.predict(score).forEach((v, i) => assert.ok(Math.abs(v - fx.calibration.isotonic.fitted[i]!) < 1e-12, `row ${i}`));
    iso.predict(Float64Array.from(fx.calibration.isotonic.at)).forEach((v, i) => assert.ok(Math.abs(v - fx.calibration.isotonic.predictAt[i]!) < 1e-12));
    const tied = Float64Array.from(b.tied);
    const isoW = fitIsotonic(tied, y, Float64Array.from(b.weight));
    isoW.predict(tied).forEach((v, i) => assert.ok(Math.abs(v - fx.calibration.isotonic.fittedTiedWeighted[i]!) < 1e-12, `row ${i}`));
  });
  it("Platt scaling on the logit of the score: a and b to 1e-4 of sklearn's, converged", () => {
    const logit = Float64Array.from(score, (p) => Math.log(p / (1 - p)));
    const p = fitPlatt(logit, y);
    assert.ok(p.converged);
    assert.ok(Math.abs(p.a - fx.calibration.platt.a) < 1e-4, `a ${p.a} vs ${fx.calibration.platt.a}`);
    assert.ok(Math.abs(p.b - fx.calibration.platt.b) < 1e-4, `b ${p.b} vs ${fx.calibration.platt.b}`);
  });
});

describe('permutation importance', () => {
  it('gives a pure-noise column almost nothing and the informative column the largest drop; same seed, same result', () => {
    const { X, y: yy } = dataset('breast_cancer_std');
    const n = X.rows;
    const values = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      values[i * 3] = X.values[i * X.cols + 27]!; // worst concave points
      values[i * 3 + 1] = X.values[i * X.cols + 0]!; // mean radius
      values[i * 3 + 2] = Math.sin(i * 12.9898) * 43758.5453 % 1; // noise
    }
    const Xs = createMatrix(values, n, 3, X.ids, ['worst concave points', 'mean radius', 'noise']);
    const model = fitLogisticRegression(Xs, yy);
    const r = permutationImportance(model, Xs, yy, { nRepeats: 5, seed: 7, metric: 'rocAuc' });
    assert.ok(r.mean[0]! > r.mean[2]! && r.mean[1]! > r.mean[2]!);
    assert.ok(Math.abs(r.mean[2]!) < 0.01, `noise ${r.mean[2]}`);
    assert.deepEqual(r, permutationImportance(model, Xs, yy, { nRepeats: 5, seed: 7, metric: 'rocAuc' }));
    assert.equal(r.std.length, 3);
  });
});

describe('tree rules', () => {
  it('reads as if … then … with the leaf probability and size, one rule per leaf', () => {
    const { X, y: yy } = dataset('breast_cancer');
    const t = fitDecisionTree(X, yy, { maxDepth: 2 });
    const rules = treeRules(t, { classNames: ['malignant', 'benign'] });
    assert.equal(rules.length, t.leafCount);
    assert.equal(rules.reduce((s, r) => s + r.samples, 0), X.rows);
    assert.match(rules[0]!.text, /^if worst radius <= 16\.795 and worst concave points <= 0\.\d+ then benign 0\.\d\d \(n=\d+\)$/);
  });
  it('merges repeated tests on one column to the tightest bound', () => {
    const X = createMatrix(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 8, 1, undefined, ['recency_days']);
    const t = fitDecisionTree(X, Int32Array.from([0, 1, 0, 1, 1, 1, 0, 0]));
    for (const r of treeRules(t)) assert.ok((r.text.match(/recency_days <=/g) ?? []).length <= 1 && (r.text.match(/recency_days >/g) ?? []).length <= 1, r.text);
  });
});
