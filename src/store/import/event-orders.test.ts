import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../db.js';
import { writeEventOrders } from './event-orders.js';

/** A track event as stored in `events`; unset columns are NULL. */
interface EventRow {
  readonly message_id: string;
  readonly event: string;
  readonly ts: string;
  readonly user_id?: string;
  readonly anonymous_id?: string;
  readonly order_id?: string;
  readonly revenue?: number;
  readonly discount?: number;
  readonly product_id?: string;
  readonly product_name?: string;
  readonly category?: string;
  readonly price?: number;
  readonly properties?: unknown;
}

const COLUMNS = {
  message_id: 'VARCHAR', event: 'VARCHAR', ts: 'TIMESTAMP', user_id: 'VARCHAR', anonymous_id: 'VARCHAR', order_id: 'VARCHAR',
  revenue: 'DOUBLE', discount: 'DOUBLE', product_id: 'VARCHAR', product_name: 'VARCHAR', category: 'VARCHAR', price: 'DOUBLE', properties: 'JSON',
};

async function withStore(work: (store: Store) => Promise<void>): Promise<void> {
  const store = await Store.open(':memory:');
  try {
    await work(store);
  } finally {
    store.close();
  }
}

/** Writes `rows` to `events` under `importId` and runs the order step over them in one transaction, as both callers do. */
async function step(store: Store, importId: string, rows: readonly EventRow[]): Promise<Awaited<ReturnType<typeof writeEventOrders>>> {
  return store.transaction(async () => {
    const names = Object.keys(COLUMNS);
    if (rows.length > 0) {
      await store.run(`INSERT INTO events (type, import_id, received_at, ${names.join(', ')})
        SELECT 'track', $id, r.ts, ${names.map((n) => `r.${n}`).join(', ')} FROM (SELECT unnest(from_json($rows::JSON, $shape)) AS r)`,
      { id: importId, rows: JSON.stringify(rows), shape: JSON.stringify([COLUMNS]) });
    }
    return writeEventOrders(store, importId);
  });
}

const order = (message_id: string, ts: string, order_id: string, properties: unknown, extra: Partial<EventRow> = {}): EventRow =>
  ({ message_id, event: 'Order Completed', ts, user_id: 'u-1', order_id, properties, ...extra });

async function tempTables(store: Store): Promise<unknown[]> {
  return store.rows(`SELECT table_name FROM information_schema.tables WHERE table_catalog = 'temp'`);
}

test('writeEventOrders keeps the earliest event of an order id repeated in one import, ties broken by messageId, and counts the others', async () => {
  const events = [
    order('m-c', '2024-05-01 09:00:00', 'o-1', { products: [{ product_id: 'p-3', price: 3 }] }, { user_id: 'u-3' }),
    order('m-b', '2024-05-01 08:00:00', 'o-1', { products: [{ product_id: 'p-2', price: 2 }] }, { user_id: 'u-2' }),
    order('m-a', '2024-05-01 08:00:00', 'o-1', { products: [{ product_id: 'p-1', price: 1 }] }, { user_id: 'u-1' }),
  ];
  for (const rows of [events, [...events].reverse()]) {
    await withStore(async (store) => {
      assert.deepEqual(await step(store, 'imp-1', rows), { orders: 1, lines: 1, products: 1, alreadyStored: 2 });
      assert.deepEqual(await store.rows(`SELECT order_id, customer_id, revenue FROM orders`), [{ order_id: 'o-1', customer_id: 'u-1', revenue: 1 }]);
      assert.deepEqual(await store.rows(`SELECT order_id, line_no, product_id FROM order_lines`), [{ order_id: 'o-1', line_no: 1, product_id: 'p-1' }]);
      // Products come from the lines written: those of the events not kept are not upserted.
      assert.deepEqual(await store.rows(`SELECT product_id FROM products`), [{ product_id: 'p-1' }]);
      assert.deepEqual(await tempTables(store), []);
    });
  }
});

test('writeEventOrders skips and counts an order id already stored, and writing the same import again writes nothing', async () => {
  await withStore(async (store) => {
    await store.run(`INSERT INTO orders VALUES ('o-1', 'u-9', TIMESTAMP '2024-01-01', 'purchase', 5, 0, NULL, 'orders', 'orders-1')`);
    const rows = [
      order('m-1', '2024-05-01 08:00:00', 'o-1', { products: [{ product_id: 'p-1', price: 4 }] }),
      order('m-2', '2024-05-01 08:00:00', 'o-2', { products: [{ product_id: 'p-2', price: 6, quantity: 2 }] }),
    ];
    assert.deepEqual(await step(store, 'imp-1', rows), { orders: 1, lines: 1, products: 1, alreadyStored: 1 });
    assert.deepEqual(await store.rows(`SELECT order_id, revenue, source FROM orders ORDER BY order_id`), [
      { order_id: 'o-1', revenue: 5, source: 'orders' },
      { order_id: 'o-2', revenue: 12, source: 'events' },
    ]);
    assert.deepEqual(await store.rows(`SELECT order_id, product_id FROM order_lines`), [{ order_id: 'o-2', product_id: 'p-2' }]);
    assert.deepEqual(await step(store, 'imp-1', []), { orders: 0, lines: 0, products: 0, alreadyStored: 2 });
    assert.equal(Number(await store.scalar(`SELECT count(*) FROM order_lines`)), 1);
    assert.deepEqual(await tempTables(store), []);
  });
});

