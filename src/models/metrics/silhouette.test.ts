// Expected numbers: scikit-learn 1.2.1 silhouette_score / silhouette_samples, from fixtures/sklearn/metrics/generate.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../core/errors.js';
import { createMatrix } from '../matrix.js';
import { silhouetteByCluster, silhouetteSamples, silhouetteScore } from './silhouette.js';
import { silhouetteScoreSampled, silhouetteScoreSampledParallel } from './silhouette-sampled.js';
import { assertClose, labelsOf, loadFixture, matrixOf } from './sklearn-fixture.js';

const fx = loadFixture();

describe('silhouetteScore', () => {
  for (const d of fx.datasets) {
    const m = matrixOf(d);
    for (const s of d.scores) {
      test(`matches sklearn on ${d.name} / ${s.labeling} to 1e-9 relative`, () => {
        const ours = silhouetteScore(m, labelsOf(d, s.labeling));
        assertClose(ours, s.silhouette, `${d.name}/${s.labeling}`);
        assertClose(ours, s.silhouetteExact, `${d.name}/${s.labeling} vs exact distances`, 1e-12);
      });
    }
  }

  test('gives the same value on the one-sided chunked path as on the symmetric path', () => {
    const d = fx.datasets[2]!;
    const m = matrixOf(d);
    const labels = labelsOf(d, 'kmeans4');
    const a = silhouetteSamples(m, labels);
    const b = silhouetteSamples(m, labels, { maxBufferEntries: 0, chunkRows: 37 });
    for (let i = 0; i < a.length; i++) assertClose(b[i]!, a[i]!, `row ${i}`, 1e-13);
  });
});

describe('silhouetteSamples', () => {
  for (const d of fx.datasets) {
    test(`matches sklearn per row on ${d.name} / ${d.silhouetteSamples.labeling}`, () => {
      const ours = silhouetteSamples(matrixOf(d), labelsOf(d, d.silhouetteSamples.labeling));
      assert.equal(ours.length, d.rows);
      d.silhouetteSamples.sklearn.forEach((v, i) => assertClose(ours[i]!, v, `row ${i}`));
    });
  }

  for (const e of fx.edgeCases) {
    test(`matches sklearn on the edge case "${e.name}"`, () => {
      const m = matrixOf(e);
      const labels = Int32Array.from(e.labels);
      const ours = silhouetteSamples(m, labels);
      e.silhouetteSamples.forEach((v, i) => assertClose(ours[i]!, v, `row ${i}`));
      assertClose(silhouetteScore(m, labels), e.silhouette, 'mean');
    });
  }

  test('gives 0 to the row of a singleton cluster', () => {
    const m = createMatrix(Float64Array.of(0, 0.1, 5, 5.1, 9), 5, 1);
    assert.equal(silhouetteSamples(m, Int32Array.of(0, 0, 1, 1, 2))[4], 0);
  });
});

describe('silhouetteByCluster', () => {
  test('averages sklearn per-row values by cluster, in ascending label order', () => {
    const d = fx.datasets[0]!;
    const labels = labelsOf(d, d.silhouetteSamples.labeling);
    const ours = silhouetteByCluster(matrixOf(d), labels);
    assert.deepEqual(Array.from(ours.labels), [0, 1, 2]);
    for (let c = 0; c < 3; c++) {
      const vals = d.silhouetteSamples.sklearn.filter((_, i) => labels[i] === c);
      assert.equal(ours.sizes[c], vals.length);
      assertClose(ours.means[c]!, vals.reduce((a, b) => a + b, 0) / vals.length, `cluster ${c}`);
    }
  });
});

describe('silhouetteScoreSampled', () => {
  const d = fx.datasets[2]!;
  const m = matrixOf(d);
  const labels = labelsOf(d, 'kmeans2');
  test('equals the exact score when the sample holds every row', () => {
    assert.equal(silhouetteScoreSampled(m, labels, { sampleSize: d.rows, seed: 1 }), silhouetteScore(m, labels));
  });
  test('gives the same score for the same seed and lands near the exact score', () => {
    const a = silhouetteScoreSampled(m, labels, { sampleSize: 300, seed: 7 });
    assert.equal(silhouetteScoreSampled(m, labels, { sampleSize: 300, seed: 7 }), a);
    assert.notEqual(silhouetteScoreSampled(m, labels, { sampleSize: 300, seed: 8 }), a);
    assert.ok(Math.abs(a - silhouetteScore(m, labels)) < 0.05, `sampled ${a}`);
  });
  test('rejects a sample size below 2 with the value received', () => {
    assert.throws(() => silhouetteScoreSampled(m, labels, { sampleSize: 1, seed: 0 }), {
      message: 'silhouetteSampled requires an integer sampleSize >= 2 (got sampleSize=1)',
    });
  });
});

describe('silhouette input checks', () => {
  const m = createMatrix(Float64Array.of(0, 1, 2, 3), 4, 1);
  test('rejects a single label with the rule and the counts', () => {
    assert.throws(() => silhouetteScore(m, Int32Array.of(0, 0, 0, 0)), {
      name: 'InputError',
      message: 'silhouette requires 2 <= n_labels <= n_samples - 1 (got n_labels=1, n_samples=4)',
    });
  });
  test('rejects one label per row', () => {
    assert.throws(() => silhouetteScore(m, Int32Array.of(0, 1, 2, 3)), /got n_labels=4, n_samples=4/);
  });
  test('rejects labels of the wrong length', () => {
    assert.throws(() => silhouetteScore(m, Int32Array.of(0, 1)), {
      message: 'silhouette requires labels.length == rows (got labels.length=2, rows=4)',
    });
  });
  test('rejects negative labels naming the index', () => {
    assert.throws(() => silhouetteScore(m, Int32Array.of(0, 1, -1, 1)), { message: 'silhouette requires non-negative labels (got labels[2]=-1)' });
  });
  test('rejects NaN naming the row and column', () => {
    const bad = createMatrix(Float64Array.of(0, 1, NaN, 3), 4, 1);
    assert.throws(() => silhouetteScore(bad, Int32Array.of(0, 0, 1, 1)), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, 'silhouette requires finite values (got NaN at row 3, column x0)');
      return true;
    });
  });
});

describe('silhouetteScoreSampledParallel', () => {
  test('gives the sampled score of the same rows as the single-threaded version, to rounding', async () => {
    // 6,000 rows in 3 shifted groups; the sample of 3,000 is below the default threshold, so it is lowered.
    const rows = 6000;
    const values = new Float64Array(rows * 2);
    const labels = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      labels[i] = i % 3;
      values[i * 2] = labels[i]! * 3 + Math.sin(i);
      values[i * 2 + 1] = Math.cos(i * 1.7);
    }
    const m = createMatrix(values, rows, 2);
    const single = silhouetteScoreSampled(m, labels, { sampleSize: 3000, seed: 7 });
    const parallel = await silhouetteScoreSampledParallel(m, labels, { sampleSize: 3000, seed: 7, threads: 2, minRows: 2000 });
    assert.ok(Math.abs(single - parallel) <= 1e-12 * Math.abs(single), `${single} vs ${parallel}`);
    assert.notEqual(single, silhouetteScoreSampled(m, labels, { sampleSize: 3000, seed: 8 }));
  });
});
