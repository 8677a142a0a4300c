/** The cohort triangle on three hand-made customers, worked out by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../store/db.js';
import { cohorts } from './index.js';
import { assertJsonPayload } from './payload-check.fixture.js';

type Line = [order: string, customer: string, qty: number, price: number, ts: string];

// a: buys in January (2 × 10), February (20) and March (5)
// b: buys in January (10) and March (30)
// c: buys in February (40); a cancelled invoice in March (C9) and a return (negative quantity) do not count;
//    an order without lines in March counts as revenue − discount = 50 − 5 = 45
const LINES: Line[] = [
  ['A1', 'a', 2, 10, '2024-01-15 10:00:00'],
  ['A2', 'a', 1, 20, '2024-02-10 10:00:00'],
  ['A3', 'a', 1, 5, '2024-03-05 10:00:00'],
  ['B1', 'b', 1, 10, '2024-01-20 10:00:00'],
  ['B2', 'b', 1, 30, '2024-03-01 10:00:00'],
  ['K1', 'c', 1, 40, '2024-02-05 10:00:00'],
  ['C9', 'c', 1, 70, '2024-03-10 10:00:00'],
  ['K2', 'c', -1, 40, '2024-03-11 10:00:00'],
];

async function threeCustomers(): Promise<Store> {
  const store = await Store.open(':memory:');
  for (const [order, customer, qty, price, ts] of LINES) {
    await store.run(`INSERT INTO order_lines (order_id, line_no, customer_id, quantity, unit_price, ordered_at, import_id) VALUES ($1, 1, $2, $3, $4, $5::TIMESTAMP, 'i')`,
      [order, customer, qty, price, ts]);
  }
  await store.run(`INSERT INTO orders VALUES ('E1', 'c', '2024-03-20 12:00:00', 'purchase', 50, 5, NULL, 'events', 'i')`);
  return store;
}

test('cohort triangle of three customers counts active customers and revenue per month since the first purchase', async () => {
  const store = await threeCustomers();
  try {
    const c = await cohorts(store);
    assertJsonPayload(c);
    assert.equal(c.state, 'ready');
    assert.equal(c.asOf, null);
    assert.equal(c.maxOffset, 2);
    assert.deepEqual(c.cohorts, [
      { cohort: '2024-01', customers: 2, active: [2, 1, 2], activeShare: [1, 0.5, 1], revenue: [30, 20, 35] },
      { cohort: '2024-02', customers: 1, active: [1, 1], activeShare: [1, 1], revenue: [40, 45] },
    ]);
  } finally {
    store.close();
  }
});

test('cohorts stop at the as-of of the newest finished run, the as-of month included', async () => {
  const store = await threeCustomers();
  try {
    await store.run(`INSERT INTO segment_runs (run_id, created_at, status, method, params) VALUES ('r', '2024-03-03', 'done', 'kmeans', '{"asOf":"2024-03-02T00:00:00.000Z"}')`);
    const c = await cohorts(store);
    assert.equal(c.asOf, '2024-03-02T00:00:00.000Z');
    // purchases before 2024-03-02: b's March 1 order counts, a's March 5 and c's March 20 do not
    assert.deepEqual(c.cohorts.map((r) => [r.cohort, r.active, r.revenue]), [
      ['2024-01', [2, 1, 1], [30, 20, 30]],
      ['2024-02', [1, 0], [40, 0]],
    ]);
  } finally {
    store.close();
  }
});
