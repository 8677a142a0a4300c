import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../core/errors.js';
import { Store, quoteLiteral } from '../db.js';
import { importOrders } from './index.js';

const ONLINE_RETAIL = '../shared/data/online-retail/online-retail-dataset.csv.gz';
const SMALL = 'fixtures/import/orders-small.csv';

async function withStore(work: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const store = await Store.open(':memory:');
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-orders-'));
  try {
    await work(store, dir);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tableCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['orders', 'order_lines', 'products', 'customers', 'imports']) {
    out[table] = Number(await store.scalar(`SELECT count(*) FROM ${table}`));
  }
  return out;
}

/** Asserts that `work` throws an InputError whose message matches `pattern`, and returns it. */
async function rejectsWith(work: Promise<unknown>, pattern: RegExp): Promise<InputError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected the import to fail');
}

// Expected figures: ../shared/data/README.md (UCI Online Retail, dataset #352, checked against the source CSV).
test('importOrders with the online-retail preset reproduces the published Online Retail figures', { skip: !existsSync(ONLINE_RETAIL) && 'shared data folder absent' }, async () => {
  await withStore(async (store) => {
    const started = performance.now();
    const report = await importOrders(store, { preset: 'online-retail' });
    const seconds = (performance.now() - started) / 1000;
    console.log(`# Online Retail import: ${seconds.toFixed(2)} s for ${report.rowsRead} rows`);
    assert.equal(report.rowsRead, 541_909);
    assert.equal(report.rowsWritten, 541_909);
    assert.deepEqual(report.skipped, { already_imported: 0 });
    assert.deepEqual(report.tables, { orders: 25_900, order_lines: 541_909, products: 4_070, customers: 4_372 });
    assert.equal(report.flags.missing_customer, 135_080);
    assert.equal(report.flags.cancellation_lines, 9_288);
    assert.equal(report.flags.non_positive_quantity, 10_624);

    const all = (await store.rows<{ n: number; invoices: number; customers: number; revenue: number }>(`
      SELECT count(*) AS n, count(DISTINCT order_id) AS invoices, count(DISTINCT customer_id) AS customers,
             fsum(quantity * unit_price) AS revenue FROM order_lines`))[0]!;
    assert.deepEqual({ ...all, revenue: Math.round(all.revenue * 100) / 100 }, { n: 541_909, invoices: 25_900, customers: 4_372, revenue: 9_747_747.93 });
    const clean = (await store.rows<{ n: number; invoices: number; customers: number; revenue: number }>(`
      SELECT count(*) AS n, count(DISTINCT order_id) AS invoices, count(DISTINCT customer_id) AS customers,
             fsum(quantity * unit_price) AS revenue FROM order_lines
      WHERE customer_id IS NOT NULL AND quantity > 0 AND unit_price > 0 AND order_id NOT LIKE 'C%'`))[0]!;
    assert.equal(clean.n, 397_884);
    assert.equal(clean.invoices, 18_532);
    assert.equal(clean.customers, 4_338);
    assert.ok(Math.abs(clean.revenue - 8_911_407.904) < 1e-6, `revenue ${clean.revenue}`);

    // orders agree with their lines; CustomerID 17850.0 is stored as 17850; C invoices are cancellations.
    const first = (await store.rows(`SELECT order_id, customer_id, kind, ordered_at, country FROM orders WHERE order_id = '536365'`))[0];
    assert.deepEqual(first, { order_id: '536365', customer_id: '17850', kind: 'purchase', ordered_at: new Date('2010-12-01T08:26:00Z'), country: 'United Kingdom' });
    assert.equal(await store.scalar(`SELECT count(*) FROM orders WHERE kind = 'cancellation'`), await store.scalar(`SELECT count(*) FROM orders WHERE order_id LIKE 'C%'`));
    const drift = Number(await store.scalar(`SELECT abs(fsum(revenue) - (SELECT fsum(quantity * unit_price) FROM order_lines)) FROM orders`));
    assert.ok(drift < 1e-6, `orders.revenue drifts from the lines by ${drift}`);
    assert.deepEqual(await store.rows(`SELECT line_no, product_id FROM order_lines WHERE order_id = '536365' ORDER BY line_no LIMIT 2`),
      [{ line_no: 1, product_id: '85123A' }, { line_no: 2, product_id: '71053' }]);

    // Re-importing the same file writes nothing and says why.
    const before = await tableCounts(store);
    const again = await importOrders(store, { preset: 'online-retail', file: ONLINE_RETAIL });
    assert.equal(again.rowsWritten, 0);
    assert.deepEqual(again.skipped, { already_imported: 541_909 });
    assert.equal(again.examples.already_imported?.[0], 'order 536365 (7 lines)');
    assert.deepEqual(await tableCounts(store), { ...before, imports: before.imports! + 1 });
  });
});

