import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../store/db.js';
import { compileFeatures, computeFeatures, defaultAsOf, exportFeatures, FEATURES, readFeatureMatrix } from './index.js';
import { loadScenario, SCENARIO_AS_OF } from './scenario.fixture.js';

const DAY = 86_400_000;
const N = null;

// Expected values worked out by hand from scenario.fixture.ts, as-of 2024-03-01 (2024 is a leap year).
// alice: kept orders O3 (2023-10-01 14:00, 10), O2 (2024-01-10 10:40, 20 − 2 = 18), O1 (2024-02-20 10:15, 2×10 + 5 = 25).
const aliceGap = (Date.UTC(2024, 1, 20, 10, 15) - Date.UTC(2023, 9, 1, 14)) / DAY / 2;
const EXPECTED: Record<string, Record<string, number | null>> = {
  u_alice: {
    recency_days: 10, frequency: 3, monetary: 53, avg_order_value: 53 / 3, tenure_days: 168, // first seen 2023-09-15 (anon_a)
    avg_days_between_orders: aliceGap, frequency_trend: (2 - 1) / 3, sessions: 3, page_views: 2, avg_dwell_seconds: 45,
    product_views: 3, add_to_cart_rate: 2 / 3, cart_abandonment_rate: 1 / 2, email_open_rate: 1 / 2, email_click_rate: 1 / 2,
    discount_share: 1 / 3, category_count: 2, preferred_hour: 10,
  },
  // bob: orders only, one order with two identical lines (both kept): 2 × 3 × 4 = 24; behaviour all null.
  u_bob: {
    recency_days: 1, frequency: 1, monetary: 24, avg_order_value: 24, tenure_days: 1, avg_days_between_orders: N,
    frequency_trend: 1, sessions: N, page_views: N, avg_dwell_seconds: N, product_views: N, add_to_cart_rate: N,
    cart_abandonment_rate: N, email_open_rate: N, email_click_rate: N, discount_share: 0, category_count: 1, preferred_hour: 23,
  },
  // carol: events only; no purchase facts, preferred hour from events (09:00 and 09:30).
  u_carol: {
    recency_days: N, frequency: 0, monetary: 0, avg_order_value: N, tenure_days: 20, avg_days_between_orders: N,
    frequency_trend: 0, sessions: 1, page_views: 1, avg_dwell_seconds: N, product_views: 0, add_to_cart_rate: N,
    cart_abandonment_rate: N, email_open_rate: 0, email_click_rate: 0, discount_share: N, category_count: 0, preferred_hour: 9,
  },
  // erin: one order recorded without lines (revenue 50, discount 5) on 2024-02-01 12:00.
  u_erin: {
    recency_days: 29, frequency: 1, monetary: 45, avg_order_value: 45, tenure_days: 29, avg_days_between_orders: N,
    frequency_trend: 1, sessions: N, page_views: N, avg_dwell_seconds: N, product_views: N, add_to_cart_rate: N,
    cart_abandonment_rate: N, email_open_rate: N, email_click_rate: N, discount_share: 1, category_count: 0, preferred_hour: 12,
  },
};

async function withScenario(work: (store: Store) => Promise<void>): Promise<void> {
  const store = await Store.open(':memory:');
  try {
    await loadScenario(store);
    await work(store);
  } finally {
    store.close();
  }
}

function close(actual: unknown, expected: number | null, where: string): void {
  if (expected === null) return assert.equal(actual, null, where);
  assert.equal(typeof actual, 'number', `${where}: got ${String(actual)}`);
  assert.ok(Math.abs((actual as number) - expected) < 1e-9, `${where}: got ${String(actual)}, expected ${expected}`);
}

test('computeFeatures gives every scenario customer its hand-computed feature values', async () => {
  await withScenario(async (store) => {
    const snap = await computeFeatures(store, { asOf: SCENARIO_AS_OF, now: new Date('2024-03-05T00:00:00Z') });
    assert.equal(snap.customers, 4);
    assert.deepEqual(snap.columns, FEATURES.map((f) => f.name));
    const rows = await store.rows<Record<string, unknown>>('SELECT * FROM customer_features');
    assert.deepEqual(rows.map((r) => r.customer_id), ['u_alice', 'u_bob', 'u_carol', 'u_erin']);
    for (const row of rows) {
      const expected = EXPECTED[String(row.customer_id)]!;
      assert.deepEqual(Object.keys(row), ['customer_id', ...FEATURES.map((f) => f.name)]);
      for (const f of FEATURES) close(row[f.name], expected[f.name]!, `${String(row.customer_id)}.${f.name}`);
    }
  });
});

