// Expected numbers: scikit-learn 1.2.1 calinski_harabasz_score, from fixtures/sklearn/metrics/generate.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMatrix } from '../matrix.js';
import { calinskiHarabaszScore } from './calinski-harabasz.js';
import { assertClose, labelsOf, loadFixture, matrixOf } from './sklearn-fixture.js';

const fx = loadFixture();

describe('calinskiHarabaszScore', () => {
  for (const d of fx.datasets) {
    test(`matches sklearn on every labeling of ${d.name}`, () => {
      const m = matrixOf(d);
      for (const s of d.scores) assertClose(calinskiHarabaszScore(m, labelsOf(d, s.labeling)), s.calinskiHarabasz, `${d.name}/${s.labeling}`);
    });
  }
  for (const e of fx.edgeCases) {
    test(`matches sklearn on the edge case "${e.name}"`, () => {
      assertClose(calinskiHarabaszScore(matrixOf(e), Int32Array.from(e.labels)), e.calinskiHarabasz, e.name);
    });
  }
  test('rejects labels of the wrong length', () => {
    const m = createMatrix(Float64Array.of(1, 2, 3), 3, 1);
    assert.throws(() => calinskiHarabaszScore(m, Int32Array.of(0, 1)), {
      message: 'calinskiHarabasz requires labels.length == rows (got labels.length=2, rows=3)',
    });
  });
});