test('importOrders writes lines in file order, orders with revenue net of discounts, products and customers', async () => {
  await withStore(async (store) => {
    const calls: string[] = [];
    const progress = { phase: (label: string, total: number) => calls.push(`${label}/${total}`), update: (done: number) => calls.push(`${done}`), done: () => calls.push('done') };
    const report = await importOrders(store, { file: SMALL, importId: 'imp-1', progress });
    assert.deepEqual(calls, ['reading orders/3', '1', '2', '3', 'done']);
    assert.equal(report.rowsRead, 5);
    assert.deepEqual(report.tables, { orders: 3, order_lines: 5, products: 3, customers: 2 });
    assert.deepEqual(report.flags, { missing_customer: 1, non_positive_quantity: 1, non_positive_price: 0, cancellation_lines: 1 });
    assert.deepEqual(await store.rows(`SELECT order_id, customer_id, kind, revenue, discount, ordered_at FROM orders ORDER BY order_id`), [
      { order_id: 'o-1', customer_id: 'c-1', kind: 'purchase', revenue: 2 * 5.5 - 1 + 12, discount: 1, ordered_at: new Date('2024-03-01T10:00:00Z') },
      { order_id: 'o-2', customer_id: 'c-2', kind: 'purchase', revenue: 6 + 6, discount: 0, ordered_at: new Date('2024-03-02T09:30:00Z') },
      // +02:00 is converted to UTC; an order whose lines all have quantity < 0 is a cancellation.
      { order_id: 'o-3', customer_id: null, kind: 'cancellation', revenue: -2, discount: 0, ordered_at: new Date('2024-03-03T10:00:00Z') },
    ]);
    assert.deepEqual(await store.rows(`SELECT order_id, line_no, product_id FROM order_lines WHERE order_id = 'o-2' ORDER BY line_no`),
      [{ order_id: 'o-2', line_no: 1, product_id: 'p-1' }, { order_id: 'o-2', line_no: 2, product_id: 'p-3' }]);
    // Latest name and price win; a later empty category does not erase an earlier one.
    assert.deepEqual(await store.rows(`SELECT * FROM products ORDER BY product_id`), [
      { product_id: 'p-1', name: 'Mug v2', category: 'kitchen', price: 6 },
      { product_id: 'p-2', name: 'Plate', category: 'kitchen', price: 12 },
      { product_id: 'p-3', name: 'Spoon', category: 'cutlery', price: 2 },
    ]);
    const stored = (await store.rows<{ rows_read: number; rows_written: number; report: string }>(`SELECT rows_read, rows_written, report FROM imports WHERE import_id = 'imp-1'`))[0]!;
    assert.equal(stored.rows_written, 5);
    assert.equal(JSON.parse(stored.report).tables.orders, 3);
    assert.equal(await store.scalar(`SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'temp'`), 0, 'temp tables left behind');
  });
});

test('importOrders reads times without an offset as UTC whatever the session time zone, and restores the zone', async () => {
  await withStore(async (store) => {
    await store.run(`SET TimeZone = 'America/New_York'`);
    await importOrders(store, { file: SMALL });
    assert.deepEqual(await store.rows(`SELECT order_id, ordered_at FROM orders WHERE order_id IN ('o-2', 'o-3') ORDER BY 1`), [
      { order_id: 'o-2', ordered_at: new Date('2024-03-02T09:30:00Z') },
      { order_id: 'o-3', ordered_at: new Date('2024-03-03T10:00:00Z') },
    ]);
    assert.equal(await store.scalar(`SELECT current_setting('TimeZone')`), 'America/New_York');
  });
});

test('importOrders reads Parquet with a column mapping and skips orders already stored', async () => {
  await withStore(async (store, dir) => {
    const parquet = join(dir, 'orders.parquet');
    await store.run(`COPY (SELECT order_id AS oid, customer_id AS cust, ordered_at::TIMESTAMP AS at, product_id, quantity AS qty, unit_price
      FROM read_csv(${quoteLiteral(SMALL)}, header=true)) TO ${quoteLiteral(parquet)} (FORMAT parquet)`);
    await importOrders(store, { file: SMALL, importId: 'csv' });
    await store.run(`DELETE FROM order_lines WHERE order_id = 'o-3'; DELETE FROM orders WHERE order_id = 'o-3'`);
    const report = await importOrders(store, { file: parquet, map: { order_id: 'oid', customer_id: 'cust', ordered_at: 'at', quantity: 'qty' } });
    assert.equal(report.rowsWritten, 1);
    assert.deepEqual(report.skipped, { already_imported: 4 });
    assert.deepEqual(await store.rows(`SELECT order_id, quantity, unit_price, discount, ordered_at FROM order_lines WHERE order_id = 'o-3'`),
      [{ order_id: 'o-3', quantity: -1, unit_price: 2, discount: 0, ordered_at: new Date('2024-03-03T10:00:00Z') }]);
  });
});

