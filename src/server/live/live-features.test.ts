/**
 * Live features against the batch definitions. Pure scenarios first (one purchase order from an event, sessions and
 * cart abandonment, the trend windows, the preferred hour); then, on a 1,000-customer synthetic shop with a finished
 * run: the state loaded at the run's as-of gives back every customer's snapshot row, replaying the events of the
 * last 120 days through the incremental state gives the same row, and every customer is assigned the cluster the
 * run gave them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { Store } from '../../store/db.js';
import { purchaseFromEvent, type OrderEvent } from './event-orders.js';
import { createBaseTable, loadStates, type LoadedState } from './feature-load.js';
import { applyEvent, applyOrder, emptyFeatureState, type LiveEvent } from './feature-state.js';
import { FEATURE_READERS, liveAsOf, readFeatures } from './feature-values.js';
import { assignCluster, loadKmeansModel } from './kmeans-model.js';
import { buildShopDb, type ShopDb } from './shop-fixture.js';

const DAY = 86_400_000;
const T = Date.parse('2026-03-10T00:00:00Z');

test('purchaseFromEvent counts an Order Completed event as the order the feature sources would keep', () => {
  const none = () => null;
  const order = (e: Partial<OrderEvent>) => purchaseFromEvent({ ts: T, order_id: 'o1', revenue: null, discount: null, properties: null, ...e }, (id) => (id === 'p9' ? 'Garden' : null));
  // [what, event, amount, discounted, categories] — expected values from the SQL of store/import/event-orders.ts + features/sources.ts
  const cases: [string, Partial<OrderEvent>, number | null, boolean?, string[]?][] = [
    ['no products: revenue − discount', { revenue: 50, discount: 5 }, 45, true, []],
    ['no products and no revenue: no purchase', { revenue: 0 }, null],
    ['an order id starting with C is a cancellation', { order_id: 'C1', revenue: 50 }, null],
    ['no order id: no purchase order', { order_id: null, revenue: 50 }, null],
    ['the order discount goes on line 1', { discount: 3, properties: { products: [{ price: 10, quantity: 2, category: 'Books' }, { price: 5, category: 'Toys' }] } }, 22, true, ['Books', 'Toys']],
    ['line discounts win over the order discount', { discount: 3, properties: { products: [{ price: 10, discount: 0 }, { price: '5', quantity: '2' }] } }, 20, false, []],
    ['lines without a price or quantity are dropped; category from products', { properties: { products: [{ price: 0 }, { price: 8, quantity: 1, product_id: 'p9' }, { quantity: 1 }] } }, 8, false, ['Garden']],
    ['every line dropped: no purchase', { revenue: 40, properties: { products: [{ price: 0 }] } }, null],
  ];
  for (const [what, e, amount, discounted, categories] of cases) {
    const got = order(e);
    if (amount === null) assert.equal(got, null, what);
    else assert.deepEqual(got && [got.amount, got.discounted, got.categories], [amount, discounted, categories], what);
  }
  assert.equal(purchaseFromEvent({ ts: T, order_id: 'o2', revenue: null, discount: null, properties: { products: [{ price: 3, product_id: 'x' }] } }, none)?.categories.length, 0);
});

const ev = (type: string, event: string | null, ts: number, session: string | null = null, dwell: number | null = null): LiveEvent =>
  ({ message_id: `${type}-${event}-${ts}`, type, event, ts, session_id: session, dwell_seconds: dwell });

test('sessions, cart abandonment, rates and dwell follow each event', () => {
  const s = emptyFeatureState();
  const read = (name: string) => FEATURE_READERS[name]!(s, T + DAY);
  assert.ok(Number.isNaN(read('page_views')), 'no behaviour event: page views are missing, not 0');
  applyEvent(s, ev('identify', null, T));
  assert.equal(read('tenure_days'), 1);
  assert.ok(Number.isNaN(read('sessions')));
  applyEvent(s, ev('page', null, T, 's1', 30));
  applyEvent(s, ev('page', null, T, 's1', null));
  applyEvent(s, ev('track', 'Product Viewed', T, 's1'));
  applyEvent(s, ev('track', 'Product Added', T, 's1'));
  assert.deepEqual([read('sessions'), read('page_views'), read('avg_dwell_seconds'), read('add_to_cart_rate'), read('cart_abandonment_rate')], [1, 2, 30, 1, 1]);
  applyEvent(s, ev('track', 'Product Added', T, 's2'));
  applyEvent(s, ev('track', 'Order Completed', T, 's1'));
  assert.equal(read('cart_abandonment_rate'), 0.5, 's1 completed, s2 abandoned');
  applyEvent(s, ev('track', 'Email Delivered', T));
  applyEvent(s, ev('track', 'Email Delivered', T));
  applyEvent(s, ev('track', 'Email Opened', T));
  assert.deepEqual([read('email_open_rate'), read('email_click_rate'), read('sessions')], [0.5, 0, 2]);
});

test('recency, the trend windows and the preferred hour move with the as-of', () => {
  const s = emptyFeatureState();
  const buy = (id: string, at: number) => applyOrder(s, { orderId: id, at, amount: 10, discounted: id === 'a', categories: ['X'] }, T - 400 * DAY);
  buy('a', T - 100 * DAY + 5 * 3_600_000);
  buy('b', T - 10 * DAY + 9 * 3_600_000);
  buy('c', T - 9 * DAY + 9 * 3_600_000);
  assert.equal(buy('c', T), false, 'an order id counts once');
  const at = (asOf: number) => Object.fromEntries(['recency_days', 'frequency_trend', 'preferred_hour', 'discount_share', 'category_count'].map((n) => [n, FEATURE_READERS[n]!(s, asOf)]));
  // At T: 2 orders in the last 90 days, 1 in the 90 before → (2 − 1) / 3.
  assert.deepEqual(at(T), { recency_days: 9, frequency_trend: 1 / 3, preferred_hour: 9, discount_share: 1 / 3, category_count: 1 });
  // 100 days later the first order has left both windows and the others moved to the prior one.
  assert.deepEqual(at(T + 100 * DAY), { recency_days: 109, frequency_trend: -1, preferred_hour: 9, discount_share: 1 / 3, category_count: 1 });
});

test('liveAsOf is the run\'s as-of until it passes, then the midnight after now (or after a later fact)', () => {
  const H = 3_600_000;
  assert.equal(liveAsOf(T, T - 10 * H, T - 11 * H), T, 'before the run\'s as-of: the run\'s');
  assert.equal(liveAsOf(T, T + 14 * H, T + 13 * H), T + DAY, 'as a run started now would take it');
  assert.equal(liveAsOf(T, T + 14 * H, T + DAY + H), T + 2 * DAY, 'a fact dated later than now still counts');
  assert.equal(liveAsOf(T, T + 14 * H, NaN), T + DAY);
});

let dir: string;
let shop: ShopDb;
let store: Store;
let snapshot: Record<string, unknown>[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-live-features-'));
  shop = await buildShopDb(join(dir, 'shop.duckdb'), { customers: 1000, seed: 11 });
  store = await Store.open(shop.db);
  snapshot = await store.rows(`SELECT * FROM customer_features ORDER BY customer_id`);
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Features that differ from the snapshot row (sums compare to 1e-12 relative: DuckDB adds in its own order). */
function mismatches(states: ReadonlyMap<string, LoadedState>, asOf: number): string[] {
  const out: string[] = [];
  for (const row of snapshot) {
    const state = states.get(String(row.customer_id))!.state;
    for (const [name, read] of Object.entries(FEATURE_READERS)) {
      const got = read(state, asOf);
      const want = row[name] == null ? NaN : Number(row[name]);
      const same = Number.isNaN(want) ? Number.isNaN(got) : name === 'monetary' || name === 'avg_order_value' ? Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)) : got === want;
      if (!same) out.push(`${String(row.customer_id)} ${name}: live ${got}, snapshot ${want}`);
    }
  }
  return out;
}

