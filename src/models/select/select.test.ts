import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import { createMatrix } from '../matrix.js';
import { adjustedRandIndex } from '../metrics/index.js';
import { CLUSTER_METHODS, bootstrapStability, chooseKForMethod, chooseModel, fitMethod } from './index.js';
import { blobs } from './test-blobs.js';

const planted = blobs(400, 4, 3, 7);

describe('fitMethod', () => {
  for (const method of CLUSTER_METHODS) {
    it(`${method} recovers four well-separated blobs with canonical labels and matching sizes`, () => {
      const fit = fitMethod(planted.m, { method, k: 4, seed: 1 });
      assert.equal(fit.clusters, 4);
      assert.equal(adjustedRandIndex(fit.labels, planted.truth), 1);
      assert.equal(fit.labels[0], 0, 'canonical: the first row is in cluster 0');
      assert.equal(fit.sizes.reduce((a, b) => a + b, 0), 400);
      assert.equal(fit.centroids.length, 4 * 3);
    });
  }

  it('hierarchical methods fit a sample above the cap and assign every other row to the nearest mean', () => {
    const fit = fitMethod(planted.m, { method: 'average', k: 4, seed: 3, sampleForHierarchical: 100 });
    assert.equal(fit.details.kind, 'hierarchical');
    assert.equal(fit.details.kind === 'hierarchical' ? fit.details.sampleRows?.length : -1, 100);
    assert.equal(adjustedRandIndex(fit.labels, planted.truth), 1);
  });

  it('is deterministic by seed', () => {
    const a = fitMethod(planted.m, { method: 'gmm', k: 3, seed: 9 });
    const b = fitMethod(planted.m, { method: 'gmm', k: 3, seed: 9 });
    assert.deepEqual(a.labels, b.labels);
  });

  it('rejects k outside 1..rows, an unknown method and non-finite cells with the bound or the cell', () => {
    const tiny = createMatrix(new Float64Array([0, 1, 2, 3, 4, 5]), 3, 2);
    assert.throws(() => fitMethod(tiny, { method: 'kmeans', k: 4 }), { name: 'InputError', message: 'kmeans requires k between 1 and rows (got k=4, rows=3)' });
    assert.throws(() => fitMethod(tiny, { method: 'ward', k: 0 }), { message: 'ward requires k between 1 and rows (got k=0, rows=3)' });
    assert.throws(() => fitMethod(tiny, { method: 'pam' as 'kmeans', k: 2 }), { message: /method to be one of kmeans, minibatch, ward, complete, average, single, gmm \(got "pam"\)/ });
    const bad = createMatrix(new Float64Array([0, 1, 2, NaN, 4, 5]), 3, 2, undefined, ['a', 'b']);
    assert.throws(() => fitMethod(bad, { method: 'gmm', k: 2 }), { message: 'gmm requires finite values (got NaN at row 2, column b)' });
  });
});

describe('bootstrapStability', () => {
  it('is about 1 for the planted partition of well-separated blobs, for every method', () => {
    for (const method of CLUSTER_METHODS) {
      const s = bootstrapStability(planted.m, method, 4, { resamples: 4, seed: 5 });
      assert.ok(s.mean > 0.99, `${method}: stability ${s.mean}`);
      assert.equal(s.ari.length, 4);
    }
  });

  it('gives the same ARIs for the same seed, and other draws for another seed', () => {
    const { m } = blobs(300, 3, 2, 11, 4);
    const a = bootstrapStability(m, 'kmeans', 5, { resamples: 5, seed: 1, nInit: 2 });
    const b = bootstrapStability(m, 'kmeans', 5, { resamples: 5, seed: 1, nInit: 2 });
    const c = bootstrapStability(m, 'kmeans', 5, { resamples: 5, seed: 2, nInit: 2 });
    assert.deepEqual(a.ari, b.ari);
    assert.notDeepEqual(a.ari, c.ari);
    assert.ok(a.mean < 1 && a.std > 0, 'overlapping blobs split into 5 are not perfectly stable');
  });
});

describe('chooseModel', () => {
  it('picks the planted k and K-means on well-separated blobs, stable, and explains the choice', () => {
    const choice = chooseModel(planted.m, { seed: 1, resamples: 4 });
    assert.equal(choice.chosen.k, 4);
    assert.equal(choice.chosen.method, 'kmeans');
    assert.ok(choice.chosen.stability!.mean > 0.99);
    assert.equal(adjustedRandIndex(choice.model.labels, planted.truth), 1);
    assert.equal(choice.candidates.length, 7 * 9);
    assert.match(choice.explanation, /^chose kmeans k=4: silhouette 0\.\d\d \(next best \w+ k=4: 0\.\d\d\), stability 1\.00 ± 0\.00; /);
    assert.match(choice.explanation, /gmm's BIC is lowest at k=4/);
  });

  it('says when hierarchical trees were built on a sample', () => {
    const choice = chooseModel(planted.m, { methods: ['ward', 'kmeans'], kRange: 4, seed: 1, resamples: 2, sampleForHierarchical: 150 });
    assert.match(choice.explanation, /hierarchical methods were fitted on a sample of 150 of 400 rows, the rest assigned to the nearest cluster mean/);
  });

  it('falls back to the most stable candidate checked when none reaches the bar, and says so', () => {
    const choice = chooseModel(planted.m, { methods: ['kmeans'], kRange: [2, 5], seed: 1, resamples: 3, minStability: 1.01 });
    assert.match(choice.explanation, /no candidate checked reached the stability bar/);
  });

  it('rejects k < 2 and k ≥ rows naming the bound', () => {
    assert.throws(() => chooseModel(planted.m, { kRange: 1 }), { name: 'InputError', message: 'chooseModel requires integer k ≥ 2 to compare clusterings (got k=1)' });
    const tiny = createMatrix(new Float64Array([0, 1, 2, 3, 4, 5]), 3, 2);
    assert.throws(() => chooseModel(tiny, { kRange: 3 }), (e: unknown) => e instanceof InputError && e.message === 'chooseModel requires k ≤ rows − 1 for the silhouette to be defined (got k=3, rows=3)');
  });
});

describe('chooseKForMethod', () => {
  it('picks the planted k by silhouette and reports the inertia elbow for K-means', () => {
    const choice = chooseKForMethod(planted.m, 'kmeans', { seed: 2 });
    assert.equal(choice.k, 4);
    assert.equal(choice.elbowK, 4);
    assert.match(choice.explanation, /^chose kmeans k=4: silhouette 0\.\d\d \(next best k=\d: 0\.\d\d\); inertia elbow at k=4 \(agrees\)/);
  });

  it('works for a tree method without an elbow', () => {
    const choice = chooseKForMethod(planted.m, 'ward', { kRange: [2, 6] });
    assert.equal(choice.k, 4);
    assert.equal(choice.elbowK, null);
  });
});
