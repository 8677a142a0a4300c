/**
 * The dashboard's HTTP server with a real client (`fetch`) on a loopback port, no browser: static files and ECharts
 * served from the package (from src/ and dist/ alike), JSON routes and their errors, the host check, the CLI
 * command, and the database lease (let go when idle so other commands can write). Over a small synthetic shop
 * (300 customers) and an empty database, both built here.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { adminRefusal } from '../../server/index.js';
import { locateAssets, packageRoot, startDashboard, type DashboardHandle } from './index.js';
import { createDemoDatabase, createEmptyDatabase, holdWriteLock } from './testing.js';

let dir: string;
let full: DashboardHandle;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-dashboard-http-'));
  const demo = await createDemoDatabase(join(dir, 'demo'), { customers: 300, seed: 11 });
  full = await startDashboard({ db: demo.db, port: 0, log: () => undefined });
  await createEmptyDatabase(join(dir, 'empty.duckdb'));
});

after(async () => {
  await full?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard over HTTP', () => {
  const get = async (base: string, path: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(path, base), init);
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) as { error: { code: string; message: string } } };
  };

  test('serves the app, its modules and ECharts from the package (no CDN)', async () => {
    const index = await get(full.url, '/');
    assert.equal(index.status, 200);
    assert.match(index.type, /text\/html/);
    assert.doesNotMatch(index.text, /https?:\/\//, 'no external URL in index.html');
    assert.match(index.text, /src="vendor\/echarts\.min\.js"/, 'relative, so the page works under /dashboard/ in `segmenta serve` too');
    const echarts = await get(full.url, '/vendor/echarts.min.js');
    assert.equal(echarts.status, 200);
    assert.match(echarts.type, /javascript/);
    assert.ok(echarts.text.length > 500_000);
    const page = await get(full.url, '/pages/overview.js');
    assert.equal(page.status, 200);
    assert.match(page.type, /javascript/);
  });

  test('finds the web folder and ECharts from dist/ as from src/ (tsc copies no .js, .html or .css)', () => {
    const root = packageRoot(import.meta.url);
    const fromSrc = locateAssets(join(root, 'src', 'dashboard', 'server', 'assets.ts'));
    const fromDist = locateAssets(join(root, 'dist', 'dashboard', 'server', 'assets.js'));
    assert.deepEqual(fromDist, fromSrc);
    assert.equal(fromSrc.webRoot, join(root, 'src', 'dashboard', 'web'));
    assert.ok(existsSync(join(fromSrc.webRoot, 'app.js')));
    assert.match(fromSrc.echartsFile, /echarts[\\/]dist[\\/]echarts\.min\.js$/);
  });

  test('answers JSON for each API route', async () => {
    for (const path of ['overview', 'segments', 'model', 'cohorts', 'journeys', 'quality', 'customers?q=C00', `segments/0/members?limit=5`]) {
      const answer = await get(full.url, `/v1/dashboard/${path}`);
      assert.equal(answer.status, 200, `${path}: ${answer.text.slice(0, 200)}`);
      assert.equal((JSON.parse(answer.text) as { state: string }).state, 'ready', path);
    }
  });

  test('an unknown customer is a 404 JSON error', async () => {
    const answer = await get(full.url, '/v1/dashboard/customers/no-such-customer');
    assert.equal(answer.status, 404);
    assert.equal(answer.json().error.code, 'not_found');
    assert.match(answer.json().error.message, /no-such-customer/);
  });

  test('bad parameters are 400 JSON errors naming the parameter and the value', async () => {
    const cluster = await get(full.url, '/v1/dashboard/segments/abc/members');
    assert.equal(cluster.status, 400);
    assert.equal(cluster.json().error.message, 'segment cluster must be a whole number ≥ 0 (got "abc")');
    const limit = await get(full.url, '/v1/dashboard/segments/0/members?limit=9999');
    assert.equal(limit.status, 400);
    assert.equal(limit.json().error.message, 'query parameter limit must be a whole number between 1 and 500 (got "9999")');
    const sort = await get(full.url, '/v1/dashboard/segments/0/members?sort=name');
    assert.equal(sort.status, 400);
    assert.match(sort.json().error.message, /^query parameter sort must be one of customer_id, /);
  });

  test('unknown routes and files are 404, writes are 405, and no path leaves the web folder', async () => {
    assert.equal((await get(full.url, '/v1/dashboard/nope')).status, 404);
    assert.equal((await get(full.url, '/nope.js')).status, 404);
    assert.equal((await get(full.url, '/%2e%2e/%2e%2e/package.json')).status, 404);
    assert.equal((await get(full.url, '/..%2f..%2fpackage.json')).status, 404);
    const post = await get(full.url, '/v1/dashboard/overview', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.json().error.code, 'method_not_allowed');
  });

  test('a loopback dashboard refuses requests for another host name (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/v1/dashboard/overview', full.url), { headers: { Host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 421);
  });

  test('`segmenta dashboard --json` prints the URL, serves it, and stops on SIGTERM', async () => {
    // From src/ (under tsx) the CLI is main.ts and needs the tsx loader; from dist/ it is main.js.
    const fromSource = import.meta.url.endsWith('.ts');
    const main = new URL(`../../cli/main.${fromSource ? 'ts' : 'js'}`, import.meta.url).pathname;
    const child = spawn(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), main, 'dashboard', '--db', join(dir, 'empty.duckdb'), '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    try {
      const deadline = Date.now() + 15_000;
      while (!stdout.includes('}') && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
      const { url } = JSON.parse(stdout) as { url: string };
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const answer = await get(url, '/v1/dashboard/overview');
      assert.equal(answer.status, 200);
      assert.equal((JSON.parse(answer.text) as { state: string }).state, 'empty');
    } catch (error) {
      throw new Error(`segmenta dashboard: ${String(error)}; stdout ${JSON.stringify(stdout)}; stderr ${JSON.stringify(stderr)}`, { cause: error });
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0, stderr);
  });

  test('lets go of the database when idle: another command can write it, meanwhile 503 database_busy, then the new data shows', async () => {
    const db = await createEmptyDatabase(join(dir, 'shared.duckdb'));
    const dashboard = await startDashboard({ db, port: 0, idleCloseMs: 20, log: () => undefined });
    try {
      assert.equal((await get(dashboard.url, '/v1/dashboard/overview')).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const writer = await holdWriteLock(db);
      const busy = await get(dashboard.url, '/v1/dashboard/overview');
      assert.equal(busy.status, 503);
      assert.equal(busy.json().error.code, 'database_busy');
      await writer.release();
      const after = await get(dashboard.url, '/v1/dashboard/overview');
      assert.equal(after.status, 200);
      assert.equal((JSON.parse(after.text) as { state: string }).state, 'running');
    } finally {
      await dashboard.close();
    }
  });

  test('with the admin-token check (`--admin-token`), the API needs the token as in `segmenta serve`, and the pages stay open', async () => {
    const db = await createEmptyDatabase(join(dir, 'guarded.duckdb'));
    const dashboard = await startDashboard({ db, port: 0, authorize: (req) => adminRefusal(req, 'local-token'), log: () => undefined });
    try {
      const none = await get(dashboard.url, '/v1/dashboard/overview');
      assert.equal(none.status, 401);
      assert.deepEqual(none.json().error, { code: 'unauthorized', message: 'admin token is required: send "Authorization: Bearer <token>"', issues: [] });
      const wrong = await get(dashboard.url, '/v1/dashboard/overview', { headers: { Authorization: 'Bearer nope' } });
      assert.equal(wrong.json().error.message, 'admin token is not valid');
      assert.equal((await get(dashboard.url, '/v1/dashboard/overview', { headers: { Authorization: 'Bearer local-token' } })).status, 200);
      assert.equal((await get(dashboard.url, '/')).status, 200);
    } finally {
      await dashboard.close();
    }
  });

  test('a missing database file is a clear error, not an empty dashboard', async () => {
    await assert.rejects(startDashboard({ db: join(dir, 'missing.duckdb'), port: 0 }), {
      name: 'InputError',
      message: `database ${join(dir, 'missing.duckdb')} does not exist; create one with \`segmenta demo\` or \`segmenta import\` first`,
    });
  });
});
