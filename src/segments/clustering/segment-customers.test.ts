/**
 * segmentCustomers by method, on the small synthetic shop's clustering features (600 customers × 12). The Ward
 * reference is fixtures/sklearn/segments/ward-shop.json: the raw features and the tree's 400 sample rows from
 * export-shop.ts, then generate.py's clustering space (numpy log1p, np.quantile clip, StandardScaler) and labels
 * (scikit-learn 1.2.1 AgglomerativeClustering(linkage='ward') on the sample; numpy nearest sample mean elsewhere).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createRng } from '../../core/rng.js';
import { kmeans } from '../../models/kmeans/index.js';
import { createMatrix } from '../../models/matrix.js';
import { canonicalRelabel } from '../../models/metrics/index.js';
import { clusterMeans, fitMethod, nearestCentroid, predictLabels, sampleWithoutReplacement, takeRows } from '../../models/select/index.js';
import { scaleForClustering, segmentCustomers } from './index.js';

interface WardFixture {
  rows: number;
  cols: number;
  columns: string[];
  xB64: string;
  zB64: string;
  seed: number;
  treeSample: number;
  sampleRows: number[];
  ward: Record<string, { sampleLabels: number[]; centroidsB64: string; labels: number[] }>;
}

const fx = JSON.parse(readFileSync(new URL('../../../fixtures/sklearn/segments/ward-shop.json', import.meta.url), 'utf8')) as WardFixture;
const f64 = (b64: string): Float64Array => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
const raw = createMatrix(f64(fx.xB64), fx.rows, fx.cols, undefined, fx.columns);
const x = scaleForClustering(raw).x;

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

describe('segmentCustomers --method ward against scikit-learn', () => {
  it('works in the clustering space numpy computes (log1p, 1st/99th percentile clip, StandardScaler)', () => {
    assertClose(x.values, f64(fx.zB64), 1e-10, 'z');
  });

  it('builds its tree on the fixture\'s seeded sample of 400 of the 600 customers', () => {
    assert.deepEqual(Array.from(sampleWithoutReplacement(fx.rows, fx.treeSample, createRng(fx.seed))), fx.sampleRows);
  });

  for (const k of Object.keys(fx.ward).map(Number)) {
    it(`k=${k}: sampled customers get AgglomerativeClustering(linkage='ward')'s labels, the rest the nearest sample mean`, async () => {
      const ref = fx.ward[String(k)]!;
      const seg = await segmentCustomers(raw, { method: 'ward', k, seed: fx.seed, treeSample: fx.treeSample });
      assert.equal(seg.method, 'ward');
      assert.equal(seg.k, k);
      assert.deepEqual(seg.fitFacts, { fitRows: 400, sampled: true });
      const sampled = Int32Array.from(fx.sampleRows, (r) => seg.labels[r]!);
      assert.deepEqual(canonicalRelabel(sampled), canonicalRelabel(Int32Array.from(ref.sampleLabels)));
      assert.deepEqual(canonicalRelabel(seg.labels), canonicalRelabel(Int32Array.from(ref.labels)));
      // The stored centroids are the sample means, in our label order: map sklearn's label of each segment to ours.
      const expected = f64(ref.centroidsB64);
      const ours = new Float64Array(k * fx.cols);
      for (let i = 0; i < fx.rows; i++) ours.set(expected.subarray(ref.labels[i]! * fx.cols, (ref.labels[i]! + 1) * fx.cols), seg.labels[i]! * fx.cols);
      assertClose(seg.zCentroids, ours, 1e-9, 'centroid');
      assert.match(seg.assignment, /^Ward's tree was built on a seeded sample of 400 of 600 customers and cut at k=\d+; the sampled customers keep their tree segment and every other customer joins the segment whose sample centroid .* is nearest\./);
    });
  }

  it('places every unsampled customer at its own segment\'s stored centroid, and reports the share that agrees', async () => {
    const seg = await segmentCustomers(raw, { method: 'ward', k: 4, seed: fx.seed, treeSample: fx.treeSample });
    const nearest = nearestCentroid(x, seg.zCentroids, seg.k);
    const inSample = new Set(fx.sampleRows);
    let same = 0;
    for (let i = 0; i < fx.rows; i++) {
      if (nearest[i] === seg.labels[i]) same++;
      else assert.ok(inSample.has(i), `row ${i} was assigned by the nearest-centroid rule, so it must agree`);
    }
    assert.equal(seg.placementAgreement, same / fx.rows);
    assert.ok(seg.placementAgreement > 0.95 && seg.placementAgreement <= 1);
  });

  it('with k auto picks the highest silhouette over k=2..10 from one tree, and is deterministic by seed', async () => {
    const a = await segmentCustomers(raw, { method: 'ward', k: 'auto', seed: 3, treeSample: 400 });
    const b = await segmentCustomers(raw, { method: 'ward', k: 'auto', seed: 3, treeSample: 400 });
    assert.deepEqual(a.labels, b.labels);
    const best = [...a.candidates].sort((p, q) => q.silhouette - p.silhouette || p.k - q.k)[0]!;
    assert.equal(a.k, best.k);
    assert.ok(a.candidates.every((c) => c.k >= 2 && c.k <= 10 && c.converged === null));
    assert.match(a.chosenBy, /^highest silhouette 0\.\d{3} among k=2\.\.10 \(one Ward tree cut at each k\)/);
    assert.equal(a.elbowK, null);
    assert.equal(a.names.length, a.k);
  });
});

describe('segmentCustomers --method gmm', () => {
  it('labels each customer with its most probable component of a mixture fitted on all customers', async () => {
    const seg = await segmentCustomers(raw, { method: 'gmm', k: 4, seed: 2 });
    const model = fitMethod(x, { method: 'gmm', k: 4, seed: 2 });
    assert.deepEqual(seg.labels, model.labels);
    assert.deepEqual(seg.fitFacts.sampled, false);
    assert.equal(seg.fitFacts.fitRows, 600);
    assert.equal(seg.fitFacts.mixture?.means.length, 4 * 12);
    assert.deepEqual(seg.zCentroids, clusterMeans(x, seg.labels, seg.k).centroids, 'member means in the clustering space');
    assert.match(seg.assignment, /^A 4-component Gaussian mixture \(full covariances\) was fitted by EM on all 600 customers; each customer is in the segment of its most probable component\./);
  });

  it('above mixtureSample fits on a seeded sample and labels every customer by the fitted mixture', async () => {
    const seg = await segmentCustomers(raw, { method: 'gmm', k: 3, seed: 4, mixtureSample: 300 });
    const model = fitMethod(takeRows(x, sampleWithoutReplacement(600, 300, createRng(4))), { method: 'gmm', k: 3, seed: 4 });
    assert.deepEqual(seg.labels, canonicalRelabel(predictLabels(model, x)));
    assert.deepEqual({ fitRows: seg.fitFacts.fitRows, sampled: seg.fitFacts.sampled }, { fitRows: 300, sampled: true });
    assert.match(seg.assignment, /fitted by EM on a seeded sample of 300 of 600 customers/);
  });

  it('with k auto records the BIC of every k and names the k where it is lowest', async () => {
    const seg = await segmentCustomers(raw, { method: 'gmm', k: 'auto', seed: 4, kMax: 6 });
    assert.deepEqual(seg.candidates.map((c) => c.k), [2, 3, 4, 5, 6]);
    assert.ok(seg.candidates.every((c) => typeof c.bic === 'number' && Number.isFinite(c.bic)));
    const lowest = [...seg.candidates].sort((a, b) => a.bic! - b.bic!)[0]!;
    assert.match(seg.chosenBy, new RegExp(`^highest silhouette 0\\.\\d{3} among k=2\\.\\.6; the BIC is lowest at k=${lowest.k}`));
  });
});

describe('segmentCustomers stability and defaults', () => {
  it('--stability N stores N bootstrap ARIs with their mean, spread and minimum', async () => {
    const seg = await segmentCustomers(raw, { method: 'ward', k: 4, seed: fx.seed, treeSample: 400, stability: 3 });
    const s = seg.stability!;
    assert.equal(s.ari!.length, 3);
    assert.ok(Math.abs(s.mean - s.ari!.reduce((a, b) => a + b, 0) / 3) < 1e-12);
    assert.equal(s.min, Math.min(...s.ari!));
    assert.ok(s.mean > 0.5 && s.mean <= 1, `mean ARI ${s.mean}`);
    assert.deepEqual({ resamples: s.resamples, rows: s.rows, method: s.method, k: s.k }, { resamples: 3, rows: 600, method: 'ward', k: 4 });
  });

  it('is K-means by default, with K-means\' own labels and centroids, and no stability unless asked', async () => {
    const seg = await segmentCustomers(raw, { k: 4, seed: 5 });
    const fit = kmeans(x, { k: 4, seed: 5, nInit: 10 });
    assert.equal(seg.method, 'kmeans');
    assert.deepEqual(seg.labels, fit.labels);
    assert.deepEqual(seg.zCentroids, fit.centroids);
    assert.equal(seg.stability, null);
    assert.equal(seg.methodChoice, null);
  });

  it('rejects an unknown method and a k that auto cannot compare, naming the values', async () => {
    await assert.rejects(segmentCustomers(raw, { method: 'pam' as 'ward', k: 4, seed: 1 }), { name: 'InputError', message: 'segmentation method must be one of kmeans, ward, gmm, auto (got "pam")' });
    await assert.rejects(segmentCustomers(raw, { method: 'auto', k: 1, seed: 1 }), {
      name: 'InputError', message: '--method auto compares segmentations and requires --k auto or a whole k between 2 and customers − 1 (got k=1, customers=600)',
    });
    await assert.rejects(segmentCustomers(raw, { method: 'ward', k: 601, seed: 1 }), { message: '--k must be a whole number between 1 and the number of customers (got k=601, customers=600)' });
  });
});