test('computeFeatures excludes anonymous visitors never identified and buyers without a kept line', async () => {
  await withScenario(async (store) => {
    await computeFeatures(store, { asOf: SCENARIO_AS_OF });
    const ids = (await store.rows<{ customer_id: string }>('SELECT customer_id FROM customer_features')).map((r) => r.customer_id);
    assert.ok(!ids.includes('anon_z') && !ids.includes('anon_a') && !ids.includes('u_dave'));
  });
});

test('computeFeatures counts only facts before as-of and records a snapshot with the definitions', async () => {
  await withScenario(async (store) => {
    const asOf = new Date('2024-02-01T00:00:00Z');
    const snap = await computeFeatures(store, { asOf });
    assert.equal(snap.snapshotId, 'fs-20240201T000000Z-1');
    // alice then had O3 and O2 only; erin's order is at 12:00 on the as-of day: not yet.
    const alice = (await store.rows<Record<string, number>>(`SELECT frequency, monetary FROM customer_features WHERE customer_id = 'u_alice'`))[0];
    assert.deepEqual(alice, { frequency: 2, monetary: 28 });
    assert.equal(await store.scalar(`SELECT count(*) FROM customer_features WHERE customer_id = 'u_erin'`), 0);
    const again = await computeFeatures(store, { asOf });
    assert.equal(again.snapshotId, 'fs-20240201T000000Z-2');
    const stored = await store.rows<{ customers: number; defs: number }>(`SELECT customers, json_array_length(definitions) AS defs FROM feature_snapshots ORDER BY snapshot_id`);
    assert.deepEqual(stored, [{ customers: 1, defs: FEATURES.length }, { customers: 1, defs: FEATURES.length }]); // only alice was seen by then
  });
});

test('defaultAsOf is midnight UTC of the day after the last event or order', async () => {
  await withScenario(async (store) => {
    // the last fact is order O6 at 2024-03-02 09:00
    assert.deepEqual(await defaultAsOf(store), new Date('2024-03-03T00:00:00Z'));
  });
  const empty = await Store.open(':memory:');
  try {
    await assert.rejects(defaultAsOf(empty), { message: 'computing features requires events or orders (got none: the store is empty)' });
  } finally {
    empty.close();
  }
});

test('a feature is one entry: a custom definition list compiles and runs', async () => {
  await withScenario(async (store) => {
    const defs = [
      FEATURES[1]!,
      { name: 'max_quantity', description: 'Largest quantity on a kept line.', unit: 'items', group: 'purchase', source: 'lines', sql: 'max(quantity)', missing: { meaning: 'no purchase', impute: 'zero' } },
    ] as const;
    assert.match(compileFeatures(defs), /max\(quantity\) AS "max_quantity"/);
    await computeFeatures(store, { asOf: SCENARIO_AS_OF, definitions: defs });
    const rows = await store.rows('SELECT * FROM customer_features ORDER BY customer_id');
    assert.deepEqual(rows, [
      { customer_id: 'u_alice', frequency: 3, max_quantity: 2 },
      { customer_id: 'u_bob', frequency: 1, max_quantity: 3 },
      { customer_id: 'u_carol', frequency: 0, max_quantity: null },
      { customer_id: 'u_erin', frequency: 1, max_quantity: null },
    ]);
  });
});

test('compileFeatures rejects duplicate and malformed names with every problem listed', () => {
  const f = FEATURES[0]!;
  assert.throws(() => compileFeatures([f, f, { ...f, name: 'Bad Name' }]), (error: Error & { issues?: unknown[] }) => {
    assert.equal(error.message, 'feature definitions are invalid (2 problems: definitions[1].name duplicate feature name "recency_days")');
    assert.equal(error.issues?.length, 2);
    return true;
  });
});

