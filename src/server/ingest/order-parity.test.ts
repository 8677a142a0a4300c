/**
 * API orders are real orders: `Order Completed` events sent to the collection API write the same `orders`,
 * `order_lines` and `products` rows as the file importer writes for the same messages (import ids aside), in the
 * commit of their events; a segmentation run started through the API counts them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Store } from '../../store/db.js';
import { importEvents } from '../../store/import/index.js';
import { inspect, startTestServer, TEST_ADMIN } from '../testing.js';

type Message = Record<string, unknown>;
const at = (minute: number): string => new Date(Date.UTC(2026, 0, 2, 10, minute)).toISOString();
const order = (messageId: string, minute: number, who: Message, properties: Message, context: Message = {}): Message =>
  ({ type: 'track', event: 'Order Completed', messageId, timestamp: at(minute), ...who, properties, context });

/** Sent as three requests, in this order (so arrival and event time agree); imported as one file. */
const REQUESTS: Message[][] = [
  [
    { type: 'track', event: 'Product Viewed', userId: 'u-1', messageId: 'v-1', timestamp: at(0), properties: { product_id: 'sku-1', name: 'Kettle', category: 'kitchen', price: 19.5 } },
    // Two lines; the order's discount goes on line 1 (no line has its own).
    order('o-1', 1, { userId: 'u-1' }, { order_id: 'A-1', discount: 3, products: [{ product_id: 'sku-1', name: 'Kettle', price: 19.5, quantity: 2 }, { product_id: 'sku-2', name: 'Mug', category: 'kitchen', price: '4.25' }] }, { location: { country: 'DE' } }),
    // Line discounts win; quantity as text.
    order('o-2', 2, { userId: 'u-2' }, { order_id: 'A-2', discount: 9, products: [{ product_id: 'sku-3', price: 10, quantity: '3', discount: 1 }, { product_id: 'sku-2', price: 4 }] }),
    // No products: the order takes its revenue (else total) and discount, and has no lines.
    order('o-3', 3, { userId: 'u-2' }, { order_id: 'A-3', total: 55, discount: 5 }),
  ],
  [
    // A visitor orders and identifies in the same request: the order is the customer's.
    order('o-4', 4, { anonymousId: 'anon-9' }, { order_id: 'A-4', revenue: 20, products: [{ product_id: 'sku-4', category: 'garden', price: 20 }] }),
    { type: 'identify', anonymousId: 'anon-9', userId: 'u-9', messageId: 'i-9', timestamp: at(5), traits: { plan: 'pro' } },
    // A newer price and name for sku-1.
    { type: 'track', event: 'Product Added', userId: 'u-9', messageId: 'v-2', timestamp: at(6), properties: { product_id: 'sku-1', name: 'Kettle 2', price: 21 } },
  ],
  [
    // The same order again under a new messageId: already stored, not written twice.
    order('o-1-again', 7, { userId: 'u-1' }, { order_id: 'A-1', revenue: 999 }),
    // A visitor who never identifies: the order is the anonymous id's.
    order('o-5', 8, { anonymousId: 'anon-7' }, { order_id: 'A-5', products: [{ product_id: 'sku-5', price: 7, quantity: 1, discount: 0 }] }),
  ],
];