test('writeEventOrders puts line discounts on their lines, else the order discount on line 1; an order without products takes its revenue', async () => {
  // [order id, properties, order discount, stated revenue] → [order revenue, order discount, line discounts]
  const cases: [string, unknown, number | undefined, number | undefined, number | null, number | null, number[]][] = [
    ['o-line', { products: [{ product_id: 'p-1', price: 10, quantity: 2, discount: 3 }, { product_id: 'p-2', price: 5 }] }, 9, 99, 22, 3, [3, 0]],
    ['o-order', { products: [{ product_id: 'p-1', price: 10, quantity: 2 }, { product_id: 'p-2', price: 5 }] }, 4, 99, 21, 4, [4, 0]],
    ['o-none', {}, 2, 30, 30, 2, []],
    ['o-empty', { products: [] }, undefined, undefined, null, 0, []],
  ];
  await withStore(async (store) => {
    const rows = cases.map(([id, properties, discount, revenue], i) =>
      order(`m-${i}`, '2024-05-01 08:00:00', id, properties, { ...(discount === undefined ? {} : { discount }), ...(revenue === undefined ? {} : { revenue }) }));
    const written = await step(store, 'imp-1', rows);
    assert.deepEqual(written, { orders: 4, lines: 4, products: 2, alreadyStored: 0 });
    for (const [id, , , , revenue, discount, lines] of cases) {
      assert.deepEqual(await store.rows(`SELECT revenue, discount FROM orders WHERE order_id = $1`, [id]), [{ revenue, discount }], id);
      const stored = await store.rows<{ discount: number }>(`SELECT discount FROM order_lines WHERE order_id = $1 ORDER BY line_no`, [id]);
      assert.deepEqual(stored.map((l) => l.discount), lines, id);
    }
  });
});

test('writeEventOrders takes the customer from the userId, else the resolved anonymousId, else the anonymousId itself', async () => {
  await withStore(async (store) => {
    await store.run(`INSERT INTO identities VALUES ('anon-1', 'u-7')`);
    const rows = [
      order('m-1', '2024-05-01 08:00:00', 'o-1', {}, { user_id: 'u-1', anonymous_id: 'anon-1' }),
      { ...order('m-2', '2024-05-01 08:00:00', 'o-2', {}), user_id: undefined, anonymous_id: 'anon-1' },
      { ...order('m-3', '2024-05-01 08:00:00', 'o-3', {}), user_id: undefined, anonymous_id: 'anon-2' },
    ];
    await step(store, 'imp-1', rows);
    assert.deepEqual(await store.rows(`SELECT order_id, customer_id FROM orders ORDER BY order_id`), [
      { order_id: 'o-1', customer_id: 'u-1' }, { order_id: 'o-2', customer_id: 'u-7' }, { order_id: 'o-3', customer_id: 'anon-2' },
    ]);
    assert.deepEqual(await store.rows(`SELECT customer_id FROM customers ORDER BY customer_id`), [
      { customer_id: 'anon-2' }, { customer_id: 'u-1' }, { customer_id: 'u-7' },
    ]);
  });
});

test('an import without Order Completed upserts its products: the latest name, ties in time broken by the messageId hash whatever the row order', async () => {
  const viewed = (message_id: string, ts: string, product_name: string, price: number): EventRow =>
    ({ message_id, event: 'Product Viewed', ts, user_id: 'u-1', product_id: 'p-1', product_name, price });
  const rows = [
    viewed('m-old', '2024-05-01 07:00:00', 'Old', 1),
    viewed('m-x', '2024-05-01 08:00:00', 'Mug X', 2),
    viewed('m-y', '2024-05-01 08:00:00', 'Mug Y', 3),
  ];
  for (const ordered of [rows, [...rows].reverse()]) {
    await withStore(async (store) => {
      const xWins = await store.scalar<boolean>(`SELECT hash('m-x') > hash('m-y')`);
      const expected = xWins ? { name: 'Mug X', price: 2 } : { name: 'Mug Y', price: 3 };
      assert.deepEqual(await step(store, 'imp-1', ordered), { orders: 0, lines: 0, products: 1, alreadyStored: 0 });
      assert.deepEqual(await store.rows(`SELECT name, price FROM products`), [expected]);
      assert.equal(Number(await store.scalar(`SELECT count(*) FROM orders`)), 0);
      assert.deepEqual(await tempTables(store), []);
    });
  }
});
