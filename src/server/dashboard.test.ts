/**
 * The dashboard inside `segmenta serve`, against real servers on loopback ports: its JSON routes are part of the read
 * API (401 without the admin token, 200 with it) and answer exactly what `segmenta dashboard` answers for the same
 * database; its pages are served at `/dashboard/`; the routes are documented in /openapi.json; and its reads run on
 * their own connection, so they go on while ingestion and a segmentation run write, and never see a transaction
 * that has not committed. Over a small synthetic shop (300 customers, segmented twice) built here, copied twice: one
 * copy for each server, since `serve` holds its file for writing.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { API_ROUTES, startDashboard, type DashboardHandle } from '../dashboard/server/index.js';
import { createDemoDatabase } from '../dashboard/server/testing.js';
import { Store } from '../store/db.js';
import { basic, startTestServer, TEST_ADMIN, TEST_KEY, track, type TestServer } from './testing.js';

let server: TestServer;
let local: DashboardHandle;
let knownCustomer: string;

/** One request for each route, with parameters that find data. */
const PATHS = (): string[] => [
  'overview', 'segments', 'segments/0/members?limit=5&sort=-monetary', 'model', 'customers?q=C00',
  `customers/${encodeURIComponent(knownCustomer)}`, 'cohorts', 'journeys', 'quality',
].map((path) => `/v1/dashboard/${path}`);

/**
 * A payload with its numbers at 12 significant digits: DuckDB sums doubles in parallel, in no fixed order, so two
 * reads of one sum can differ in the last bits (13984.069999999996 and 13984.070000000003), whichever server asks.
 */
function normalised(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(normalised);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalised(v)]));
  return value;
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-serve-dashboard-'));
  const demo = await createDemoDatabase(join(dir, 'demo'), { customers: 300, seed: 11 });
  const store = await Store.open(demo.db, { readOnly: true });
  try {
    knownCustomer = (await store.scalar<string>(`SELECT min(customer_id) FROM segment_memberships WHERE run_id = $run`, { run: demo.latest.runId }))!;
  } finally {
    store.close();
  }
  copyFileSync(demo.db, join(dir, 'serve.duckdb'));
  copyFileSync(demo.db, join(dir, 'local.duckdb'));
  local = await startDashboard({ db: join(dir, 'local.duckdb'), port: 0, log: () => undefined });
  server = await startTestServer({ db: join(dir, 'serve.duckdb') }, dir);
});

after(async () => {
  await local?.close();
  await server?.stop();
});

describe('the dashboard API in segmenta serve', () => {
  test('every route needs the admin token: none, a wrong one or a write key is a 401', async () => {
    for (const path of PATHS()) {
      const none = await server.get(path, { auth: null });
      assert.equal(none.status, 401, path);
      assert.deepEqual(none.body, { error: { code: 'unauthorized', message: 'admin token is required: send "Authorization: Bearer <token>"', issues: [] } });
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="segmenta-admin"');
      assert.equal((await server.get(path, { auth: 'Bearer wrong-token' })).status, 401, path);
      assert.equal((await server.get(path, { auth: basic(TEST_KEY) })).status, 401, path);
    }
  });

  test('with the token every route answers 200 with the same JSON as `segmenta dashboard` over the same database', async () => {
    for (const path of PATHS()) {
      const served = await server.get(path);
      assert.equal(served.status, 200, `${path}: ${served.text.slice(0, 200)}`);
      assert.match(served.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal((served.body as { state: string }).state, 'ready', path);
      const alone = await fetch(new URL(path, local.url));
      assert.equal(alone.status, 200, path);
      assert.deepEqual(normalised(served.body), normalised(JSON.parse(await alone.text())), `${path}: serve and dashboard answer alike`);
    }
  });

  test('errors are the same JSON errors as in `segmenta dashboard`', async () => {
    for (const [path, status] of [['/v1/dashboard/segments/abc/members', 400], ['/v1/dashboard/customers/no-such-customer', 404], ['/v1/dashboard/segments/0/members?limit=9999', 400]] as const) {
      const served = await server.get(path);
      const alone = await fetch(new URL(path, local.url));
      assert.equal(served.status, status, path);
      assert.equal(alone.status, status, path);
      assert.deepEqual(served.body, await alone.json(), path);
    }
  });

  test('the existing read API keeps its paths and shapes beside it', async () => {
    const segments = await server.get('/v1/segments');
    assert.equal(segments.status, 200);
    assert.deepEqual(Object.keys(segments.body as object).sort(), ['createdAt', 'k', 'method', 'runId', 'segments']);
  });
});

describe('the dashboard pages in segmenta serve', () => {
  test('/dashboard redirects to /dashboard/, which serves the app, its modules and ECharts with the security headers, no token needed', async () => {
    const bare = await fetch(`${server.url}/dashboard`, { redirect: 'manual' });
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.get('location'), '/dashboard/');
    const index = await server.get('/dashboard/', { auth: null });
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(index.text, /src="app\.js"/);
    for (const file of ['app.js', 'api.js', 'sign-in.js', 'pages/overview.js', 'style.css', 'vendor/echarts.min.js']) {
      const answer = await server.get(`/dashboard/${file}`, { auth: null });
      assert.equal(answer.status, 200, file);
    }
  });

  test('unknown files are 404 and no path leaves the web folder', async () => {
    for (const path of ['/dashboard/nope.js', '/dashboard/%2e%2e/%2e%2e/package.json', '/dashboard/..%2f..%2fpackage.json', '/dashboard/pages/%2e%2e/%2e%2e/%2e%2e/package.json']) {
      const answer = await server.get(path, { auth: null });
      assert.equal(answer.status, 404, path);
      assert.equal((answer.body as { error: { code: string } }).error.code, 'not_found', path);
    }
  });

  test('/openapi.json documents every dashboard route and the pages', async () => {
    const doc = (await server.get('/openapi.json', { auth: null })).body as { paths: Record<string, { get?: { security?: unknown[] } }> };
    const documented = Object.keys(doc.paths).filter((path) => path.startsWith('/v1/dashboard/')).sort();
    assert.deepEqual(documented, API_ROUTES.map((route) => route.path.replace(/:(\w+)/g, '{$1}')).sort());
    for (const path of documented) assert.deepEqual(doc.paths[path]!.get!.security, [{ adminToken: [] }], path);
    assert.ok(doc.paths['/dashboard/']);
  });

  test('metrics label a dashboard route by its pattern, not by the id asked for', async () => {
    await server.get(`/v1/dashboard/customers/${encodeURIComponent(knownCustomer)}`);
    const metrics = await server.get('/metrics', { auth: null });
    assert.match(metrics.text, /segmenta_http_requests_total\{route="\/v1\/dashboard\/customers\/:id",status="200"\} \d+/);
    assert.doesNotMatch(metrics.text, new RegExp(`route="[^"]*${knownCustomer}`));
  });
});

