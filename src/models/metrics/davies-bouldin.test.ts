// Expected numbers: scikit-learn 1.2.1 davies_bouldin_score, from fixtures/sklearn/metrics/generate.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMatrix } from '../matrix.js';
import { daviesBouldinScore } from './davies-bouldin.js';
import { assertClose, labelsOf, loadFixture, matrixOf } from './sklearn-fixture.js';

const fx = loadFixture();

describe('daviesBouldinScore', () => {
  for (const d of fx.datasets) {
    test(`matches sklearn on every labeling of ${d.name}`, () => {
      const m = matrixOf(d);
      for (const s of d.scores) assertClose(daviesBouldinScore(m, labelsOf(d, s.labeling)), s.daviesBouldin, `${d.name}/${s.labeling}`);
    });
  }
  for (const e of fx.edgeCases) {
    test(`matches sklearn on the edge case "${e.name}"`, () => {
      assertClose(daviesBouldinScore(matrixOf(e), Int32Array.from(e.labels)), e.daviesBouldin, e.name);
    });
  }
  test('rejects a single label', () => {
    const m = createMatrix(Float64Array.of(1, 2, 3), 3, 1);
    assert.throws(() => daviesBouldinScore(m, Int32Array.of(4, 4, 4)), {
      message: 'daviesBouldin requires 2 <= n_labels <= n_samples - 1 (got n_labels=1, n_samples=3)',
    });
  });
});
