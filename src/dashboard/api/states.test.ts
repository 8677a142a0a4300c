/**
 * Page states on hand-made databases: an empty store, data without a run, a run in progress, a failed newest run,
 * and a segment of one customer — never an exception, never NaN.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Store } from '../../store/db.js';
import { cohorts, customerProfile, customerSearch, journeys, modelChoice, overview, quality, segmentMembers, segments } from './index.js';
import { assertJsonPayload } from './payload-check.fixture.js';

const STRATEGY = { goal: 'g', tactic: 't', channels: ['email'], offer: 'o', timing: 'w', frequencyCap: { maxContacts: 1, per: 'week' }, kpi: 'k' };

async function insertRun(store: Store, runId: string, createdAt: string, status: string): Promise<void> {
  const summary = {
    runId, asOf: '2024-03-01T00:00:00.000Z',
    segments: [
      { cluster: 0, name: 'Stable value', family: 'stable_value', reason: 'near average', strategy: STRATEGY },
      { cluster: 1, name: 'High-value active', family: 'high_value_active', reason: 'spends most', strategy: STRATEGY },
    ],
    kChoice: { mode: 'fixed', candidates: [{ k: 2, inertia: 1.5, silhouette: 0.5 }], elbowK: null, reason: 'k fixed at 2' },
  };
  await store.run(
    `INSERT INTO segment_runs VALUES ($run, NULL, $created::TIMESTAMP, $status, 'kmeans', 2, 9, $params, $model, $metrics, $segments)`,
    {
      run: runId, created: createdAt, status,
      params: JSON.stringify({ k: 2, asOf: '2024-03-01T00:00:00.000Z' }),
      model: JSON.stringify({ columns: ['recency_days', 'frequency', 'monetary', 'tenure_days'] }),
      metrics: JSON.stringify({ silhouette: 0.5, inertia: 1.5, candidates: [{ k: 2, inertia: 1.5, silhouette: 0.5 }], elbowK: null }),
      segments: status === 'done' ? JSON.stringify(summary) : null,
    },
  );
}

/** Three customers: c1 and c2 in cluster 0, c3 alone in cluster 1; tenure is the same for all (a constant feature). */
async function threeCustomers(store: Store): Promise<void> {
  await store.run(`CREATE TABLE customer_features (customer_id VARCHAR, recency_days BIGINT, frequency BIGINT, monetary DOUBLE, tenure_days BIGINT)`);
  await store.run(`INSERT INTO customer_features VALUES ('c1', 10, 2, 50, 100), ('c2', 200, 1, 20, 100), ('c3', 3, 9, 900, 100)`);
  await store.run(`INSERT INTO orders VALUES ('o1', 'c1', '2024-02-01', 'purchase', 50, 0, NULL, 'orders', 'i1')`);
  await insertRun(store, 'run-a', '2024-03-01 01:00:00', 'done');
  await store.run(`INSERT INTO segment_memberships VALUES
    ('run-a', 'c1', 0, 'Stable value', 5, 2, 2, '522', 'Loyal'),
    ('run-a', 'c2', 0, 'Stable value', 1, 1, 1, '111', 'Lost'),
    ('run-a', 'c3', 1, 'High-value active', 5, 5, 5, '555', 'Champions')`);
}

describe('an empty database', () => {
  let store: Store;
  before(async () => {
    store = await Store.open(':memory:');
  });
  after(() => store.close());

  test('every page of an empty database is empty with a message, not an error', async () => {
    const payloads = [
      await overview(store), await segments(store), await segmentMembers(store, 0), await modelChoice(store),
      await customerSearch(store, 'abc'), await customerProfile(store, 'abc'), await cohorts(store), await journeys(store), await quality(store),
    ];
    for (const p of payloads) {
      assert.equal(p.state, 'empty', JSON.stringify(p).slice(0, 200));
      assert.match(p.message ?? '', /No data yet/);
      assertJsonPayload(p);
    }
  });

  test('a run in progress on an empty database gives the running state without data', async () => {
    await insertRun(store, 'run-x', '2024-03-01 00:00:00', 'running');
    const ov = await overview(store);
    assert.equal(ov.state, 'running');
    assert.equal(ov.run, null);
    assert.match(ov.message ?? '', /in progress/);
    const seg = await segments(store);
    assert.equal(seg.state, 'running');
    assert.deepEqual(seg.segments, []);
    assertJsonPayload(seg);
    assert.equal((await modelChoice(store)).state, 'running');
  });
});

describe('data without a run', () => {
  test('imported data without a run asks for a segmentation run', async () => {
    const store = await Store.open(':memory:');
    try {
      await store.run(`INSERT INTO orders VALUES ('o1', 'c1', '2024-02-01', 'purchase', 50, 0, NULL, 'orders', 'i1')`);
      const ov = await overview(store);
      assert.equal(ov.state, 'empty');
      assert.match(ov.message ?? '', /not segmented yet/);
      assert.equal((await cohorts(store)).state, 'ready');
    } finally {
      store.close();
    }
  });
});

