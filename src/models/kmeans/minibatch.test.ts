/** Mini-batch K-means and chooseK on data with a known answer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../core/rng.js';
import { createMatrix } from '../matrix.js';
import { chooseK, elbow, kmeans, miniBatchKMeans } from './index.js';

/** 4 blobs at (±10, ±10) with unit noise, 500 rows each. */
function fourBlobs(): ReturnType<typeof createMatrix> {
  const rng = createRng(7);
  const n = 2000;
  const x = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    x[i * 2] = (i % 2 === 0 ? 10 : -10) + rng.normal();
    x[i * 2 + 1] = ((i >> 1) % 2 === 0 ? 10 : -10) + rng.normal();
  }
  return createMatrix(x, n, 2);
}

describe('miniBatchKMeans', () => {
  it('miniBatchKMeans finds the blobs and its inertia is within 1% of full K-means', () => {
    const m = fourBlobs();
    const full = kmeans(m, { k: 4, seed: 3 });
    const mb = miniBatchKMeans(m, { k: 4, seed: 3, batchSize: 256 });
    assert.ok(mb.inertia <= full.inertia * 1.01, `${mb.inertia} vs ${full.inertia}`);
    assert.deepEqual(Array.from(mb.sizes).sort(), [500, 500, 500, 500]);
    assert.ok(mb.steps >= 1);
  });
  it('miniBatchKMeans stops early when the smoothed inertia stops improving', () => {
    const mb = miniBatchKMeans(fourBlobs(), { k: 4, seed: 1, batchSize: 64, maxIterations: 50, maxNoImprovement: 5 });
    assert.ok(mb.converged);
    assert.ok(mb.steps < Math.floor((50 * 2000) / 64));
  });
});

describe('chooseK', () => {
  it('chooseK reports inertia per k, calls the score callback, and puts the elbow at 4 for four blobs', () => {
    const calls: number[] = [];
    const r = chooseK(fourBlobs(), { kMin: 2, kMax: 8, seed: 0, nInit: 3, score: (_m, labels, k) => (calls.push(k), labels.length) });
    assert.deepEqual(Array.from(r.ks), [2, 3, 4, 5, 6, 7, 8]);
    for (let i = 1; i < r.inertias.length; i++) assert.ok(r.inertias[i]! < r.inertias[i - 1]!);
    assert.deepEqual(calls, [2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(Array.from(r.scores!), [2000, 2000, 2000, 2000, 2000, 2000, 2000]);
    assert.equal(r.elbowK, 4);
  });
  it('elbow of a straight line is the first k (no bend)', () => {
    assert.equal(elbow(Int32Array.from([1, 2, 3, 4]), Float64Array.from([4, 3, 2, 1])), 1);
  });
  it('chooseK lowers kMax to the number of rows', () => {
    const r = chooseK(createMatrix(Float64Array.from([0, 1, 5]), 3, 1), { kMin: 1, kMax: 10 });
    assert.deepEqual(Array.from(r.ks), [1, 2, 3]);
    assert.equal(r.inertias[2], 0);
  });
});