const ORDERS = `SELECT * EXCLUDE (import_id) FROM orders ORDER BY order_id`;
const LINES = `SELECT * EXCLUDE (import_id) FROM order_lines ORDER BY order_id, line_no`;
const PRODUCTS = `SELECT * FROM products ORDER BY product_id`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-order-parity-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('orders sent to the collection API are stored as the file importer stores the same events', async () => {
  const server = await startTestServer({}, dir);
  for (const batch of REQUESTS) assert.equal((await server.post('/v1/batch', { batch })).body.accepted, batch.length);
  // A retry of the first request: every message is a duplicate, nothing is written again.
  assert.equal((await server.post('/v1/batch', { batch: REQUESTS[0] })).body.duplicate, REQUESTS[0]!.length);
  await server.close();
  const served = await inspect(server.db, async (store) => ({
    orders: await store.rows(ORDERS), lines: await store.rows(LINES), products: await store.rows(PRODUCTS),
    // Each order carries the import id of the commit that stored its event.
    importIds: await store.rows(`SELECT o.order_id, o.import_id = e.import_id AS same, o.import_id LIKE '%-api' AS api FROM orders o
      JOIN events e ON e.order_id = o.order_id AND e.message_id IN ('o-1', 'o-4', 'o-5') ORDER BY o.order_id`),
  }));

  const file = join(dir, 'messages.jsonl');
  writeFileSync(file, REQUESTS.flat().map((m) => JSON.stringify(m)).join('\n'));
  const store = await Store.open(':memory:');
  try {
    await importEvents(store, { file });
    assert.deepEqual(served.orders, await store.rows(ORDERS));
    assert.deepEqual(served.lines, await store.rows(LINES));
    assert.deepEqual(served.products, await store.rows(PRODUCTS));
  } finally {
    store.close();
  }
  // What both wrote (so the comparison above compared something).
  assert.deepEqual(served.orders.map((o) => [o.order_id, o.customer_id, o.revenue, o.discount, o.country, o.source]), [
    ['A-1', 'u-1', 19.5 * 2 + 4.25 - 3, 3, 'DE', 'events'],
    ['A-2', 'u-2', 30 - 1 + 4, 1, null, 'events'],
    ['A-3', 'u-2', 55, 5, null, 'events'],
    ['A-4', 'u-9', 20, 0, null, 'events'],
    ['A-5', 'anon-7', 7, 0, null, 'events'],
  ]);
  assert.equal(served.lines.length, 6);
  assert.deepEqual(served.products.find((p) => p.product_id === 'sku-1'), { product_id: 'sku-1', name: 'Kettle 2', category: 'kitchen', price: 21 });
  assert.deepEqual(served.importIds, [{ order_id: 'A-1', same: true, api: true }, { order_id: 'A-4', same: true, api: true }, { order_id: 'A-5', same: true, api: true }]);
});

test('an order whose product price DuckDB cannot read is refused at the door, and its batch neighbours are stored', async () => {
  const server = await startTestServer();
  try {
    const answer = await server.post('/v1/batch', { batch: [
      order('h-1', 1, { userId: 'h' }, { order_id: 'H-1', products: [{ product_id: 'x', price: '0x10' }] }),
      order('h-2', 2, { userId: 'h' }, { order_id: 'H-2', revenue: 12 }),
    ] });
    assert.equal(answer.status, 200);
    const results = answer.body.results as { status: string; issues?: { message: string }[] }[];
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'accepted']);
    assert.equal(results[0]!.issues![0]!.message, 'properties.products[0].price: cannot read "0x10" as a number');
    await server.close();
    assert.deepEqual(await inspect(server.db, (store) => store.rows(`SELECT order_id FROM orders`)), [{ order_id: 'H-2' }]);
  } finally {
    await server.stop();
  }
});

test('a segmentation run started through the API counts the orders sent to the API', async () => {
  const server = await startTestServer();
  try {
    // 40 customers, customer i with (i mod 4) + 1 orders of 10·(i + 1) each, a page view before each order.
    const batch: Message[] = [];
    for (let i = 0; i < 40; i++) {
      for (let n = 0; n <= i % 4; n++) {
        batch.push({ type: 'page', userId: `c-${i}`, messageId: `p-${i}-${n}`, timestamp: at(n * 10), name: 'Home' });
        batch.push(order(`c-${i}-${n}`, n * 10 + 1, { userId: `c-${i}` }, { order_id: `R${i}-${n}`, revenue: 10 * (i + 1) }));
      }
    }
    assert.equal((await server.post('/v1/batch', { batch })).body.accepted, batch.length);
    const run = await fetch(`${server.url}/v1/runs?k=2&seed=1`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_ADMIN}` } });
    assert.equal(run.status, 201, await run.clone().text());
    await run.arrayBuffer();
    await server.close();
    const features = await inspect(server.db, (store) => store.rows<{ customer_id: string; frequency: number; monetary: number }>(
      `SELECT customer_id, frequency, monetary FROM customer_features WHERE customer_id IN ('c-0', 'c-3', 'c-5') ORDER BY customer_id`));
    assert.deepEqual(features.map((f) => [f.customer_id, Number(f.frequency), Number(f.monetary)]), [['c-0', 1, 10], ['c-3', 4, 160], ['c-5', 2, 120]]);
    const members = await inspect(server.db, (store) => store.scalar<number>(`SELECT count(*) FROM segment_memberships`));
    assert.equal(Number(members), 40);
  } finally {
    await server.stop();
  }
});
