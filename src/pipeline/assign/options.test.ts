/**
 * The segment classifier's edges on the small orders-only prediction fixture (400 customers, K-means k=3): no run,
 * bad options, an unreadable stored model, a segment too small for the folds, and the same seed giving the same
 * assignments.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InputError, NotFoundError } from '../../core/errors.js';
import { Store } from '../../store/db.js';
import { runSegmentation } from '../index.js';
import { buildPredictFixture } from '../predict/fixture.js';
import { assignSegments } from './index.js';

const NOW = new Date('2024-07-02T00:00:00Z');
const fast = { seed: 3, folds: 2, evaluateDays: [30], model: 'forest', now: NOW } as const;
let store: Store;
let runId: string;

before(async () => {
  store = await Store.open(':memory:');
  await buildPredictFixture(store);
});
after(() => store.close());

async function assignments(): Promise<{ customer_id: string; cluster: number; probability: number }[]> {
  return store.rows(`SELECT customer_id, cluster, probability FROM customer_predictions WHERE target = 'segment' ORDER BY customer_id`);
}

describe('assignSegments edges', () => {
  it('a database without a finished run is a NotFoundError that says what to run, and nothing is written', async () => {
    await assert.rejects(assignSegments(store, fast), (e: unknown) =>
      e instanceof NotFoundError && e.message === 'placing customers in segments requires a finished segmentation run (got none): run `segmenta segment` first');
    const empty = await Store.open(':memory:');
    try {
      await assert.rejects(assignSegments(empty, fast), { name: 'NotFoundError' });
    } finally {
      empty.close();
    }
    assert.equal(await store.scalar(`SELECT count(*) FROM customer_predictions`), 0);
    runId = (await runSegmentation(store, { k: 3, seed: 1, now: NOW })).runId;
  });

  it('rejects bad options, naming the values', async () => {
    await assert.rejects(assignSegments(store, { ...fast, model: 'svm' as 'gbt' }), { name: 'InputError', message: 'segment classifier model must be one of gbt, forest, logistic (got "svm")' });
    await assert.rejects(assignSegments(store, { ...fast, folds: 1 }), { name: 'InputError', message: 'segment classifier folds must be a whole number between 2 and 20 (got 1)' });
    await assert.rejects(assignSegments(store, { ...fast, evaluateDays: [0] }), { name: 'InputError', message: 'partial-history horizons must be whole numbers of days between 1 and 3650 (got 0)' });
    await assert.rejects(assignSegments(store, { ...fast, shortHistoryDays: { min: 30, max: 7 } }), { name: 'InputError', message: 'short-history days must be whole numbers with 1 <= min <= max <= 3650 (got min=30, max=7)' });
    await assert.rejects(assignSegments(store, { ...fast, asOf: new Date(NaN) }), { name: 'InputError', message: 'placing customers in segments requires a valid as-of date (got Invalid Date)' });
  });

  it('the same seed stores the same assignments, one per customer, with finite probabilities', async () => {
    const first = await assignSegments(store, fast);
    const rows = await assignments();
    assert.equal(first.runId, runId);
    assert.equal(rows.length, first.written);
    assert.equal(new Set(rows.map((r) => r.customer_id)).size, rows.length);
    assert.ok(rows.every((r) => Number.isFinite(r.probability) && r.probability > 0 && r.probability <= 1));
    assert.ok(first.evaluation.accuracy > 0.9, `accuracy ${first.evaluation.accuracy}`);
    const again = await assignSegments(store, fast);
    assert.deepEqual(await assignments(), rows);
    assert.deepEqual(again.evaluation, first.evaluation);
  });

  it('without short histories it trains on the full histories only', async () => {
    const r = await assignSegments(store, { ...fast, shortHistoryDays: null });
    assert.deepEqual([r.training.rows, r.training.shortHistoryDays], [r.training.customers, null]);
    assert.ok(r.evaluation.accuracy > 0.9, `accuracy ${r.evaluation.accuracy}`);
  });

  it('an unreadable stored model is an InputError naming the run and the field', async () => {
    await store.run(`INSERT INTO segment_runs VALUES ('run-bad', NULL, '2000-01-01', 'done', 'kmeans', 2, 1, '{}', '{"columns": ["frequency"], "centroids": [0, 1], "transforms": [{"kind": "pca"}]}', NULL, NULL)`);
    await assert.rejects(assignSegments(store, { ...fast, runId: 'run-bad' }), (e: unknown) =>
      e instanceof InputError && e.message === 'segmentation run run-bad has an unreadable model: transform 1 is not a log1p, winsorise or zscore of 1 columns');
    await assert.rejects(assignSegments(store, { ...fast, runId: 'run-none' }), { name: 'NotFoundError', message: 'no finished segmentation run run-none' });
  });

  it('a segment with fewer customers than folds is an InputError that suggests fewer folds', async () => {
    await store.run(`UPDATE segment_memberships SET cluster = 0 WHERE run_id = $run AND cluster = 2 AND customer_id NOT IN (
      SELECT customer_id FROM segment_memberships WHERE run_id = $run AND cluster = 2 ORDER BY customer_id LIMIT 3)`, { run: runId });
    const name = await store.scalar<string>(`SELECT segment_name FROM segment_memberships WHERE run_id = $run AND cluster = 2 LIMIT 1`, { run: runId });
    await assert.rejects(assignSegments(store, { ...fast, folds: 5 }), {
      name: 'InputError', message: `placing customers in segments requires at least 5 customers in every segment for 5-fold cross-validation (segment ${JSON.stringify(name)} has 3); use fewer folds`,
    });
  });
});
