/**
 * K-means against scikit-learn 1.2.1 (fixtures/sklearn/kmeans/generate.py): from the same initial centroids,
 * `KMeans(init=centroids, n_init=1, algorithm='lloyd')` final inertia, labels and n_iter_; and the best inertia of
 * `n_init=10` k-means++ restarts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kmeans } from './index.js';
import { loadKMeansFixtures } from './fixtures.js';

const fx = loadKMeansFixtures();

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe(`kmeans agrees with ${fx.source}`, () => {
  for (const c of fx.cases) {
    const m = fx.matrix(c.data);
    for (const algorithm of ['hamerly', 'lloyd'] as const) {
      it(`${c.name}: ${algorithm} from sklearn's initial centroids gives its inertia, labels and iterations`, () => {
        const r = kmeans(m, { k: c.k, init: Float64Array.from(c.init), algorithm, tolerance: c.tol, maxIterations: c.maxIter });
        assert.ok(relErr(r.inertia, c.fixed.inertia) < 1e-9, `inertia ${r.inertia} vs ${c.fixed.inertia}`);
        assert.deepEqual(Array.from(r.labels), c.fixed.labels);
        assert.equal(r.iterations, c.fixed.iterations);
        assert.equal(r.converged, c.fixed.iterations < c.maxIter);
        for (let i = 0; i < c.fixed.centroids.length; i++) {
          assert.ok(Math.abs(r.centroids[i]! - c.fixed.centroids[i]!) < 1e-9 * (1 + Math.abs(c.fixed.centroids[i]!)));
        }
      });
    }
    it(`${c.name}: k-means++ with 10 restarts is within 0.5% of sklearn's best`, () => {
      const r = kmeans(m, { k: c.k, nInit: 10, seed: 1, tolerance: c.tol });
      assert.equal(r.nInitRun, 10);
      assert.ok(r.inertia <= c.kmeansPlusPlusBestInertia * 1.005, `inertia ${r.inertia} vs sklearn ${c.kmeansPlusPlusBestInertia}`);
    });
  }
});
