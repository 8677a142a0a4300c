import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InputError } from '../../core/errors.js';
import { Store } from '../../store/db.js';
import { buildPredictFixture, FIXTURE_AS_OF, FIXTURE_CUSTOMERS } from './fixture.js';
import { predictCustomers } from './index.js';

let store: Store;
/** Customers with an order before the cut-off (2024-05-02) and before the as-of: a few planned customers have none. */
let buyersAtCutoff: number;
let buyers: number;
before(async () => {
  store = await Store.open(':memory:');
  await buildPredictFixture(store);
  buyersAtCutoff = Number(await store.scalar(`SELECT count(DISTINCT customer_id) FROM orders WHERE ordered_at < TIMESTAMP '2024-05-02'`));
  buyers = Number(await store.scalar(`SELECT count(DISTINCT customer_id) FROM orders`));
});
after(() => store.close());

const base = { horizonDays: 60, asOf: FIXTURE_AS_OF, seed: 7, now: new Date('2024-07-02T00:00:00Z') } as const;

async function stored(target: string): Promise<{ ids: string[]; probability: number[] }> {
  const read = await store.readColumns(`SELECT customer_id, probability FROM customer_predictions WHERE target = $t ORDER BY customer_id`, { t: target });
  return { ids: (read.columns.customer_id ?? []).map(String), probability: (read.columns.probability ?? []).map(Number) };
}

describe('predictCustomers', () => {
  it('propensity learns who buys in the window from recency and frequency, and stores one row per customer', async () => {
    const r = await predictCustomers(store, { ...base, target: 'propensity' });
    assert.equal(r.cutoff.toISOString(), '2024-05-02T00:00:00.000Z');
    assert.ok(buyers > FIXTURE_CUSTOMERS - 5 && buyers <= FIXTURE_CUSTOMERS, `buyers ${buyers}`);
    assert.equal(r.training.customers, buyersAtCutoff);
    assert.ok(r.training.positives > 100 && r.training.positives < 350, `positives ${r.training.positives}`);
    assert.ok(r.evaluation.rocAuc > 0.75, `ROC AUC ${r.evaluation.rocAuc}`);
    assert.ok(r.evaluation.prAuc > r.evaluation.baseRate);
    assert.ok(r.evaluation.brier < 0.25 && r.evaluation.logLoss < 0.69);
    assert.equal(r.evaluation.testRows + r.evaluation.trainRows, buyersAtCutoff);
    assert.equal(r.evaluation.reliability.reduce((s, b) => s + b.count, 0), r.evaluation.testRows);
    assert.ok(['recency_days', 'frequency', 'avg_days_between_orders'].includes(r.evaluation.importance[0]!.feature), r.evaluation.importance[0]!.feature);
    assert.equal(r.scores.deciles.length, 11);
    assert.equal(r.scores.bands.reduce((s, b) => s + b, 0), buyers);
    assert.equal(r.scores.top.length, 10);
    assert.ok(r.scores.top[0]!.probability >= r.scores.top[9]!.probability);
    assert.equal(r.written, buyers);
    const rows = await stored('propensity');
    assert.equal(rows.ids.length, buyers);
    assert.ok(rows.probability.every((p) => p >= 0 && p <= 1));
    const meta = await store.rows<{ horizon_days: number; model: string; as_of: Date }>(`SELECT DISTINCT horizon_days, model, as_of FROM customer_predictions`);
    assert.deepEqual(meta, [{ horizon_days: 60, model: 'gbt', as_of: FIXTURE_AS_OF }]);
  });

  it('leaves customer_features as of the as-of date', async () => {
    const features = await store.scalar<number>(`SELECT sum(frequency) FROM customer_features`);
    const orders = await store.scalar<number>(`SELECT count(*) FROM orders WHERE ordered_at < $a::TIMESTAMP`, { a: '2024-07-01 00:00:00' });
    assert.equal(Number(features), Number(orders));
  });

  it('same seed gives the same probabilities, and a rerun replaces the rows of that target and horizon', async () => {
    const first = await stored('propensity');
    await predictCustomers(store, { ...base, target: 'propensity' });
    assert.deepEqual(await stored('propensity'), first);
  });

  it('churn scores only customers who have bought, with the logistic baseline', async () => {
    const r = await predictCustomers(store, { ...base, target: 'churn', model: 'logistic' });
    assert.ok(r.evaluation.rocAuc > 0.7, `ROC AUC ${r.evaluation.rocAuc}`);
    assert.equal(r.model, 'logistic');
    const rows = await stored('churn');
    assert.equal(rows.ids.length, r.written);
    assert.equal(Number(await store.scalar(`SELECT count(*) FROM customer_predictions`)), 2 * buyers);
  });

  it('the forest scores every customer too', async () => {
    const r = await predictCustomers(store, { ...base, target: 'propensity', model: 'forest', horizonDays: 45 });
    assert.ok(r.evaluation.rocAuc > 0.7, `ROC AUC ${r.evaluation.rocAuc}`);
    assert.equal(r.written, buyers);
  });

  it('rejects a window without both outcomes and bad options, naming the values', async () => {
    await assert.rejects(predictCustomers(store, { ...base, target: 'propensity', horizonDays: 600 }), (e: unknown) =>
      e instanceof InputError && /^predict propensity requires at least 8 customers of each outcome in the training window 2022-11-09\.\.2024-07-01 \(got 0 positive, 0 negative of 0\)/.test(e.message));
    await assert.rejects(predictCustomers(store, { ...base, target: 'propensity', horizonDays: 0 }), { name: 'InputError', message: 'predict horizon must be a whole number of days between 1 and 3650 (got 0)' });
    await assert.rejects(predictCustomers(store, { ...base, target: 'upsell' as 'churn' }), { name: 'InputError', message: 'predict target must be one of churn, propensity (got "upsell")' });
    await assert.rejects(predictCustomers(store, { ...base, target: 'churn', model: 'svm' as 'gbt' }), { name: 'InputError', message: 'predict model must be one of gbt, forest, logistic (got "svm")' });
  });
});