describe('a segment of one customer', () => {
  let store: Store;
  before(async () => {
    store = await Store.open(':memory:');
    await threeCustomers(store);
  });
  after(() => store.close());

  test('a one-customer segment has its customer’s values as means and no NaN anywhere', async () => {
    const seg = await segments(store);
    assert.equal(seg.state, 'ready');
    assertJsonPayload(seg);
    const one = seg.segments.find((s) => s.cluster === 1)!;
    assert.deepEqual([one.size, one.avgRecencyDays, one.avgFrequency, one.avgMonetary, one.revenue], [1, 3, 9, 900, 900]);
    assert.equal(one.share, 1 / 3);
    assert.equal(one.revenueShare, 900 / 970);
    const tenure = seg.heatmap.features.indexOf('tenure_days');
    assert.deepEqual(seg.heatmap.values.map((row) => row[tenure]), [null, null], 'a constant feature has no z-score');
    assert.deepEqual(seg.radar.values.map((row) => row[tenure]), [0.5, 0.5]);
    const monetary = seg.heatmap.features.indexOf('monetary');
    // all customers: mean 970/3, population sd sqrt(((50−µ)² + (20−µ)² + (900−µ)²) / 3)
    const mu = 970 / 3;
    const sd = Math.sqrt(((50 - mu) ** 2 + (20 - mu) ** 2 + (900 - mu) ** 2) / 3);
    assert.ok(Math.abs(seg.heatmap.values[1]![monetary]! - (900 - mu) / sd) < 1e-12);
    assert.deepEqual(seg.radar.values.map((row) => row[monetary]), [0, 1]);
    assert.equal(seg.clusterMap.points.length, 3);
    assert.deepEqual(seg.flows.links, []);
    const cell = seg.rfmGrid.find((c) => c.r === 5 && c.f === 5)!;
    assert.deepEqual([cell.customers, cell.monetary], [1, 900]);
  });

  test('model choice and members work for a one-customer segment', async () => {
    const mc = await modelChoice(store);
    assertJsonPayload(mc);
    assert.equal(mc.perCluster.find((c) => c.cluster === 1)?.silhouette, 0, 'a singleton cluster has silhouette 0 (scikit-learn)');
    assert.equal(mc.chosenBy, 'k fixed at 2');
    const members = await segmentMembers(store, 1);
    assert.deepEqual(members.members.map((m) => [m.customerId, m.rfmScore, m.monetary]), [['c3', '555', 900]]);
    const ov = await overview(store);
    assert.deepEqual(ov.kpis, { customers: 3, activeCustomers: 2, activeShare: 2 / 3, buyers: 3, revenue: 970, orders: 12, aov: 970 / 12, repeatRate: 2 / 3 });
  });

  test('average CLV per segment comes from customer_predictions rows with target clv, the newest per customer', async () => {
    await store.run(`INSERT INTO customer_predictions (customer_id, target, horizon_days, probability, model, as_of, created_at) VALUES
      ('c1', 'clv', 365, 100, 'bgnbd', '2024-03-01', '2024-03-01'), ('c1', 'clv', 365, 120, 'bgnbd', '2024-03-01', '2024-03-02'),
      ('c2', 'clv', 365, 40, 'bgnbd', '2024-03-01', '2024-03-01'), ('c3', 'clv', 365, 900, 'bgnbd', '2024-03-01', '2024-03-01')`);
    const seg = await segments(store);
    assert.deepEqual(seg.segments.map((s) => s.avgClv), [80, 900]);
    await store.run(`DELETE FROM customer_predictions`);
  });

  test('a newer run in progress keeps showing the finished run, with the running state', async () => {
    await insertRun(store, 'run-b', '2024-03-02 00:00:00', 'running');
    const ov = await overview(store);
    assert.equal(ov.state, 'running');
    assert.equal(ov.run?.runId, 'run-a');
    assert.match(ov.message ?? '', /in progress; showing the previous run run-a/);
    assert.equal(ov.segments.length, 2);
    await store.run(`UPDATE segment_runs SET status = 'failed' WHERE run_id = 'run-b'`);
    const after = await overview(store);
    assert.equal(after.state, 'ready');
    assert.match(after.message ?? '', /newest run run-b failed/);
  });
});

describe('a run without a feature table', () => {
  test('without customer_features sizes still come from memberships and feature numbers are null', async () => {
    const store = await Store.open(':memory:');
    try {
      await threeCustomers(store);
      await store.run(`DROP TABLE customer_features`);
      const ov = await overview(store);
      assert.equal(ov.kpis, null);
      assert.deepEqual(ov.segments.map((s) => s.size), [2, 1]);
      const seg = await segments(store);
      assert.deepEqual(seg.segments.map((s) => [s.size, s.avgMonetary]), [[2, null], [1, null]]);
      assert.deepEqual(seg.clusterMap.points, []);
      const members = await segmentMembers(store, 0, { sort: '-monetary' });
      assert.deepEqual(members.members.map((m) => m.customerId), ['c1', 'c2']);
      const mc = await modelChoice(store);
      assert.deepEqual(mc.perCluster, []);
      for (const p of [ov, seg, members, mc]) assertJsonPayload(p);
    } finally {
      store.close();
    }
  });
});
