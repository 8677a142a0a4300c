/**
 * Live K-means re-assignment end to end, as a scenario: a 1,000-customer synthetic shop whose history ends today is
 * segmented; the real server starts on it; a dormant customer comes back with a burst of sessions and large
 * purchases through the collection API; their K-means segment changes live — streamed over SSE, kept in
 * `segment_events` and `live_segments`, shown in the profile; a newcomer the run never saw enters a segment from
 * their first events; and a restart reloads their states from the store without a spurious change.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Store } from '../../store/db.js';
import { inspect, startTestServer, TEST_ADMIN, type TestServer } from '../testing.js';
import { buildShopDb, type ShopDb } from './shop-fixture.js';

interface Change { customerId: string; kind: string; change: string; segment: string; score: string; messageId: string }

let dir: string;
let shop: ShopDb;
let server: TestServer;
let dormant: { id: string; cluster: number; name: string };
/** Another member of the dormant segment, for the read-your-writes check. */
let secondDormant: string;
const names: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-live-kmeans-'));
  shop = await buildShopDb(join(dir, 'test.duckdb'), { customers: 1000, seed: 11 });
  const store = await Store.open(shop.db);
  try {
    const model = JSON.parse(String(await store.scalar(`SELECT model::VARCHAR FROM segment_runs WHERE run_id = $run`, { run: shop.runId }))) as { names: { cluster: number; name: string; family: string }[] };
    for (const n of model.names) names[n.cluster] = n.name;
    const family = model.names.find((n) => n.family === 'dormant');
    assert.ok(family, `the run has a dormant segment (got ${model.names.map((n) => n.family).join(', ')})`);
    const rows = await store.rows<{ customer_id: string }>(
      `SELECT customer_id FROM segment_memberships JOIN customer_features USING (customer_id) WHERE run_id = $run AND cluster = $c ORDER BY recency_days DESC, customer_id LIMIT 2`,
      { run: shop.runId, c: family.cluster },
    );
    assert.equal(rows.length, 2, 'two dormant customers');
    dormant = { id: rows[0]!.customer_id, cluster: family.cluster, name: family.name };
    secondDormant = rows[1]!.customer_id;
  } finally {
    store.close();
  }
  server = await startTestServer({}, dir);
});
after(async () => {
  await server.stop();
});

