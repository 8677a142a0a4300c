// Expected numbers: scikit-learn 1.2.1 KMeans.inertia_ and numpy sums, from fixtures/sklearn/metrics/generate.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMatrix } from '../matrix.js';
import { inertia } from './inertia.js';
import { assertClose, labelsOf, loadFixture, matrixOf } from './sklearn-fixture.js';

const fx = loadFixture();

describe('inertia', () => {
  for (const d of fx.datasets) {
    const m = matrixOf(d);
    test(`matches KMeans.inertia_ with the fitted centres on ${d.name}`, () => {
      for (const l of d.labelings) {
        if (l.centers === undefined || l.inertia === undefined) continue;
        assertClose(inertia(m, Int32Array.from(l.labels), Float64Array.from(l.centers)), l.inertia, `${d.name}/${l.name}`);
      }
    });
    test(`matches numpy with cluster means when no centres are given on ${d.name}`, () => {
      for (const s of d.scores) assertClose(inertia(m, labelsOf(d, s.labeling)), s.inertiaOfMeans, `${d.name}/${s.labeling}`);
    });
  }

  test('is 0 when every row sits on its centroid', () => {
    const m = createMatrix(Float64Array.of(1, 1, 4, 4), 4, 1);
    assert.equal(inertia(m, Int32Array.of(0, 0, 1, 1)), 0);
  });
  test('rejects a label with no centroid', () => {
    const m = createMatrix(Float64Array.of(1, 2, 3), 3, 1);
    assert.throws(() => inertia(m, Int32Array.of(0, 1, 2), Float64Array.of(0, 1)), {
      message: 'inertia requires labels below the number of centroids (got labels[2]=2, centroids=2)',
    });
  });
  test('rejects centroids whose length is not a multiple of cols', () => {
    const m = createMatrix(Float64Array.of(1, 2, 3, 4), 2, 2);
    assert.throws(() => inertia(m, Int32Array.of(0, 0), Float64Array.of(0, 1, 2)), {
      message: 'inertia requires centroids.length to be a multiple of cols (got centroids.length=3, cols=2)',
    });
  });
  test('rejects Infinity in the data naming the row', () => {
    const m = createMatrix(Float64Array.of(1, Infinity), 2, 1);
    assert.throws(() => inertia(m, Int32Array.of(0, 0)), { message: 'inertia requires finite values (got Infinity at row 2, column x0)' });
  });
});
