import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameClusters } from './index.js';

const columns = ['recency_days', 'frequency', 'monetary', 'avg_order_value', 'tenure_days', 'frequency_trend', 'page_views', 'avg_dwell_seconds', 'add_to_cart_rate', 'cart_abandonment_rate', 'email_open_rate', 'discount_share'];

/** One z-profile per planted family, in the order of `columns` (hand-written: each family's defining trait). */
const profiles: Record<string, number[]> = {
  high_value_active: [-1, 2, 2.2, 1.2, 0.5, 0, 0.5, 0.2, 0, -0.5, 1, -0.6],
  potential_growth: [-0.8, 0.3, 0, -0.2, 0.1, 1.8, 0.2, 0, 0, 0, 0.6, 0],
  stable_value: [-0.3, 0.4, 0.3, 0.1, 0.4, 0, 0, 0, 0, 0, 0.1, -0.2],
  churn_risk: [0.8, 0.6, 0.5, 0.2, 0.5, -1.8, -0.2, 0, 0, 0, -0.6, 0],
  window_shoppers: [0.5, -1.2, -1.2, -0.5, 0, 0, 2, 1.5, 1, 1.8, 0, -0.3],
  deal_seekers: [-0.2, 0.2, -0.3, -0.9, 0.2, 0, 0, 0, 0, 0, 0.3, 2.4],
  dormant: [2.3, -0.8, -0.7, 0, 0.6, 0, -1, -0.5, -0.5, 0, -1.2, 0],
  new_customers: [-0.7, -0.9, -0.8, 0, -2.2, 0.3, 0, 0, 0, 0, 0, 0],
};

test('nameClusters gives each planted profile its own family, with a reason', () => {
  const families = Object.keys(profiles).reverse();
  const z = new Float64Array(families.flatMap((f) => profiles[f]!));
  const names = nameClusters({ columns, zCentroids: z, rawCentroids: z, k: families.length });
  assert.deepEqual(names.map((n) => n.family), families);
  assert.equal(new Set(names.map((n) => n.name)).size, families.length);
  for (const n of names) assert.ok(n.reason.length > 0, n.name);
  assert.match(names.find((n) => n.family === 'deal_seekers')!.reason, /discount share/);
});

test('two clusters of one family get distinct names with a qualifier', () => {
  const z = new Float64Array([...profiles.dormant!, ...profiles.dormant!.map((v, j) => (j === 0 ? v + 0.5 : v)), ...profiles.dormant!.map((v) => v * 1.1)]);
  const names = nameClusters({ columns, zCentroids: z, rawCentroids: z, k: 3 });
  assert.equal(new Set(names.map((n) => n.name)).size, 3);
});

test('nameClusters ignores profile features a run does not have', () => {
  const names = nameClusters({ columns: ['recency_days', 'frequency', 'monetary'], zCentroids: new Float64Array([2, -1, -1, -1, 2, 2]), rawCentroids: new Float64Array([300, 1, 20, 5, 20, 2000]), k: 2 });
  assert.deepEqual(names.map((n) => n.family), ['dormant', 'high_value_active']);
});