describe('dashboard reads beside the writer', () => {
  test('pages load while batches are ingested, and every batch is stored', async () => {
    let ingesting = true;
    const batches = (async () => {
      const statuses: number[] = [];
      while (ingesting) statuses.push((await server.post('/v1/batch', { batch: Array.from({ length: 200 }, () => track()) })).status);
      return statuses;
    })();
    try {
      for (let round = 0; round < 3; round++) {
        for (const path of PATHS()) assert.equal((await server.get(path)).status, 200, path);
      }
    } finally {
      ingesting = false;
    }
    const statuses = await batches;
    assert.ok(statuses.length > 0);
    assert.deepEqual([...new Set(statuses)], [200]);
  });

  test('while a segmentation run writes (one long transaction), reads answer from the last commit until it commits', async (t) => {
    type Overview = { state: string; run: { runId: string } };
    const before = (await server.get('/v1/dashboard/overview')).body as Overview;
    let done = false;
    const run = fetch(`${server.url}/v1/runs?k=auto&seed=3`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_ADMIN}` } })
      .then(async (response) => ({ status: response.status, body: (await response.json()) as { runId: string } }))
      .finally(() => { done = true; });
    const seen: string[] = [];
    while (!done) {
      const overview = (await server.get('/v1/dashboard/overview')).body as Overview;
      // On the writer's own connection this read would see the run's uncommitted rows (state "running").
      assert.equal(overview.state, 'ready', `read ${seen.length} during the run`);
      seen.push(overview.run.runId);
    }
    const result = await run;
    assert.equal(result.status, 201, JSON.stringify(result.body));
    // The old run until the commit, then the new one (the answer comes a little after the commit): never back.
    const switched = seen.indexOf(result.body.runId);
    const beforeCommit = switched < 0 ? seen : seen.slice(0, switched);
    assert.deepEqual([...new Set(beforeCommit)], [before.run.runId]);
    assert.ok(switched < 0 || seen.slice(switched).every((id) => id === result.body.runId), `run ids seen: ${seen.join(', ')}`);
    // Reads blocked behind the writer would all have waited for the commit and seen the new run.
    assert.ok(beforeCommit.length >= 2, `reads answered while the run wrote: ${beforeCommit.length} (of ${seen.length})`);
    assert.equal(((await server.get('/v1/dashboard/overview')).body as Overview).run.runId, result.body.runId);
    t.diagnostic(`${beforeCommit.length} of ${seen.length} reads during the run answered from the previous run`);
  });
});
