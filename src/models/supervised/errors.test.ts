/** Bad input gives an InputError whose message names the subject, the rule and the values. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import { createMatrix } from '../matrix.js';
import { fitDecisionTree } from './decision-tree.js';
import { fitGradientBoosting } from './gradient-boosting.js';
import { fitLogisticRegression } from './logistic-regression.js';
import { fitRandomForest } from './random-forest.js';
import { rocAuc } from './roc-auc.js';
import { stratifiedKFold } from './stratified-k-fold.js';

const X = createMatrix(Float64Array.from([1, 5, 2, 6, 3, 7, 4, 8]), 4, 2, undefined, ['recency_days', 'frequency']);
const y = Int32Array.from([0, 1, 0, 1]);
const fits = [
  ['decision tree', fitDecisionTree],
  ['logistic regression', fitLogisticRegression],
  ['random forest', fitRandomForest],
  ['gradient boosting', fitGradientBoosting],
] as const;

function throwsInput(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && message.test(e.message) && e.issues.length > 0);
}

describe('supervised fits reject bad input', () => {
  for (const [who, fit] of fits) {
    it(`${who} names the row and column of a NaN or Infinity in X`, () => {
      const bad = Float64Array.from(X.values);
      bad[5] = NaN;
      throwsInput(() => fit(createMatrix(bad, 4, 2, undefined, X.columns), y), new RegExp(`^${who} requires finite values \\(got NaN at row 3, column frequency\\)$`));
      bad[5] = 7;
      bad[0] = Infinity;
      throwsInput(() => fit(createMatrix(bad, 4, 2, undefined, X.columns), y), /got Infinity at row 1, column recency_days/);
    });
    it(`${who} rejects labels outside 0..C-1, a length mismatch and a single class`, () => {
      throwsInput(() => fit(X, Int32Array.from([0, 1, -1, 1])), new RegExp(`^${who} requires labels in 0\\.\\.C-1 \\(got -1 at row 3\\)$`));
      throwsInput(() => fit(X, Int32Array.from([0, 2, 0, 2])), /requires labels 0\.\.C-1 with every class present \(class 1 has no rows, max label 2\)/);
      throwsInput(() => fit(X, Int32Array.from([0, 1, 0])), new RegExp(`^${who} requires one label per row \\(got 3 labels, rows=4\\)$`));
      throwsInput(() => fit(X, Int32Array.from([1, 1, 1, 1])), new RegExp(`^${who} requires at least 2 classes in y \\(got only class 1 in 4 rows\\)$`));
    });
    it(`${who} rejects negative or mis-sized sample weights`, () => {
      throwsInput(() => fit(X, y, { sampleWeight: Float64Array.from([1, -1, 1, 1]) }), /requires finite sample weights >= 0 \(got -1 at row 2\)/);
      throwsInput(() => fit(X, y, { sampleWeight: Float64Array.from([1, 1]) }), /requires one sample weight per row \(got 2, rows=4\)/);
    });
  }
  it('options out of range are named with their value', () => {
    throwsInput(() => fitDecisionTree(X, y, { minSamplesLeaf: 0 }), /^decision tree requires an integer minSamplesLeaf >= 1 \(got 0\)$/);
    throwsInput(() => fitDecisionTree(X, y, { maxFeatures: 5 }), /^decision tree requires maxFeatures between 1 and cols \(got 5, cols=2\)$/);
    throwsInput(() => fitLogisticRegression(X, y, { C: 0 }), /^logistic regression requires C > 0 \(got 0\)$/);
    throwsInput(() => fitRandomForest(X, y, { nEstimators: 0 }), /^random forest requires an integer nEstimators >= 1 \(got 0\)$/);
    throwsInput(() => fitGradientBoosting(X, y, { learningRate: -1 }), /^gradient boosting requires learningRate > 0 \(got -1\)$/);
    throwsInput(() => fitDecisionTree(X, y, { classWeight: { 3: 1 } }), /^class weight keys must be classes 0\.\.1 \(got 3\)$/);
  });
  it('predicting with the wrong column count is refused', () => {
    const t = fitDecisionTree(X, y);
    throwsInput(() => t.predict(createMatrix(new Float64Array(3), 1, 3)), /^decision tree predictProba requires the fitted column count \(got cols=3, expected 2\)$/);
  });
});

describe('stratified k-fold and metrics reject bad input', () => {
  it('more folds than the smallest class has rows', () => {
    throwsInput(() => stratifiedKFold(Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1]), 4), /^stratified k-fold requires k <= the rows of every class \(got k=4, class 1 has 3 rows\)$/);
    throwsInput(() => stratifiedKFold(y, 1), /^stratified k-fold requires an integer k >= 2 \(got k=1\)$/);
  });
  it('ROC AUC with one class or non-binary labels', () => {
    throwsInput(() => rocAuc(Int32Array.from([1, 1]), Float64Array.from([0.2, 0.4])), /^rocAuc requires both classes in y \(got only class 1 in 2 rows\)$/);
    throwsInput(() => rocAuc(Int32Array.from([0, 2]), Float64Array.from([0.2, 0.4])), /^rocAuc requires binary labels 0 or 1 \(got 2 at row 2\)$/);
    throwsInput(() => rocAuc(Int32Array.from([0, 1]), Float64Array.from([0.2])), /^rocAuc requires one score per label \(got 1 scores, 2 labels\)$/);
  });
});
