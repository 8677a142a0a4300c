// Expected numbers: scikit-learn 1.2.1 silhouette_samples, from fixtures/sklearn/metrics/generate.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silhouetteSamples } from './silhouette.js';
import { silhouetteSamplesParallel, silhouetteScoreParallel } from './silhouette-parallel.js';
import { assertClose, labelsOf, loadFixture, matrixOf } from './sklearn-fixture.js';

const fx = loadFixture();

describe('silhouetteSamplesParallel', () => {
  const d = fx.datasets[2]!;
  const m = matrixOf(d);
  test('matches sklearn per row when split over 3 threads (2 workers)', async () => {
    const labels = labelsOf(d, d.silhouetteSamples.labeling);
    const ours = await silhouetteSamplesParallel(m, labels, { threads: 3, minRows: 0 });
    d.silhouetteSamples.sklearn.forEach((v, i) => assertClose(ours[i]!, v, `row ${i}`));
  });
  test('agrees with the single-threaded path on every labeling', async () => {
    for (const s of d.scores) {
      const labels = labelsOf(d, s.labeling);
      const par = await silhouetteSamplesParallel(m, labels, { threads: 2, minRows: 0 });
      const seq = silhouetteSamples(m, labels);
      for (let i = 0; i < seq.length; i++) assertClose(par[i]!, seq[i]!, `${s.labeling} row ${i}`, 1e-13);
      assertClose(await silhouetteScoreParallel(m, labels, { threads: 1 }), s.silhouette, `${s.labeling} mean`);
    }
  });
  test('rejects a single label before starting workers', async () => {
    await assert.rejects(silhouetteSamplesParallel(m, new Int32Array(d.rows), { threads: 2, minRows: 0 }), {
      message: `silhouette requires 2 <= n_labels <= n_samples - 1 (got n_labels=1, n_samples=${d.rows})`,
    });
  });
});
