/**
 * Bounded live caches: the same commits go to two copies of a segmented 1,000-customer shop, one served by live
 * updaters holding every customer, one by updaters holding two (K-means) or one (RFM). The bounded ones drop states
 * and reload them from the store, and end with the same features, clusters and RFM segment changes as the unbounded
 * ones: after eviction, after an identity merge, and after forgetting everything because too many ids were dropped.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { Store } from '../../store/db.js';
import { linkOf } from '../ingest/identities.js';
import { normaliseMessage, type EventRow } from '../ingest/normalize.js';
import { GroupCommitWriter } from '../ingest/writer.js';
import { LiveKmeans } from './live-kmeans.js';
import { LiveRfm } from './live-rfm.js';
import { LruMap } from './lru.js';
import type { SegmentChange } from './segment-changes.js';
import { buildShopDb } from './shop-fixture.js';

test('LruMap.trim drops the least recently used; get marks a key used, peek does not', () => {
  const lru = new LruMap<string, number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  lru.set('c', 3);
  assert.equal(lru.get('a'), 1);
  assert.equal(lru.peek('b'), 2);
  assert.deepEqual(lru.trim(), ['b']);
  assert.deepEqual([lru.size, lru.has('a'), lru.has('c')], [2, true, true]);
  lru.set('d', 4);
  assert.deepEqual(lru.trim(), ['c'], 'a was used after c');
  assert.throws(() => new LruMap(0), { message: 'LruMap limit must be a whole number ≥ 1 (got 0)' });
});

const log = pino({ level: 'silent' });

interface Side {
  readonly store: Store;
  readonly writer: GroupCommitWriter;
  readonly kmeans: LiveKmeans;
  readonly rfm: LiveRfm;
  readonly changes: SegmentChange[];
}

let dir: string;
let full: Side;
let bounded: Side;
let customers: string[];
const now = Date.now();

async function side(db: string, kmeansCap: number | undefined, rfmCap: number | undefined): Promise<Side> {
  const store = await Store.open(db);
  const changes: SegmentChange[] = [];
  const listeners: ((rows: readonly EventRow[]) => void)[] = [];
  const writer = new GroupCommitWriter(store, { maxQueueEvents: 100_000, maxGroupEvents: 500, onCommit: (rows) => { for (const l of listeners) l(rows); } });
  const kmeans = new LiveKmeans(store, writer, log, { clock: () => now, ...(kmeansCap ? { maxCustomers: kmeansCap } : {}) });
  const rfm = new LiveRfm(store, writer, log, rfmCap ? { maxCustomers: rfmCap } : {});
  listeners.push((rows) => kmeans.committed(rows), (rows) => rfm.committed(rows));
  await kmeans.reload();
  await rfm.reload();
  rfm.subscribe((c) => changes.push(c));
  return { store, writer, kmeans, rfm, changes };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-live-cache-'));
  const shop = await buildShopDb(join(dir, 'full.duckdb'), { customers: 1000, seed: 9 });
  copyFileSync(shop.db, join(dir, 'bounded.duckdb'));
  if (existsSync(`${shop.db}.wal`)) copyFileSync(`${shop.db}.wal`, join(dir, 'bounded.duckdb.wal'));
  full = await side(shop.db, undefined, undefined);
  bounded = await side(join(dir, 'bounded.duckdb'), 2, 1);
  customers = (await full.store.rows<{ customer_id: string }>(`SELECT customer_id FROM segment_memberships WHERE run_id = $run ORDER BY customer_id`, { run: shop.runId })).map((r) => r.customer_id);
});
after(async () => {
  for (const s of [full, bounded]) {
    await s.writer.close();
    await Promise.all([s.kmeans.idle(), s.rfm.idle()]);
    await s.writer.close();
    s.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** Commits the same rows on both sides (one group each) and waits for both sides' live updaters. */
async function commit(messages: Record<string, unknown>[]): Promise<void> {
  const rows: EventRow[] = messages.map((m) => {
    const result = normaliseMessage({ messageId: `lc-${n++}`, ...m }, { receivedAt: new Date(), importId: 'api' }, 'test');
    assert.ok(result.ok, JSON.stringify(result));
    return result.row;
  });
  for (const s of [full, bounded]) {
    await s.writer.submit({ rows, links: rows.map(linkOf).filter((l) => l !== undefined) });
    await Promise.all([s.kmeans.idle(), s.rfm.idle()]);
  }
  assert.ok(bounded.kmeans.cache.held <= 2, `the bounded side holds at most 2 states after a pass (holds ${bounded.kmeans.cache.held})`);
  assert.ok(bounded.rfm.held <= 1);
}

