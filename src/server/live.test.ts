/**
 * Live RFM re-assignment and the segment-change stream, as a scenario: a finished run with ten scored customers is
 * seeded; purchases arrive through the collection API; the customer's RFM segment is re-scored against the run's
 * bands, the change is streamed over SSE and kept in `segment_events`, and the profile shows it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RFM_SEGMENTS, segmentIndexOfCode } from '../segments/rfm/index.js';
import { Store } from '../store/db.js';
import { scoreAgainstBands } from './live/rfm-bands.js';
import { inspect, startTestServer, TEST_ADMIN, type TestServer } from './testing.js';

const segmentOf = (code: number): string => RFM_SEGMENTS[segmentIndexOfCode(code)]!;

// Ten customers scored by quintile (two per score): recency in days, frequency, monetary at the run's as-of.
const CUSTOMERS = [
  ['c0', 5, 10, 1000, 5], ['c1', 10, 8, 800, 5], ['c2', 20, 6, 600, 4], ['c3', 40, 5, 500, 4], ['c4', 60, 4, 400, 3],
  ['c5', 90, 3, 300, 3], ['c6', 120, 2, 200, 2], ['c7', 200, 2, 150, 2], ['c8', 300, 1, 50, 1], ['c9', 400, 1, 20, 1],
] as const;

let server: TestServer;
const asOf = new Date(Date.now() - 86_400_000);

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-live-'));
  const store = await Store.open(join(dir, 'test.duckdb'));
  try {
    await store.run(`CREATE TABLE customer_features (customer_id VARCHAR, recency_days DOUBLE, frequency DOUBLE, monetary DOUBLE)`);
    await store.run(`INSERT INTO feature_snapshots VALUES ('fs-1', $asOf::TIMESTAMP, $asOf::TIMESTAMP, 10, '[]')`, { asOf: asOf.toISOString().replace('Z', '') });
    await store.run(`INSERT INTO segment_runs VALUES ('run-live', 'fs-1', now()::TIMESTAMP, 'done', 'kmeans', 2, 1, NULL, NULL, NULL, NULL)`);
    for (const [id, recency, frequency, monetary, s] of CUSTOMERS) {
      await store.run(`INSERT INTO customer_features VALUES ($id, $r, $f, $m)`, { id, r: recency, f: frequency, m: monetary });
      await store.run(`INSERT INTO segment_memberships VALUES ('run-live', $id, 0, 'All', $s, $s, $s, $code, $segment)`, { id, s, code: String(111 * s), segment: segmentOf(111 * s) });
    }
  } finally {
    store.close();
  }
  server = await startTestServer({}, dir);
});
after(async () => {
  await server.stop();
});

test('scoreAgainstBands gives the best score whose band a value reaches', () => {
  const bands = { runId: 'r', asOf: 0, createdAt: 0, recencyMax: [400, 200, 90, 40, 10], frequencyMin: [1, 2, 3, 5, 8], monetaryMin: [20, 150, 300, 500, 800] };
  assert.deepEqual(scoreAgainstBands(bands, 0, 2, 920), { r: 5, f: 2, m: 5, code: '525', segment: segmentOf(525) });
  assert.deepEqual(scoreAgainstBands(bands, 1000, 1, 0), { r: 1, f: 1, m: 1, code: '111', segment: segmentOf(111) });
  assert.equal(scoreAgainstBands(bands, 0, 0, 0), undefined, 'no purchase, no score');
});

test('a purchase re-scores the customer live: the change is streamed, stored and shown in the profile', async () => {
  const controller = new AbortController();
  const stream = await fetch(`${server.url}/v1/stream/segments`, { headers: { Authorization: `Bearer ${TEST_ADMIN}` }, signal: controller.signal });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = stream.body!.getReader();
  let text = '';
  const frames = async (count: number): Promise<string[]> => {
    for (;;) {
      const found = text.split('\n\n').filter((f) => f.includes('event: segment'));
      if (found.length >= count) return found;
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended after ${found.length} frames`);
      text += new TextDecoder().decode(value);
    }
  };
  const t0 = performance.now();
  const r = await server.post('/v1/track', { userId: 'c9', event: 'Order Completed', messageId: 'live-1', properties: { order_id: 'L1', revenue: 900 } });
  assert.equal(r.status, 200);
  const [exited, entered] = await frames(2);
  const elapsed = performance.now() - t0;
  assert.match(exited!, /^id: 1\nevent: segment exited\ndata: /m);
  const exitedData = JSON.parse(exited!.split('data: ')[1]!) as { customerId: string; segment: string };
  const enteredData = JSON.parse(entered!.split('data: ')[1]!) as { customerId: string; segment: string; score: string; messageId: string };
  assert.deepEqual([exitedData.customerId, exitedData.segment], ['c9', segmentOf(111)]);
  // Now: recency 0 → R5; 2 orders → F2; 20 + 900 → M5.
  assert.deepEqual([enteredData.customerId, enteredData.segment, enteredData.score, enteredData.messageId], ['c9', segmentOf(525), '525', 'live-1']);
  assert.ok(elapsed < 1000, `accept to segment change under 1 s (took ${elapsed.toFixed(0)} ms)`);

  // A retry of the same order changes nothing; a new customer's first purchase only enters a segment.
  await server.post('/v1/track', { userId: 'c9', event: 'Order Completed', messageId: 'live-2', properties: { order_id: 'L1', revenue: 900 } });
  await server.post('/v1/track', { userId: 'newbie', event: 'Order Completed', messageId: 'live-3', properties: { order_id: 'N1', revenue: 25 } });
  const all = await frames(3);
  const third = JSON.parse(all[2]!.split('data: ')[1]!) as { customerId: string; change: string; segment: string };
  assert.deepEqual([third.customerId, third.change, third.segment], ['newbie', 'entered', segmentOf(511)]);
  controller.abort();

  const profile = (await server.get('/v1/profiles/c9')).body as { segment: { rfm: { segment: string }; liveRfm: { segment: string; score: string } } };
  assert.equal(profile.segment.rfm.segment, segmentOf(111), 'the run\'s assignment is kept');
  assert.deepEqual([profile.segment.liveRfm.segment, profile.segment.liveRfm.score], [segmentOf(525), '525']);
});

test('segment changes are kept in segment_events', async () => {
  await server.close();
  await inspect(server.db, async (store) => {
    const rows = await store.rows(`SELECT customer_id, change, segment, score, message_id FROM segment_events ORDER BY changed_at, change DESC`);
    assert.deepEqual(rows, [
      { customer_id: 'c9', change: 'exited', segment: segmentOf(111), score: '111', message_id: 'live-1' },
      { customer_id: 'c9', change: 'entered', segment: segmentOf(525), score: '525', message_id: 'live-1' },
      { customer_id: 'newbie', change: 'entered', segment: segmentOf(511), score: '511', message_id: 'live-3' },
    ]);
  });
});
