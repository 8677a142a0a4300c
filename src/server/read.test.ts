/**
 * The read and admin API, privacy at the door, and the operations routes, against a real server. The database is
 * seeded with a finished segmentation run before the server starts (the server owns the file while it runs).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Store } from '../store/db.js';
import { basic, inspect, startTestServer, TEST_ADMIN, TEST_KEY, type TestServer } from './testing.js';

let server: TestServer;

async function seedRun(db: string): Promise<void> {
  const store = await Store.open(db);
  try {
    const segments = { segments: [{ cluster: 0, name: 'Loyal big spenders', strategy: { tactic: 'VIP early access' } }, { cluster: 1, name: 'Lapsed', strategy: { tactic: 'Win-back' } }] };
    await store.run(`INSERT INTO segment_runs VALUES ('run-1', NULL, '2026-01-01 00:00:00', 'done', 'kmeans', 2, 42, NULL, NULL, NULL, $s)`, { s: JSON.stringify(segments) });
    const members: [string, number, string, string | null, string | null][] = [['user-a', 0, 'Loyal big spenders', '555', 'Champions'], ['user-b', 0, 'Loyal big spenders', '545', 'Champions'], ['user-c', 1, 'Lapsed', '111', 'Lost'], ['x,"quoted"', 0, 'Loyal big spenders', null, null]];
    for (const [customer, cluster, name, score, rfm] of members) {
      await store.run(`INSERT INTO segment_memberships VALUES ('run-1', $c, $k, $n, 5, 5, 5, $score, $rfm)`, { c: customer, k: cluster, n: name, score, rfm });
    }
    await store.run(`INSERT INTO customer_predictions VALUES
      ('user-a', 'churn', 90, 0.25, 'gbt', '2026-01-01', '2026-01-02', NULL, NULL, NULL),
      ('user-a', 'propensity', 90, 0.4, 'forest', '2026-01-01', '2026-01-02', NULL, NULL, NULL),
      ('user-a', 'segment', 0, 0.93, 'gbt', '2026-01-01', '2026-01-02', 'run-1', 0, 'Loyal big spenders'),
      ('user-b', 'segment', 0, 0.88, 'gbt', '2026-01-01', '2026-01-02', 'run-1', 0, 'Loyal big spenders')`);
  } finally {
    store.close();
  }
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-read-'));
  await seedRun(join(dir, 'test.duckdb'));
  server = await startTestServer({}, dir);
  const now = new Date().toISOString();
  const r = await server.post('/v1/batch', {
    batch: [
      { type: 'page', anonymousId: 'anon-a', messageId: 'r1', timestamp: now, name: 'Home', context: { sessionId: 's1' } },
      { type: 'identify', anonymousId: 'anon-a', userId: 'user-a', messageId: 'r2', timestamp: now, traits: { email: ' Ann@Example.com ', phone: '+44 1234', plan: 'gold' } },
      { type: 'track', userId: 'user-a', event: 'Order Completed', messageId: 'r3', timestamp: now, properties: { order_id: 'o1', revenue: 30 }, context: { sessionId: 's1' } },
      { type: 'track', userId: 'user-c', event: 'Consent Updated', messageId: 'r4', timestamp: now, properties: { consent: { analytics: false, marketing: false } } },
      { type: 'track', userId: 'user-c', event: 'Product Viewed', messageId: 'r5', timestamp: now },
      { type: 'track', userId: 'user-d', event: 'Product Viewed', messageId: 'r6', timestamp: now, context: { consent: { analytics: true }, traits: { email: 'd@example.com' } } },
    ],
  });
  assert.equal(r.status, 200);
  assert.deepEqual((r.body.results as { status: string }[]).map((e) => e.status), ['accepted', 'accepted', 'accepted', 'dropped_no_consent', 'dropped_no_consent', 'accepted']);
});
after(async () => {
  await server.stop();
});

/** `/metrics` now, with `value(series)` reading one sample (a name with its labels, as written). */
async function scrape(target: TestServer): Promise<{ text: string; value: (series: string) => number }> {
  const { text } = await target.get('/metrics', { auth: null });
  const value = (series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    assert.ok(line !== undefined, `/metrics has ${series}`);
    return Number(line.slice(series.length + 1));
  };
  return { text, value };
}