/** Touches `id` alone on both sides (the bounded side reloads it if it was dropped) and compares what they hold. */
async function assertSame(id: string): Promise<void> {
  await commit([{ type: 'identify', userId: id }]);
  const want = full.kmeans.features(id);
  const got = bounded.kmeans.features(id);
  assert.ok(want && got, `${id} is held on both sides`);
  for (const [name, value] of Object.entries(want)) {
    // Money sums to 1e-9 relative (added in another order after a reload); everything else exactly.
    if ((name === 'monetary' || name === 'avg_order_value') && !Number.isNaN(value)) assert.ok(Math.abs(got[name]! - value) <= 1e-9 * Math.max(1, Math.abs(value)), `${id} ${name}: bounded ${got[name]}, full ${value}`);
    else assert.deepEqual(got[name], value, `${id} ${name}`);
  }
  assert.equal(bounded.kmeans.cluster(id), full.kmeans.cluster(id), `${id} cluster`);
}

test('K-means states dropped for room are reloaded with everything they had counted live', async () => {
  const [a, b, c, d] = [customers[10]!, customers[200]!, customers[400]!, customers[600]!];
  await commit([{ type: 'page', userId: a, properties: { dwell_seconds: 40 }, context: { sessionId: 'lc-s1' } }, { type: 'track', event: 'Product Added', userId: a, properties: { product_id: 'P00002' }, context: { sessionId: 'lc-s1' } }]);
  await commit([{ type: 'track', event: 'Order Completed', userId: b, properties: { order_id: 'LC-1', discount: 2, products: [{ product_id: 'P00003', price: 30, quantity: 2 }] } }]);
  await commit([{ type: 'track', event: 'Email Delivered', userId: c }, { type: 'track', event: 'Email Opened', userId: c }, { type: 'page', userId: d }]);
  // a was dropped two passes ago; its cart session completes now.
  await commit([{ type: 'track', event: 'Order Completed', userId: a, properties: { order_id: 'LC-2', revenue: 75 }, context: { sessionId: 'lc-s1' } }]);
  assert.ok(bounded.kmeans.cache.evicted >= 3, `states were dropped (${bounded.kmeans.cache.evicted})`);
  for (const id of [a, b, c, d]) await assertSame(id);
  assert.ok(bounded.kmeans.stats.loads > full.kmeans.stats.loads, `the bounded side reloaded (${bounded.kmeans.stats.loads} loads against ${full.kmeans.stats.loads})`);
});

test('a customer merged with a visitor and then dropped is reloaded with the visitor\'s events', async () => {
  await commit([{ type: 'page', anonymousId: 'lc-visitor', properties: { dwell_seconds: 100 }, context: { sessionId: 'lc-v1' } }, { type: 'page', anonymousId: 'lc-visitor', context: { sessionId: 'lc-v1' } }]);
  await commit([{ type: 'identify', userId: 'lc-new', anonymousId: 'lc-visitor' }]);
  await commit([{ type: 'page', userId: customers[700]! }, { type: 'page', userId: customers[701]! }]);
  await assertSame('lc-new');
  assert.equal(bounded.kmeans.features('lc-new')?.page_views, 2, 'the visitor\'s two pages count for the customer');
});

test('after too many dropped ids everything is forgotten, and reloads still count every event once', async () => {
  // 30 customers in one pass: 28 dropped, more than 10 per held state.
  await commit(customers.slice(300, 330).map((id) => ({ type: 'track', event: 'Product Viewed', userId: id, properties: { product_id: 'P00001' } })));
  assert.equal(bounded.kmeans.cache.forgotten, 1);
  await commit([{ type: 'page', userId: customers[305]!, properties: { dwell_seconds: 5 } }]);
  await assertSame(customers[305]!);
  await assertSame(customers[10]!);
});

test('RFM states dropped for room are reloaded: the same segment changes as with every state held', async () => {
  const picked = [customers[20]!, customers[520]!, customers[820]!];
  for (let round = 0; round < 3; round++) {
    await commit(picked.map((id, i) => ({ type: 'track', event: 'Order Completed', userId: id, properties: { order_id: `LC-R${round}-${i}`, revenue: 900 } })));
  }
  const strip = (changes: readonly SegmentChange[]) => changes.map(({ at: _, ...rest }) => rest);
  assert.ok(full.changes.length > 0, 'the purchases changed RFM segments');
  assert.deepEqual(strip(bounded.changes), strip(full.changes));
  assert.ok(bounded.rfm.evicted > 0);
});
