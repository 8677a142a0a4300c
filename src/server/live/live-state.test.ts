/**
 * The live K-means state against a fresh load from the store, in-process (the group-commit writer and the live
 * updater on one store, no HTTP): after any sequence of commits, a customer's incremental features equal the
 * features loaded from scratch from their stored facts; a visitor's anonymous events count for the customer once
 * they identify; a failed pass forgets its states without losing or double-counting events.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { Store } from '../../store/db.js';
import { linkOf } from '../ingest/identities.js';
import { normaliseMessage, type EventRow } from '../ingest/normalize.js';
import { GroupCommitWriter } from '../ingest/writer.js';
import { loadStates } from './feature-load.js';
import { liveAsOf, readFeatures } from './feature-values.js';
import { loadKmeansModel, type KmeansModel } from './kmeans-model.js';
import { LiveKmeans } from './live-kmeans.js';
import { buildShopDb, type ShopDb } from './shop-fixture.js';

const log = pino({ level: 'silent' });
let dir: string;
let shop: ShopDb;
let store: Store;
let writer: GroupCommitWriter;
let live: LiveKmeans;
let model: KmeansModel;
let now: number;
let customers: string[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-live-state-'));
  shop = await buildShopDb(join(dir, 'shop.duckdb'), { customers: 1000, seed: 5 });
  store = await Store.open(shop.db);
  writer = new GroupCommitWriter(store, { maxQueueEvents: 100_000, maxGroupEvents: 500, onCommit: (rows) => live.committed(rows) });
  now = Date.now();
  live = new LiveKmeans(store, writer, log, { clock: () => now });
  await live.reload();
  model = (await loadKmeansModel(store, log))!;
  customers = (await store.rows<{ customer_id: string }>(`SELECT customer_id FROM segment_memberships WHERE run_id = $run ORDER BY customer_id`, { run: shop.runId })).map((r) => r.customer_id);
});
after(async () => {
  await writer.close();
  await live.idle();
  await writer.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** Commits the messages as the collection API would (one group per call). */
async function commit(messages: Record<string, unknown>[]): Promise<void> {
  const rows: EventRow[] = messages.map((m) => {
    const result = normaliseMessage({ messageId: `st-${n++}`, ...m }, { receivedAt: new Date(), importId: 'api' }, 'test');
    assert.ok(result.ok, JSON.stringify(result));
    return result.row;
  });
  await writer.submit({ rows, links: rows.map(linkOf).filter((l) => l !== undefined) });
  await live.idle();
}

/** The customer's features loaded from scratch from the store, at the live clock. */
async function fromScratch(id: string): Promise<Record<string, number>> {
  const state = (await loadStates(store, [id], model.split)).get(id)!.state;
  const asOf = liveAsOf(model.split.asOf, now, state.lastSeen);
  const raw = readFeatures(model.readers, state, asOf, new Float64Array(model.columns.length));
  return Object.fromEntries(model.columns.map((c, j) => [c, raw[j]!]));
}

/** Equal features; sums of money to 1e-9 (added in another order). */
function assertSameFeatures(live: Record<string, number> | undefined, scratch: Record<string, number>, who: string): void {
  assert.ok(live, `${who} is cached`);
  for (const [name, want] of Object.entries(scratch)) {
    const got: number = live[name]!;
    if ((name === 'monetary' || name === 'avg_order_value') && !Number.isNaN(want)) assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${who} ${name}: live ${got}, from scratch ${want}`);
    else assert.deepEqual(got, want, `${who} ${name}`);
  }
}

test('after a mix of commits, each customer\'s incremental features equal a fresh load from the store', async () => {
  const picked = [customers[3]!, customers[100]!, customers[500]!, customers[900]!];
  const [a, b, c, d] = picked as [string, string, string, string];
  await commit([{ type: 'page', userId: a, properties: { dwell_seconds: 40 }, context: { sessionId: 'x1' } }, { type: 'track', event: 'Product Added', userId: a, properties: { product_id: 'P00002' }, context: { sessionId: 'x1' } }]);
  await commit([
    { type: 'track', event: 'Order Completed', userId: b, properties: { order_id: 'LIVE-1', discount: 4, products: [{ product_id: 'P00003', price: 30, quantity: 2 }, { product_id: 'P00004', price: 12 }] } },
    { type: 'track', event: 'Email Delivered', userId: c }, { type: 'track', event: 'Email Opened', userId: c },
    { type: 'identify', userId: d, traits: { plan: 'pro' } },
  ]);
  // A retried order (same order id, new messageId) counts once; a session gets its order after its cart.
  await commit([
    { type: 'track', event: 'Order Completed', userId: b, properties: { order_id: 'LIVE-1', revenue: 999 } },
    { type: 'track', event: 'Order Completed', userId: a, properties: { order_id: 'LIVE-2', revenue: 75 }, context: { sessionId: 'x1' } },
  ]);
  for (const id of picked) assertSameFeatures(live.features(id), await fromScratch(id), id);
  assert.equal(live.features(b)!.frequency, (await store.scalar<number>(`SELECT frequency FROM customer_features WHERE customer_id = $c`, { c: b }))! + 1);
});

test('a visitor\'s anonymous browsing counts for the customer once they identify', async () => {
  const pages = Array.from({ length: 6 }, () => ({ type: 'page', anonymousId: 'visitor-1', properties: { dwell_seconds: 200 }, context: { sessionId: 'v-s1' } }));
  await commit(pages);
  assert.equal(live.features('visitor-1'), undefined, 'an unknown anonymous id is nobody');
  await commit([{ type: 'identify', userId: 'new-customer', anonymousId: 'visitor-1', traits: { email_hash: 'h' } }]);
  const features = live.features('new-customer');
  assert.equal(features?.page_views, 6);
  assert.equal(features?.avg_dwell_seconds, 200);
  assertSameFeatures(features, await fromScratch('new-customer'), 'new-customer');
  assert.notEqual(live.cluster('new-customer'), null, 'a customer new since the run enters a segment');
});

test('a failed pass forgets its states; the next load reads the store and counts each event once', async () => {
  const id = customers[42]!;
  await commit([{ type: 'page', userId: id, properties: { dwell_seconds: 10 } }]);
  const submit = writer.submit.bind(writer);
  let failed = false;
  // The pass's write of a segment change fails once (a new customer always enters a segment).
  writer.submit = (job) => {
    if (job.rows.length === 0 && !failed) {
      failed = true;
      return Promise.reject(new Error('disk full'));
    }
    return submit(job);
  };
  try {
    await commit([{ type: 'page', userId: 'brand-new', properties: { dwell_seconds: 10 } }, { type: 'page', userId: id, properties: { dwell_seconds: 30 } }]);
  } finally {
    writer.submit = submit;
  }
  assert.ok(failed);
  assert.equal(live.features(id), undefined, 'states dropped');
  await commit([{ type: 'page', userId: id, properties: { dwell_seconds: 50 } }]);
  assertSameFeatures(live.features(id), await fromScratch(id), id);
});