describe('profiles', () => {
  test('GET /v1/profiles/:id finds the customer by any of its ids, with traits, activity, segment, RFM and strategy', async () => {
    const r = await server.get('/v1/profiles/anon-a');
    assert.equal(r.status, 200);
    const p = r.body as { customerId: string; ids: string[]; traits: Record<string, string>; activity: { events: number; orders: number; revenue: number; sessions: number }; segment: { cluster: number; name: string; rfm: { segment: string }; strategy: { tactic: string } }; lastEvents: { message_id: string }[] };
    assert.equal(p.customerId, 'user-a');
    assert.deepEqual(p.ids, ['user-a', 'anon-a']);
    assert.equal(p.traits.plan, 'gold');
    assert.match(p.traits.email!, /^hmac-sha256:[0-9a-f]{64}$/);
    assert.match(p.traits.phone!, /^hmac-sha256:/);
    assert.deepEqual([p.activity.events, p.activity.orders, p.activity.revenue, p.activity.sessions], [3, 1, 30, 1]);
    assert.deepEqual([p.segment.cluster, p.segment.name, p.segment.rfm.segment, p.segment.strategy.tactic], [0, 'Loyal big spenders', 'Champions', 'VIP early access']);
    assert.deepEqual(p.lastEvents.map((e) => e.message_id).sort(), ['r1', 'r2', 'r3']);
  });

  test('the profile shows the stored churn, propensity and segment predictions with horizon, model and as-of', async () => {
    const p = (await server.get('/v1/profiles/anon-a')).body as { predictions: Record<string, unknown>[] };
    const common = { asOf: '2026-01-01T00:00:00.000Z', createdAt: '2026-01-02T00:00:00.000Z' };
    assert.deepEqual(p.predictions, [
      { target: 'churn', horizonDays: 90, probability: 0.25, model: 'gbt', ...common, runId: null, cluster: null, segmentName: null },
      { target: 'propensity', horizonDays: 90, probability: 0.4, model: 'forest', ...common, runId: null, cluster: null, segmentName: null },
      { target: 'segment', horizonDays: 0, probability: 0.93, model: 'gbt', ...common, runId: 'run-1', cluster: 0, segmentName: 'Loyal big spenders' },
    ]);
    assert.deepEqual(((await server.get('/v1/profiles/user-c')).body as { predictions: unknown[] }).predictions, []);
  });

  test('the same email always hashes the same (trimmed, lower-cased) and never appears in clear', async () => {
    const again = await server.post('/v1/identify', { userId: 'user-e', messageId: 'r7', traits: { email: 'ann@example.com' } });
    assert.equal(again.status, 200);
    const a = (await server.get('/v1/profiles/user-a')).body as { traits: { email: string } };
    const e = (await server.get('/v1/profiles/user-e')).body as { traits: { email: string } };
    assert.equal(a.traits.email, e.traits.email);
  });

  test('withdrawn analytics consent is recorded and the customer\'s events are not stored', async () => {
    const r = await server.get('/v1/profiles/user-c');
    const p = r.body as { consent: Record<string, boolean>; activity: { events: number } };
    assert.deepEqual(p.consent, { analytics: false, marketing: false });
    assert.equal(p.activity.events, 0);
    const later = await server.post('/v1/track', { userId: 'user-c', event: 'Later', messageId: 'r8' });
    assert.equal(later.body.status, 'dropped_no_consent');
  });

  test('an unknown id is a 404 JSON error', async () => {
    const r = await server.get('/v1/profiles/nobody');
    assert.equal(r.status, 404);
    assert.match((r.body as { error: { message: string } }).error.message, /no profile for id "nobody"/);
  });

  test('the read API needs the admin token; a write key is not enough', async () => {
    assert.equal((await server.get('/v1/profiles/user-a', { auth: null })).status, 401);
    assert.equal((await server.get('/v1/profiles/user-a', { auth: basic(TEST_KEY) })).status, 401);
    assert.equal((await server.get('/v1/profiles/user-a', { auth: `Bearer ${TEST_KEY}` })).status, 401);
  });
});

