/**
 * Random forest and gradient boosting are judged by quality, not identity: stratified 5-fold CV on
 * load_breast_cancer and load_wine using scikit-learn's own fold assignment (StratifiedKFold(5, shuffle=True,
 * random_state=0), stored in the fixture), against the CV figures of sklearn 1.2.1's RandomForestClassifier(100,
 * max_features='sqrt', random_state=0) and GradientBoostingClassifier(100, learning_rate=0.1, max_depth=3). Margins:
 * mean accuracy within 0.02 and mean ROC AUC within 0.01 of sklearn's; forest out-of-bag score within 0.02.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crossValidate } from './cross-validate.js';
import { dataset, loadFixtures } from './fixture.js';
import { fitGradientBoosting } from './gradient-boosting.js';
import { fitRandomForest } from './random-forest.js';

const fx = loadFixtures();

describe(`ensembles are as good as ${fx.source} on the same folds`, () => {
  for (const q of fx.quality) {
    const { X, y } = dataset(q.data);
    const testFold = Int32Array.from(q.testFold);
    it(`${q.data}: random forest (100 trees, sqrt features) mean accuracy within 0.02 and AUC within 0.01; OOB within 0.02`, () => {
      const cv = crossValidate((Xt, yt) => fitRandomForest(Xt, yt, { nEstimators: 100, seed: 0 }), X, y, { testFold });
      const s = q.models.randomForest;
      assert.ok(Math.abs(cv.mean.accuracy - s.meanAccuracy) <= 0.02, `accuracy ${cv.mean.accuracy} vs sklearn ${s.meanAccuracy}`);
      assert.ok(Math.abs(cv.mean.rocAuc - s.meanRocAuc) <= 0.01, `auc ${cv.mean.rocAuc} vs sklearn ${s.meanRocAuc}`);
      const rf = fitRandomForest(X, y, { seed: 0 });
      assert.ok(Math.abs(rf.oobScore! - q.randomForestOobScore) <= 0.02, `oob ${rf.oobScore} vs sklearn ${q.randomForestOobScore}`);
    });
    it(`${q.data}: gradient boosting (100 stages, depth 3, rate 0.1) mean accuracy within 0.02 and AUC within 0.01`, () => {
      const cv = crossValidate((Xt, yt) => fitGradientBoosting(Xt, yt), X, y, { testFold });
      const s = q.models.gradientBoosting;
      assert.ok(Math.abs(cv.mean.accuracy - s.meanAccuracy) <= 0.02, `accuracy ${cv.mean.accuracy} vs sklearn ${s.meanAccuracy}`);
      assert.ok(Math.abs(cv.mean.rocAuc - s.meanRocAuc) <= 0.01, `auc ${cv.mean.rocAuc} vs sklearn ${s.meanRocAuc}`);
    });
  }
});

describe('random forest', () => {
  it('same seed gives the same forest; another seed a different one', () => {
    const { X, y } = dataset('wine');
    const a = fitRandomForest(X, y, { nEstimators: 10, seed: 3 }).predictProba(X);
    assert.deepEqual(a, fitRandomForest(X, y, { nEstimators: 10, seed: 3 }).predictProba(X));
    assert.notDeepEqual(a, fitRandomForest(X, y, { nEstimators: 10, seed: 4 }).predictProba(X));
  });
  it('balanced class weights raise the minority class probability', () => {
    const { X, y } = dataset('breast_cancer');
    const mean0 = (p: Float64Array): number => p.filter((_, i) => i % 2 === 0).reduce((s, v) => s + v, 0);
    const plain = fitRandomForest(X, y, { nEstimators: 20, seed: 1, minSamplesLeaf: 20 }).predictProba(X);
    const balanced = fitRandomForest(X, y, { nEstimators: 20, seed: 1, minSamplesLeaf: 20, classWeight: 'balanced' }).predictProba(X);
    assert.ok(mean0(balanced) > mean0(plain));
  });
});

describe('gradient boosting', () => {
  it('training log loss falls at every stage (binary and multi-class)', () => {
    for (const name of ['breast_cancer', 'iris']) {
      const { X, y } = dataset(name);
      const m = fitGradientBoosting(X, y, { nEstimators: 30 });
      for (let s = 1; s < 30; s++) assert.ok(m.trainLoss[s]! <= m.trainLoss[s - 1]! + 1e-12, `${name} stage ${s}`);
      const p = m.predictProba(X);
      for (let i = 0; i < X.rows; i++) {
        let sum = 0;
        for (let c = 0; c < m.nClasses; c++) sum += p[i * m.nClasses + c]!;
        assert.ok(Math.abs(sum - 1) < 1e-12);
      }
    }
  });
  it('sample weights of zero are the same as leaving the rows out', () => {
    const { X, y } = dataset('wine');
    const w = Float64Array.from(y, (_, i) => (i % 3 === 0 ? 0 : 1));
    const keep = Int32Array.from(Array.from({ length: X.rows }, (_, i) => i).filter((i) => i % 3 !== 0));
    const values = new Float64Array(keep.length * X.cols);
    keep.forEach((r, k) => values.set(X.values.subarray(r * X.cols, (r + 1) * X.cols), k * X.cols));
    const Xk = { ...X, rows: keep.length, values, ids: Array.from(keep, String) };
    const a = fitGradientBoosting(X, y, { nEstimators: 10, sampleWeight: w }).predictProba(X);
    const b = fitGradientBoosting(Xk, Int32Array.from(keep, (i) => y[i]!), { nEstimators: 10 }).predictProba(X);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-9);
  });
});