test('the state loaded at the run\'s as-of gives back every customer\'s snapshot row (18 features), from their facts or the base table', async () => {
  const split = { asOf: shop.asOf.getTime(), createdAt: Date.now() };
  const ids = snapshot.map((r) => String(r.customer_id));
  const full = await loadStates(store, ids, split);
  assert.equal(full.size, 1000);
  assert.deepEqual(mismatches(full, shop.asOf.getTime()).slice(0, 5), []);
  assert.equal(await createBaseTable(store, split), 1000);
  const fast = await loadStates(store, ids, split, { kind: 'fast', until: Date.now() });
  assert.deepEqual(mismatches(fast, shop.asOf.getTime()).slice(0, 5), []);
});

test('the last 120 days of events replayed through the incremental state give the same rows', async () => {
  const from = shop.asOf.getTime() - 120 * DAY;
  const states = await loadStates(store, snapshot.map((r) => String(r.customer_id)), { asOf: from, createdAt: from });
  const replayed = [...states.values()].reduce((n, s) => n + s.replayed.size, 0);
  assert.ok(replayed > 10_000, `replayed ${replayed} events`);
  assert.deepEqual(mismatches(states, shop.asOf.getTime()).slice(0, 5), []);
});

test('every customer whose data did not change is assigned the cluster the run gave them', async () => {
  const model = await loadKmeansModel(store, pino({ level: 'silent' }));
  assert.ok(model, 'the run has a usable model');
  assert.equal(model.runId, shop.runId);
  const members = await store.rows<{ customer_id: string; cluster: number }>(`SELECT customer_id, cluster FROM segment_memberships WHERE run_id = $run`, { run: shop.runId });
  const states = await loadStates(store, members.map((m) => m.customer_id), model.split);
  const raw = new Float64Array(model.columns.length);
  const scratch = new Float64Array(model.columns.length);
  const differ = members.filter((m) => assignCluster(model, readFeatures(model.readers, states.get(m.customer_id)!.state, model.split.asOf, raw), scratch) !== m.cluster);
  // Exact: the vector is the run's row (sums to the last bit or so), imputed, scaled and compared as the kernels do.
  assert.deepEqual(differ, [], `${differ.length} of ${members.length} customers differ`);
});