describe('segments', () => {
  test('GET /v1/segments lists the newest run\'s segments with member counts and strategies', async () => {
    const r = await server.get('/v1/segments');
    assert.equal(r.status, 200);
    const body = r.body as { runId: string; segments: { id: number; name: string; members: number; strategy: { tactic: string } }[] };
    assert.equal(body.runId, 'run-1');
    assert.deepEqual(body.segments.map((s) => [s.id, s.name, s.members, s.strategy.tactic]), [[0, 'Loyal big spenders', 3, 'VIP early access'], [1, 'Lapsed', 1, 'Win-back']]);
  });

  test('members are paged, and exported as RFC 4180 CSV', async () => {
    const page = (await server.get('/v1/segments/0/members?limit=2&offset=1')).body as { total: number; members: { customer_id: string }[] };
    assert.equal(page.total, 3);
    assert.deepEqual(page.members.map((m) => m.customer_id), ['user-b', 'x,"quoted"']);
    const csv = await server.get('/v1/segments/0/members?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    assert.equal(csv.text, 'customer_id,segment,segment_name,rfm_score,rfm_segment\r\nuser-a,0,Loyal big spenders,555,Champions\r\nuser-b,0,Loyal big spenders,545,Champions\r\n"x,""quoted""",0,Loyal big spenders,,\r\n');
  });

  test('a bad page parameter is a 400 naming it; an empty segment is a 404', async () => {
    const bad = await server.get('/v1/segments/0/members?limit=0');
    assert.equal(bad.status, 400);
    assert.match((bad.body as { error: { message: string } }).error.message, /limit must be a whole number between 1 and 10000 \(got "0"\)/);
    assert.equal((await server.get('/v1/segments/9/members')).status, 404);
  });
});

describe('erasure', () => {
  test('DELETE /v1/profiles/:id erases the customer everywhere and later retries of its events are not stored again', async () => {
    const response = await fetch(`${server.url}/v1/profiles/anon-a`, { method: 'DELETE', headers: { Authorization: `Bearer ${TEST_ADMIN}` } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { customerId: string; deleted: Record<string, number> };
    assert.equal(body.customerId, 'user-a');
    assert.deepEqual([body.deleted.events, body.deleted.identities, body.deleted.segment_memberships, body.deleted.identity_links], [3, 2, 1, 1]);
    assert.equal(body.deleted.customer_predictions, 3);
    assert.equal((await server.get('/v1/profiles/user-a')).status, 404);
    const retry = await server.post('/v1/track', { userId: 'user-a', event: 'Order Completed', messageId: 'r3', properties: { order_id: 'o1' } });
    assert.equal(retry.body.status, 'duplicate');
  });
});

describe('operations', () => {
  test('/healthz answers ok and /metrics counts events by result in Prometheus text', async () => {
    const health = await server.get('/healthz', { auth: null });
    assert.equal(health.status, 200);
    assert.equal((health.body as { status: string }).status, 'ok');
    const metrics = await server.get('/metrics', { auth: null });
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain; version=0\.0\.4/);
    assert.match(metrics.text, /^segmenta_events_total\{result="accepted"\} 5$/m);
    assert.match(metrics.text, /^segmenta_events_total\{result="dropped_no_consent"\} 3$/m);
    assert.match(metrics.text, /^segmenta_write_queue_events 0$/m);
    assert.match(metrics.text, /^segmenta_write_commit_seconds\{quantile="0.99"\} \d/m);
  });

  test('/metrics reports orders written, order steps and the live caches, each with HELP and TYPE', async () => {
    // A server of its own: an order in the shared one would give the run below enough data to succeed.
    const own = await startTestServer();
    try {
      const before = await scrape(own);
      for (const [name, type] of [
        ['segmenta_events_written_total', 'counter'], ['segmenta_orders_written_total', 'counter'], ['segmenta_order_lines_written_total', 'counter'],
        ['segmenta_order_steps_total', 'counter'], ['segmenta_write_commits_total', 'counter'], ['segmenta_live_cache_customers', 'gauge'],
        ['segmenta_live_cache_limit_customers', 'gauge'], ['segmenta_live_cache_evictions_total', 'counter'], ['segmenta_live_kmeans_loads_total', 'counter'],
        ['segmenta_live_kmeans_forgets_total', 'counter'],
      ] as const) {
        assert.match(before.text, new RegExp(`^# HELP ${name} \\S`, 'm'), `${name} has HELP`);
        assert.match(before.text, new RegExp(`^# TYPE ${name} ${type}$`, 'm'), `${name} is a ${type}`);
      }
      for (const cache of ['rfm', 'kmeans']) {
        assert.ok(before.value(`segmenta_live_cache_customers{cache="${cache}"}`) >= 0);
        assert.ok(before.value(`segmenta_live_cache_evictions_total{cache="${cache}"}`) >= 0);
      }
      const r = await own.post('/v1/track', {
        userId: 'user-metrics', event: 'Order Completed', messageId: 'r-metrics-order', timestamp: new Date().toISOString(),
        properties: { order_id: 'o-metrics', revenue: 25, products: [{ product_id: 'sku-m', price: 12.5, quantity: 2 }] },
      });
      assert.equal(r.body.status, 'accepted');
      // The answer comes once the event is in the journal; its load into the tables (with the order step) follows.
      let after = await scrape(own);
      for (let i = 0; i < 200 && after.value('segmenta_events_written_total') === before.value('segmenta_events_written_total'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        after = await scrape(own);
      }
      assert.equal(after.value('segmenta_orders_written_total'), before.value('segmenta_orders_written_total') + 1);
      assert.equal(after.value('segmenta_order_lines_written_total'), before.value('segmenta_order_lines_written_total') + 1);
      assert.ok(after.value('segmenta_order_steps_total') > before.value('segmenta_order_steps_total'));
      assert.equal(after.value('segmenta_events_written_total'), before.value('segmenta_events_written_total') + 1);
    } finally {
      await own.stop();
    }
  });

  test('/openapi.json documents every route', async () => {
    const doc = (await server.get('/openapi.json', { auth: null })).body as { openapi: string; paths: Record<string, object> };
    assert.equal(doc.openapi, '3.1.0');
    const paths = Object.keys(doc.paths).sort();
    for (const path of paths) {
      const concrete = path.replace('{id}', '0');
      const method = Object.keys(doc.paths[path]!).find((m) => m !== 'parameters')!.toUpperCase();
      const r = await fetch(`${server.url}${concrete}`, { method: method === 'DELETE' ? 'OPTIONS' : method === 'POST' ? 'PUT' : 'GET' });
      assert.notEqual(r.status, 404, `${path} is served`);
      await r.arrayBuffer();
    }
    assert.ok(paths.includes('/v1/batch') && paths.includes('/v1/profiles/{id}') && paths.includes('/v1/segments/{id}/members'));
  });

  test('POST /v1/runs on too little data is a clear JSON error and ingestion goes on', async () => {
    const r = await fetch(`${server.url}/v1/runs?k=2`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_ADMIN}` } });
    const body = (await r.json()) as { error?: { code: string; message: string } };
    assert.ok(r.status >= 400 && r.status < 500, `status ${r.status} ${JSON.stringify(body)}`);
    assert.equal(typeof body.error?.message, 'string');
    const next = await server.post('/v1/track', { userId: 'after-run', event: 'X', messageId: 'r9' });
    assert.equal(next.status, 200);
  });
});

describe('audit', () => {
  test('the erasure left an audit record and no trace of the customer', async () => {
    await server.close();
    await inspect(server.db, async (store) => {
      const audit = await store.rows<{ actor: string; action: string; subject: string }>(`SELECT actor, action, subject FROM audit_log`);
      assert.deepEqual(audit, [{ actor: 'admin-api', action: 'erase', subject: 'user-a' }]);
      assert.equal(await store.scalar<number>(`SELECT count(*) FROM events WHERE user_id IN ('user-a', 'anon-a') OR anonymous_id = 'anon-a'`), 0);
      const consent = await store.scalar<string>(`SELECT consent FROM customers WHERE customer_id = 'user-c'`);
      assert.deepEqual(JSON.parse(consent!), { analytics: false, marketing: false });
      const d = await store.scalar<string>(`SELECT context FROM events WHERE message_id = 'r6'`);
      assert.match(d!, /"email":"hmac-sha256:/);
    });
  });
});
