/**
 * Metrics and stratified k-fold against scikit-learn 1.2.1 (fixtures/sklearn/supervised/generate.py): cross-fitted
 * logistic-regression scores on load_breast_cancer (binary; also rounded to one decimal for many ties; with and
 * without sample weights) and on load_wine (three classes). Every value to 1e-12.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { averagePrecision } from './average-precision.js';
import { brierScore } from './brier.js';
import { accuracy, confusionMatrix } from './confusion.js';
import { crossValidate } from './cross-validate.js';
import { dataset, loadFixtures, type BinaryMetrics } from './fixture.js';
import { fitLogisticRegression } from './logistic-regression.js';
import { logLoss } from './log-loss.js';
import { rocAuc, rocAucOvr } from './roc-auc.js';
import { stratifiedKFold } from './stratified-k-fold.js';
import { argmaxRows } from './validate.js';

const fx = loadFixtures();
const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-12, `${what}: ${a} vs ${b}`);

describe(`binary metrics equal ${fx.source} to 1e-12`, () => {
  const b = fx.metrics.binary;
  const y = Int32Array.from(b.y);
  const cases: [string, number[], number[] | null, BinaryMetrics][] = [
    ['distinct scores', b.score, null, b.plain],
    ['scores rounded to 0.1 (ties)', b.tied, null, b.tiedPlain],
    ['distinct scores, sample weights', b.score, b.weight, b.weighted],
    ['ties and sample weights', b.tied, b.weight, b.tiedWeighted],
  ];
  for (const [name, s, w, want] of cases) {
    it(`${name}: ROC AUC, average precision, log loss, Brier, accuracy, confusion matrix`, () => {
      const score = Float64Array.from(s);
      const sw = w ? Float64Array.from(w) : undefined;
      const proba = new Float64Array(score.length * 2);
      for (let i = 0; i < score.length; i++) {
        proba[2 * i] = 1 - score[i]!;
        proba[2 * i + 1] = score[i]!;
      }
      const pred = Int32Array.from(score, (v) => (v >= 0.5 ? 1 : 0));
      close(rocAuc(y, score, sw), want.rocAuc, 'roc auc');
      close(averagePrecision(y, score, sw), want.averagePrecision, 'average precision');
      close(logLoss(y, proba, 2, sw), want.logLoss, 'log loss');
      close(brierScore(y, score, sw), want.brier, 'brier');
      close(accuracy(y, pred, sw), want.accuracy, 'accuracy');
      const cm = confusionMatrix(y, pred, 2, sw);
      want.confusion.forEach((v, i) => close(cm[i]!, v, `confusion ${i}`));
    });
  }
});

describe(`multi-class metrics equal ${fx.source} to 1e-12`, () => {
  const m = fx.metrics.multiclass;
  const y = Int32Array.from(m.y);
  const proba = Float64Array.from(m.proba);
  const w = Float64Array.from(m.weight);
  it('log loss (plain and weighted), one-vs-rest macro ROC AUC, accuracy and confusion matrices', () => {
    close(logLoss(y, proba, 3), m.logLoss, 'log loss');
    close(logLoss(y, proba, 3, w), m.logLossWeighted, 'weighted log loss');
    close(rocAucOvr(y, proba, 3), m.rocAucOvrMacro, 'roc auc ovr');
    const pred = argmaxRows(proba, 3);
    close(accuracy(y, pred), m.accuracy, 'accuracy');
    assert.deepEqual(Array.from(confusionMatrix(y, pred, 3)), m.confusion);
    const cw = confusionMatrix(y, pred, 3, w);
    m.confusionWeighted.forEach((v, i) => close(cw[i]!, v, `weighted confusion ${i}`));
  });
});

describe('metrics', () => {
  it('rocAuc counts tied scores as one half', () => {
    close(rocAuc(Int32Array.from([0, 1, 0, 1]), Float64Array.from([0.5, 0.5, 0.1, 0.9])), 0.875, 'auc');
  });
  it('log loss clips probabilities of 0 and 1 instead of returning Infinity', () => {
    const v = logLoss(Int32Array.from([1, 0]), Float64Array.from([1, 0, 1, 0]), 2);
    assert.ok(Number.isFinite(v) && Math.abs(v - -Math.log(2.220446049250313e-16) / 2) < 1e-9, `${v}`);
  });
});

describe(`stratified k-fold equals ${fx.source} StratifiedKFold(shuffle=False)`, () => {
  for (const c of fx.kfold) {
    it(`k=${c.k} on ${c.y.length} rows gives sklearn's fold of every row`, () => {
      assert.deepEqual(Array.from(stratifiedKFold(Int32Array.from(c.y), c.k)), c.testFold);
    });
  }
  it('shuffled folds keep every class within one row of its share per fold and the same seed gives the same folds', () => {
    const y = Int32Array.from(fx.kfold[3]!.y);
    const a = stratifiedKFold(y, 6, { shuffle: true, seed: 4 });
    assert.deepEqual(a, stratifiedKFold(y, 6, { shuffle: true, seed: 4 }));
    assert.notDeepEqual(a, stratifiedKFold(y, 6));
    for (let c = 0; c < 3; c++) {
      const n = y.filter((v) => v === c).length;
      for (let f = 0; f < 6; f++) {
        const inFold = y.filter((v, i) => v === c && a[i] === f).length;
        assert.ok(Math.abs(inFold - n / 6) < 1, `class ${c} fold ${f}: ${inFold} of ${n}`);
      }
    }
  });
});

describe('crossValidate', () => {
  it('returns per-fold and mean metrics on breast_cancer with logistic regression', () => {
    const { X, y } = dataset('breast_cancer_std');
    const cv = crossValidate((Xt, yt, w) => fitLogisticRegression(Xt, yt, w ? { sampleWeight: w } : {}), X, y, { k: 5, seed: 1 });
    assert.equal(cv.folds.length, 5);
    assert.equal(cv.folds.reduce((s, f) => s + f.testRows, 0), X.rows);
    assert.ok(cv.mean.accuracy > 0.95 && cv.mean.rocAuc > 0.98, JSON.stringify(cv.mean));
    const mean = cv.folds.reduce((s, f) => s + f.logLoss, 0) / 5;
    close(cv.mean.logLoss, mean, 'mean log loss');
  });
});