test('exportFeatures writes CSV with customer_id first and rejects unknown extensions', async () => {
  await withScenario(async (store) => {
    await computeFeatures(store, { asOf: SCENARIO_AS_OF });
    const dir = mkdtempSync(join(tmpdir(), 'segmenta-features-'));
    try {
      const csv = join(dir, 'f.csv');
      assert.deepEqual(await exportFeatures(store, csv), { file: csv, rows: 4 });
      const lines = readFileSync(csv, 'utf8').trim().split('\n');
      assert.equal(lines[0], ['customer_id', ...FEATURES.map((f) => f.name)].join(','));
      assert.match(lines[2]!, /^u_bob,1,1,24\.0,24\.0,1,,1\.0,,/);
      const parquet = join(dir, 'f.parquet');
      await exportFeatures(store, parquet);
      assert.equal(await store.scalar(`SELECT sum(monetary) FROM read_parquet('${parquet}')`), 122);
      await assert.rejects(exportFeatures(store, join(dir, 'f.xlsx')), { message: `feature export file must end in .csv or .parquet (got ${JSON.stringify(join(dir, 'f.xlsx'))})` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('readFeatureMatrix imputes by the stated rule, counts imputations and drops all-missing columns', async () => {
  await withScenario(async (store) => {
    const never = { name: 'never', description: 'Always missing.', unit: '-', group: 'behaviour', source: 'behaviour', sql: 'NULL::DOUBLE', missing: { meaning: 'always', impute: 'median' } } as const;
    const defs = [...FEATURES.filter((f) => ['recency_days', 'frequency', 'sessions', 'add_to_cart_rate'].includes(f.name)), never];
    await computeFeatures(store, { asOf: SCENARIO_AS_OF, definitions: defs });
    const read = await readFeatureMatrix(store, ['recency_days', 'frequency', 'sessions', 'add_to_cart_rate', 'never'], { impute: { add_to_cart_rate: 'zero' } });
    assert.deepEqual(read.dropped, ['never']);
    assert.deepEqual(read.imputed, { recency_days: 1, frequency: 0, sessions: 2, add_to_cart_rate: 3 });
    assert.deepEqual(read.rules, { recency_days: 'max', frequency: 'zero', sessions: 'median', add_to_cart_rate: 'zero' });
    assert.deepEqual(read.matrix.columns, ['recency_days', 'frequency', 'sessions', 'add_to_cart_rate']);
    assert.deepEqual(read.matrix.ids, ['u_alice', 'u_bob', 'u_carol', 'u_erin']);
    // recency: carol gets the max (29); sessions: bob and erin get the median of {3, 1} = 2
    assert.deepEqual(Array.from(read.matrix.values), [
      10, 3, 3, 2 / 3,
      1, 1, 2, 0,
      29, 0, 1, 0,
      29, 1, 2, 0,
    ]);
  });
});

test('readFeatureMatrix winsorises only the matrix at Q3 + 3·IQR and names unknown columns', async () => {
  await withScenario(async (store) => {
    await computeFeatures(store, { asOf: SCENARIO_AS_OF });
    // monetary = 53, 24, 0, 45 → sorted 0, 24, 45, 53: Q1 = 18, Q3 = 47, fence = 47 + 3·29 = 134 → nothing capped
    const read = await readFeatureMatrix(store, ['monetary'], { winsorise: ['monetary'] });
    assert.deepEqual(read.winsorised, { monetary: { cap: 134, count: 0 } });
    await assert.rejects(readFeatureMatrix(store, ['monetary', 'nope']), (error: Error) => {
      assert.match(error.message, /^feature matrix columns must be features of customer_features \(got nope; available: recency_days, frequency,/);
      return true;
    });
  });
});

test('preferred_hour breaks ties by the earliest hour and prefers orders over events', async () => {
  const store = await Store.open(':memory:');
  try {
    // u1: one order at 18:xx and one at 03:xx (a tie → 3); three events at 01:xx are ignored because u1 has orders.
    // u2: events only, two at 22:xx and two at 06:xx (a tie → 6).
    await store.run(`INSERT INTO order_lines (order_id, line_no, customer_id, quantity, unit_price, ordered_at, import_id) VALUES
      ('A', 1, 'u1', 1, 5, '2024-01-02 18:10:00', 't'), ('B', 1, 'u1', 1, 5, '2024-01-03 03:20:00', 't')`);
    await store.run(`INSERT INTO events (message_id, type, event, user_id, ts, import_id)
      SELECT 'e' || i, 'track', 'Product Viewed', 'u1', TIMESTAMP '2024-01-04 01:00:00' + to_minutes(i), 't' FROM range(3) t(i)
      UNION ALL SELECT 'f' || i, 'page', NULL, 'u2', TIMESTAMP '2024-01-04 06:00:00' + to_hours(16 * (i % 2)), 't' FROM range(4) t(i)`);
    await computeFeatures(store, { asOf: new Date('2024-02-01T00:00:00Z') });
    assert.deepEqual(await store.rows('SELECT customer_id, preferred_hour FROM customer_features'), [
      { customer_id: 'u1', preferred_hour: 3 },
      { customer_id: 'u2', preferred_hour: 6 },
    ]);
  } finally {
    store.close();
  }
});