test('importOrders names file, line, column and value for a wrong type, and writes nothing', async () => {
  await withStore(async (store, dir) => {
    await importOrders(store, { file: SMALL });
    const before = await tableCounts(store);
    const bad = join(dir, 'orders.csv');
    const lines = readFileSync(SMALL, 'utf8').trim().split('\n').map((l) => l.replace(/o-(\d)/g, 'n-$1'));
    lines[3] = lines[3]!.replace(',1,6,', ',abc,6,');
    writeFileSync(bad, lines.join('\n') + '\n');
    const error = await rejectsWith(importOrders(store, { file: bad }), /^orders\.csv:4: column quantity: cannot read "abc" as a number$/);
    assert.deepEqual(error.issues, [{ path: 'orders.csv:4', message: 'column quantity: cannot read "abc" as a number' }]);
    assert.deepEqual(await tableCounts(store), before);
  });
});

test('importOrders reports every bad line and an empty required value', async () => {
  await withStore(async (store, dir) => {
    const bad = join(dir, 'orders.csv');
    writeFileSync(bad, 'order_id,ordered_at,quantity,unit_price\na,2024-01-01,1,x\nb,2024-01-01,1,2\nc,2024-01-01,1.5.2,3\n');
    const error = await rejectsWith(importOrders(store, { file: bad }), /^orders\.csv:2: column unit_price: cannot read "x" as a number \(and 1 more problem\)$/);
    assert.deepEqual(error.issues, [
      { path: 'orders.csv:2', message: 'column unit_price: cannot read "x" as a number' },
      { path: 'orders.csv:4', message: 'column quantity: cannot read "1.5.2" as a number' },
    ]);
    writeFileSync(bad, 'order_id,ordered_at,quantity,unit_price\na,2024-01-01,1,2\nb,2024-13-01,1,2\n');
    await rejectsWith(importOrders(store, { file: bad }), /^orders\.csv:3: column ordered_at: cannot read "2024-13-01" as a time$/);
    writeFileSync(bad, 'order_id,ordered_at,quantity,unit_price\na,2024-01-01,1,2\n,2024-01-01,1,2\n');
    await rejectsWith(importOrders(store, { file: bad }), /^orders\.csv:3: column order_id: is required but empty$/);
    assert.equal(Number(await store.scalar('SELECT count(*) FROM order_lines')), 0);
  });
});

test('importOrders rejects a missing required column, naming the columns found', async () => {
  await withStore(async (store, dir) => {
    const bad = join(dir, 'orders.csv');
    writeFileSync(bad, 'order_id,ordered_at,qty,unit_price\na,2024-01-01,1,2\n');
    await rejectsWith(importOrders(store, { file: bad }),
      /^orders\.csv: missing required column quantity \(map it with quantity=<column>; columns found: "order_id", "ordered_at", "qty", "unit_price"\)$/);
  });
});

test('importOrders rejects a mapping to a column that does not exist, and an unknown field', async () => {
  await withStore(async (store) => {
    await rejectsWith(importOrders(store, { file: SMALL, map: { customer_id: 'CustomerID' } }),
      /^orders-small\.csv: column "CustomerID" mapped to customer_id does not exist \(columns found: "order_id", "customer_id", /);
    await rejectsWith(importOrders(store, { file: SMALL, map: { client: 'customer_id' } as never }), /^unknown order field "client" in the column mapping \(fields: order_id, /);
  });
});

test('importOrders rejects an unknown preset, listing the known ones', async () => {
  await withStore(async (store) => {
    await rejectsWith(importOrders(store, { preset: 'shopify' }), /^unknown orders preset "shopify" \(known presets: online-retail\)$/);
  });
});

test('importOrders rejects a truncated gzip file in one line and writes nothing', async () => {
  await withStore(async (store, dir) => {
    const text = readFileSync(SMALL, 'utf8');
    const big = text + Array.from({ length: 4000 }, (_, i) => `t-${i},c-${i % 50},2024-03-01,p-${i % 30},x${i},,1,${i % 97}.5,0,DE`).join('\n');
    const zipped = gzipSync(big);
    const truncated = join(dir, 'orders.csv.gz');
    writeFileSync(truncated, zipped.subarray(0, Math.floor(zipped.length * 0.6)));
    await rejectsWith(importOrders(store, { file: truncated }), /^orders\.csv\.gz: gzip data is truncated or corrupt \(unexpected end of file\)$/);
    assert.deepEqual(await tableCounts(store), { orders: 0, order_lines: 0, products: 0, customers: 0, imports: 0 });
  });
});

test('importOrders rejects a missing file and an unknown extension', async () => {
  await withStore(async (store, dir) => {
    await rejectsWith(importOrders(store, { file: join(dir, 'nope.csv') }), /^orders file not found: .*nope\.csv$/);
    const xlsx = join(dir, 'orders.xlsx');
    writeFileSync(xlsx, 'x');
    await rejectsWith(importOrders(store, { file: xlsx }), /^cannot tell the format of .*orders\.xlsx from its name \(expected \.csv, \.parquet, optionally \.gz\)$/);
  });
});