/** Reads SSE frames of kind `kmeans` for `customer` until `count` arrived. */
async function kmeansFrames(reader: ReadableStreamDefaultReader<Uint8Array>, customer: string, count: number): Promise<{ id: string; event: string; data: Change }[]> {
  let text = '';
  const decoder = new TextDecoder();
  for (;;) {
    const frames = text.split('\n\n').filter((f) => f.includes('event: segment')).map((f) => ({
      id: /^id: (\d+)$/m.exec(f)?.[1] ?? '', event: /^event: (.*)$/m.exec(f)?.[1] ?? '', data: JSON.parse(f.split('data: ')[1]!) as Change,
    })).filter((f) => f.data.kind === 'kmeans' && f.data.customerId === customer);
    if (frames.length >= count) return frames;
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended after ${frames.length} K-means frames`);
    text += decoder.decode(value, { stream: true });
  }
}

/** A comeback: three sessions of browsing and, in each, large purchases. */
function comeback(customer: string, tag: string): Record<string, unknown>[] {
  const batch: Record<string, unknown>[] = [];
  for (let s = 0; s < 3; s++) {
    const context = { sessionId: `${tag}-s${s}` };
    for (let i = 0; i < 4; i++) batch.push({ type: 'page', userId: customer, messageId: `${tag}-p${s}-${i}`, name: 'Product', properties: { dwell_seconds: 90 }, context });
    batch.push({ type: 'track', event: 'Product Viewed', userId: customer, messageId: `${tag}-v${s}`, properties: { product_id: 'P00001', price: 400 }, context });
    batch.push({ type: 'track', event: 'Product Added', userId: customer, messageId: `${tag}-a${s}`, properties: { product_id: 'P00001', price: 400 }, context });
    for (let o = 0; o < 4; o++) {
      batch.push({ type: 'track', event: 'Order Completed', userId: customer, messageId: `${tag}-o${s}-${o}`, properties: { order_id: `${tag}-${s}-${o}`, revenue: 800 }, context });
    }
  }
  return batch;
}

test('a dormant customer who comes back with large purchases moves to another K-means segment live', async () => {
  const controller = new AbortController();
  const stream = await fetch(`${server.url}/v1/stream/segments`, { headers: { Authorization: `Bearer ${TEST_ADMIN}` }, signal: controller.signal });
  const reader = stream.body!.getReader();
  const t0 = performance.now();
  const answer = await server.post('/v1/batch', { batch: comeback(dormant.id, 'back') });
  assert.equal(answer.status, 200);
  const [exited, entered] = await kmeansFrames(reader, dormant.id, 2);
  const elapsed = performance.now() - t0;
  controller.abort();
  assert.equal(exited!.event, 'segment exited');
  assert.deepEqual([exited!.data.segment, exited!.data.score], [dormant.name, String(dormant.cluster)]);
  assert.equal(entered!.event, 'segment entered');
  assert.equal(entered!.data.segment, 'High-value active', `entered ${entered!.data.segment} (cluster ${entered!.data.score})`);
  assert.equal(entered!.data.segment, names[Number(entered!.data.score)]);
  assert.equal(entered!.data.messageId, 'back-o2-3', 'the last event of the customer in the commit is named as the cause');
  assert.ok(elapsed < 1000, `accept to K-means change under 1 s (took ${elapsed.toFixed(0)} ms)`);

  const profile = (await server.get(`/v1/profiles/${dormant.id}`)).body as { segment: { cluster: number; name: string; liveCluster: { cluster: number; name: string } | null } };
  assert.deepEqual([profile.segment.cluster, profile.segment.name], [dormant.cluster, dormant.name], 'the run\'s assignment is kept');
  assert.deepEqual(profile.segment.liveCluster && [profile.segment.liveCluster.cluster, profile.segment.liveCluster.name], [Number(entered!.data.score), entered!.data.segment]);
});

test('a profile read right after the 200 shows the live segments the accepted events led to, without polling', async () => {
  const answer = await server.post('/v1/batch', { batch: comeback(secondDormant, 'ryw') });
  assert.equal(answer.status, 200);
  // One read: it waits for the events to be loaded and for the live passes over them (their changes committed).
  const profile = (await server.get(`/v1/profiles/${secondDormant}`)).body as {
    segment: { cluster: number; liveCluster: { cluster: number } | null; liveRfm: { segment: string | null } | null };
    activity: { orders: number };
  };
  assert.equal(profile.segment.cluster, dormant.cluster, 'a member of the dormant segment in the run');
  assert.ok(profile.segment.liveCluster, `the K-means change is shown (got ${JSON.stringify(profile.segment)})`);
  assert.notEqual(profile.segment.liveCluster.cluster, dormant.cluster);
  assert.ok(profile.segment.liveRfm?.segment, `the RFM change is shown (got ${JSON.stringify(profile.segment.liveRfm)})`);
  assert.ok(profile.activity.orders >= 12, 'and the events themselves');
});

let newcomer: { cluster: number; name: string } | undefined;

test('a newcomer the run never saw enters a K-means segment from their first events', async () => {
  const controller = new AbortController();
  const stream = await fetch(`${server.url}/v1/stream/segments`, { headers: { Authorization: `Bearer ${TEST_ADMIN}` }, signal: controller.signal });
  const reader = stream.body!.getReader();
  const answer = await server.post('/v1/batch', { batch: comeback('newcomer-1', 'new') });
  assert.equal(answer.status, 200);
  const [entered] = await kmeansFrames(reader, 'newcomer-1', 1);
  controller.abort();
  assert.equal(entered!.event, 'segment entered', 'a customer without a cluster only enters one');
  assert.equal(entered!.data.segment, names[Number(entered!.data.score)]);
  assert.equal(entered!.data.messageId, 'new-o2-3', 'the last event of the commit is named as the cause');
  newcomer = { cluster: Number(entered!.data.score), name: entered!.data.segment };
});

test('the profile of a newcomer shows their live K-means segment and that segment\'s strategy', async () => {
  assert.ok(newcomer, 'the newcomer entered a segment');
  const profile = (await server.get('/v1/profiles/newcomer-1')).body as { segment: { runId: string; cluster: number | null; strategy: { segment?: string } | null; liveCluster: { cluster: number; name: string } | null } | null };
  assert.ok(profile.segment, `the profile of a newcomer has a segment (got ${JSON.stringify(profile.segment)})`);
  assert.deepEqual([profile.segment.runId, profile.segment.cluster], [shop.runId, null], 'not a member of the run');
  assert.deepEqual(profile.segment.liveCluster && [profile.segment.liveCluster.cluster, profile.segment.liveCluster.name], [newcomer.cluster, newcomer.name]);
  assert.ok(profile.segment.strategy, 'the playbook strategy of the live segment');
});

test('after a restart the state is reloaded from the store: a page view changes nothing', async () => {
  await server.close();
  server = await startTestServer({}, dir);
  const answer = await server.post('/v1/page', { userId: dormant.id, messageId: 'after-restart', name: 'Home', properties: { dwell_seconds: 20 } });
  assert.equal(answer.status, 200);
  await server.close();
  await inspect(server.db, async (store) => {
    const rows = await store.rows(`SELECT change, segment, score, message_id FROM segment_events WHERE kind = 'kmeans' AND customer_id = $c ORDER BY change DESC`, { c: dormant.id });
    const entered = rows.find((r) => r.change === 'entered');
    assert.deepEqual(rows, [
      { change: 'exited', segment: dormant.name, score: String(dormant.cluster), message_id: 'back-o2-3' },
      { change: 'entered', segment: 'High-value active', score: entered?.score, message_id: 'back-o2-3' },
    ]);
    const live = await store.rows(`SELECT run_id, cluster, segment_name FROM live_segments WHERE customer_id = $c`, { c: dormant.id });
    assert.deepEqual(live, [{ run_id: shop.runId, cluster: Number(entered?.score), segment_name: 'High-value active' }]);
    const arrival = await store.rows(`SELECT change, score FROM segment_events WHERE kind = 'kmeans' AND customer_id = 'newcomer-1'`);
    assert.deepEqual(arrival, [{ change: 'entered', score: String(newcomer?.cluster) }], 'the newcomer entered once');
    const kept = await store.rows(`SELECT run_id, cluster, segment_name FROM live_segments WHERE customer_id = 'newcomer-1'`);
    assert.deepEqual(kept, [{ run_id: shop.runId, cluster: newcomer?.cluster, segment_name: newcomer?.name }]);
  });
});
