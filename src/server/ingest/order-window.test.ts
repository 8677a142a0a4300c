/**
 * When the order step runs (in-process: the group-commit writer on a real DuckDB file, no HTTP): a commit with an
 * order runs it in its own transaction; browsing alone waits for the order window, then its products are upserted;
 * a writer that stops before that (a crash) leaves a marker the next writer finishes from.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Store } from '../../store/db.js';
import { commitStamp, orderStepNeed, PENDING_MARKER, pendingMarkSql, runBrowsingStep } from './commit-orders.js';
import { normaliseMessage, type EventRow } from './normalize.js';
import { GroupCommitWriter } from './writer.js';

let dir: string;
let store: Store;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-order-window-'));
  store = await Store.open(join(dir, 'w.duckdb'));
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function rows(messages: Record<string, unknown>[]): EventRow[] {
  return messages.map((m) => {
    const result = normaliseMessage({ type: 'track', userId: 'u', messageId: `w-${n++}`, ...m }, { receivedAt: new Date(), importId: 'api' }, 'test');
    assert.ok(result.ok, JSON.stringify(result));
    return result.row;
  });
}
const viewed = (sku: string, name: string) => ({ event: 'Product Viewed', properties: { product_id: sku, name, price: 3 } });
const products = () => store.rows<{ product_id: string; name: string }>(`SELECT product_id, name FROM products ORDER BY product_id`);
const marker = () => store.scalar<string>(`SELECT value FROM server_settings WHERE name = $n`, { n: PENDING_MARKER });

test('orderStepNeed: an order needs the step now, a product event later, anything else never', () => {
  assert.equal(orderStepNeed(rows([{ event: 'Page Scrolled' }, { type: 'page', name: 'Home' }])), 'none');
  assert.equal(orderStepNeed(rows([{ event: 'Page Scrolled' }, viewed('s', 'S')])), 'products');
  assert.equal(orderStepNeed(rows([viewed('s', 'S'), { event: 'Order Completed', properties: { order_id: 'x', revenue: 1 } }])), 'orders');
  assert.equal(orderStepNeed(rows([{ type: 'page', name: 'Home', properties: { product_id: 's' } }])), 'none', 'the importer upserts products of track events only');
});

test('commitStamp rises with time within its first 8 bytes (DuckDB\'s string zone maps)', () => {
  const a = commitStamp(Date.parse('2026-11-23T14:00:00.000Z'), 1);
  const b = commitStamp(Date.parse('2026-11-23T14:00:00.050Z'), 2);
  assert.match(a, /^[0-9a-z]{8}-[0-9a-z]{6}-$/);
  assert.ok(a.slice(0, 8) < b.slice(0, 8), `${a} < ${b}`);
});

test('browsing alone upserts its products when its window is up; an order in the window covers it at once', async () => {
  const writer = new GroupCommitWriter(store, { maxQueueEvents: 1000, maxGroupEvents: 100, orderWindowMs: 300 });
  try {
    await writer.submit({ rows: rows([viewed('sku-a', 'Apple')]), links: [] });
    assert.deepEqual(await products(), [], 'pending: not upserted by the commit');
    assert.deepEqual(JSON.parse((await marker())!).length, 1, 'the commit left its marker');
    await new Promise((r) => setTimeout(r, 600));
    assert.deepEqual(await products(), [{ product_id: 'sku-a', name: 'Apple' }]);
    assert.equal(await marker(), undefined, 'the step removed the marker');

    await writer.submit({ rows: rows([viewed('sku-b', 'Banana')]), links: [] });
    await writer.submit({ rows: rows([{ event: 'Order Completed', properties: { order_id: 'W-1', products: [{ product_id: 'sku-c', name: 'Cherry', price: 2 }] } }]), links: [] });
    assert.deepEqual(await products(), [{ product_id: 'sku-a', name: 'Apple' }, { product_id: 'sku-b', name: 'Banana' }, { product_id: 'sku-c', name: 'Cherry' }]);
    assert.equal(await store.scalar(`SELECT count(*) FROM orders WHERE order_id = 'W-1'`), 1);
    assert.equal(await marker(), undefined);
    assert.deepEqual([writer.stats.orderSteps, writer.stats.ordersWritten, writer.stats.orderLinesWritten], [2, 1, 1]);
  } finally {
    await writer.close();
  }
});

test('a writer stopped before its browsing was stepped (a crash) leaves a marker; the next writer finishes it first', async () => {
  // A window longer than the test: only a new writer can run the step.
  const crashed = new GroupCommitWriter(store, { maxQueueEvents: 1000, maxGroupEvents: 100, orderWindowMs: 3_600_000 });
  await crashed.submit({ rows: rows([viewed('sku-d', 'Date')]), links: [] });
  assert.ok(JSON.parse((await marker())!).length === 1);
  assert.equal((await products()).some((p) => p.product_id === 'sku-d'), false);
  // Abandoned without close(), as a killed process would be.

  const next = new GroupCommitWriter(store, { maxQueueEvents: 1000, maxGroupEvents: 100 });
  try {
    await next.submit({ rows: rows([{ event: 'Page Scrolled' }]), links: [] });
    assert.equal((await products()).find((p) => p.product_id === 'sku-d')?.name, 'Date');
    assert.equal(await marker(), undefined);
  } finally {
    await next.close();
  }
});

test('close() runs the step of browsing still pending', async () => {
  const writer = new GroupCommitWriter(store, { maxQueueEvents: 1000, maxGroupEvents: 100, orderWindowMs: 3_600_000 });
  await writer.submit({ rows: rows([viewed('sku-e', 'Elderberry')]), links: [] });
  assert.equal((await products()).some((p) => p.product_id === 'sku-e'), false);
  await writer.close();
  assert.equal((await products()).find((p) => p.product_id === 'sku-e')?.name, 'Elderberry');
  assert.equal(await marker(), undefined);
});

test('one job that cannot be written fails alone; the others of its group are committed', async () => {
  const writer = new GroupCommitWriter(store, { maxQueueEvents: 1000, maxGroupEvents: 100 });
  try {
    const good = writer.submit({ rows: rows([{ event: 'Good' }]), links: [] });
    const bad = writer.submit({ rows: [], links: [], after: async (s) => { await s.run(`INSERT INTO no_such_table VALUES (1)`); } });
    const alsoGood = writer.submit({ rows: rows([{ event: 'Also Good' }]), links: [] });
    await assert.rejects(bad, /no_such_table/);
    await good;
    await alsoGood;
    assert.equal(await store.scalar(`SELECT count(*) FROM events WHERE event IN ('Good', 'Also Good')`), 2);
  } finally {
    await writer.close();
  }
});

test('the browsing step in one script: products upserted, marker cleared; an import holding an order after all gets the full step', async () => {
  const insert = (messageId: string, importId: string, event: string, properties: object) => store.run(`INSERT INTO events (message_id, type, event, user_id, ts, product_id, product_name, price, order_id, properties, import_id)
    VALUES ($m, 'track', $e, 'u-script', TIMESTAMP '2026-11-23 10:00:00', $p, $n, 3, $o, $props::JSON, $i)`,
  { m: messageId, e: event, p: (properties as { product_id?: string }).product_id ?? null, n: (properties as { name?: string }).name ?? null, o: (properties as { order_id?: string }).order_id ?? null, props: JSON.stringify(properties), i: importId });
  await insert('bs-1', 'imp-browse', 'Product Viewed', { product_id: 'sku-f', name: 'Fig', price: 3 });
  await store.run(pendingMarkSql(['imp-browse']));
  assert.deepEqual(await runBrowsingStep(store, ['imp-browse']), { orders: 0, lines: 0 });
  assert.equal((await products()).find((p) => p.product_id === 'sku-f')?.name, 'Fig');
  assert.equal(await marker(), undefined);

  // The invariant broken on purpose: the script fails on the order and the full step writes it.
  await insert('bs-2', 'imp-mixed', 'Product Viewed', { product_id: 'sku-g', name: 'Grape', price: 3 });
  await insert('bs-3', 'imp-mixed', 'Order Completed', { order_id: 'S-1', revenue: 4, products: [{ product_id: 'sku-h', name: 'Honeydew', price: 4 }] });
  await store.run(pendingMarkSql(['imp-mixed']));
  assert.deepEqual(await runBrowsingStep(store, ['imp-mixed']), { orders: 1, lines: 1 });
  assert.equal(await store.scalar(`SELECT count(*) FROM orders WHERE order_id = 'S-1'`), 1);
  const names = new Map((await products()).map((p) => [p.product_id, p.name]));
  assert.deepEqual([names.get('sku-g'), names.get('sku-h')], ['Grape', 'Honeydew']);
  assert.equal(await marker(), undefined);
  assert.equal(store.inTransaction, false);
});
