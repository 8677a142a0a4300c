/**
 * CART against scikit-learn 1.2.1 `DecisionTreeClassifier` (fixtures/sklearn/supervised/generate.py) on
 * load_breast_cancer, load_iris and load_wine. Ties: sklearn draws features in a random order per node even with
 * max_features=None, and almost every case here has equally good splits somewhere (the fixture's `distinctTrees`
 * counts different trees over random_state 0..19). We replay sklearn's own feature order (its `our_rand_r` seeded
 * with `randRSeed`), so the comparison is exact: same (feature, threshold) per node in sklearn's node order, same
 * sample counts, impurities to 1e-12 and the same predictions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitDecisionTree } from './decision-tree.js';
import { classWeightOf, dataset, loadFixtures } from './fixture.js';

const fx = loadFixtures();

describe(`decision tree gives the same splits as ${fx.source}`, () => {
  for (const c of fx.trees) {
    it(`${c.name} (${c.nodeCount} nodes, ${c.distinctTrees} distinct sklearn trees over 20 seeds)`, () => {
      const { X, y } = dataset(c.data);
      const t = fitDecisionTree(X, y, {
        criterion: c.params.criterion ?? 'gini',
        maxDepth: c.params.max_depth ?? Infinity,
        minSamplesLeaf: c.params.min_samples_leaf ?? 1,
        minSamplesSplit: c.params.min_samples_split ?? 2,
        minImpurityDecrease: c.params.min_impurity_decrease ?? 0,
        maxFeatures: c.params.max_features ?? 'all',
        classWeight: classWeightOf(c.params.class_weight),
        ...(c.sampleWeight ? { sampleWeight: Float64Array.from(c.sampleWeight) } : {}),
        sklearnRandomState: c.randRSeed,
      });
      const ours = Array.from(t.feature, (f, i) => `${f}@${t.threshold[i]}`);
      const theirs = c.feature.map((f, i) => `${f}@${c.threshold[i]}`);
      assert.deepEqual(ours, theirs);
      assert.deepEqual(Array.from(t.left), c.left);
      assert.deepEqual(Array.from(t.right), c.right);
      assert.deepEqual(Array.from(t.nNodeSamples), c.nNodeSamples);
      for (let i = 0; i < c.nodeCount; i++) {
        assert.ok(Math.abs(t.impurity[i]! - c.impurity[i]!) < 1e-12, `impurity node ${i}: ${t.impurity[i]} vs ${c.impurity[i]}`);
        assert.ok(Math.abs(t.weightedNNodeSamples[i]! - c.weightedNNodeSamples[i]!) < 1e-9 * c.weightedNNodeSamples[i]!);
      }
      assert.deepEqual(Array.from(t.predict(X)), c.predict);
      const p = t.predictProba(X);
      for (let i = 0; i < p.length; i++) assert.ok(Math.abs(p[i]! - c.proba[i]!) < 1e-12);
    });
  }
});
