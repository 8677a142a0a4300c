// Expected knees: a re-implementation of the kneed package's offline Kneedle (kneed is not packaged in Debian),
// in fixtures/sklearn/metrics/generate.py, on KMeans inertia curves from scikit-learn 1.2.1 and analytic curves.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kneedle } from './kneedle.js';
import { assertClose, loadFixture } from './sklearn-fixture.js';

const fx = loadFixture();

describe('kneedle', () => {
  for (const c of fx.kneedle) {
    test(`finds the kneed knee (${c.knee}) and difference curve of "${c.name}"`, () => {
      const r = kneedle(c.x, c.y);
      assert.equal(r.knee, c.knee);
      c.difference.forEach((v, i) => assertClose(r.difference[i]!, v, `D[${i}]`, 1e-12, 1e-15));
    });
  }
  test('sorts the points by x first', () => {
    const c = fx.kneedle[0]!;
    const order = c.x.map((_, i) => i).reverse();
    const r = kneedle(order.map((i) => c.x[i]!), order.map((i) => c.y[i]!));
    assert.equal(r.knee, c.knee);
    assert.deepEqual(Array.from(r.x), c.x);
  });
  test('finds no knee on a straight line', () => {
    const r = kneedle([1, 2, 3, 4], [8, 6, 4, 2]);
    assert.equal(r.knee, null);
    assert.equal(r.kneeIndex, -1);
  });
  test('rejects mismatched columns, duplicate x and NaN', () => {
    assert.throws(() => kneedle([1, 2], [1]), { message: 'kneedle requires x.length == y.length (got x.length=2, y.length=1)' });
    assert.throws(() => kneedle([1, 1, 2], [3, 2, 1]), { message: 'kneedle requires distinct x values (got 1 twice)' });
    assert.throws(() => kneedle([1, 2, 3], [3, NaN, 1]), { message: 'kneedle requires finite points (got x=2, y=NaN at index 1)' });
  });
});
