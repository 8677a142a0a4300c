/**
 * The dashboard end to end: the real server (`startDashboard`, read-only) on a loopback port over databases this file
 * builds itself — a 1,500-customer synthetic shop segmented twice, an empty database and one whose only run is still
 * running — driven by a real headless Chromium through playwright-core. Every page must load without a console
 * error, every chart must hold data points, the Overview must show the database's own numbers, a segment must open
 * its members, the customer search must find a known id, and the empty and running databases must explain
 * themselves. A full-page screenshot of each page goes to `test-artifacts/dashboard/<page>.png`.
 *
 * The tests need Chromium at /usr/bin/chromium (or $SEGMENTA_CHROMIUM): without it they are skipped, except under
 * CI (env `CI`), where its absence fails. The HTTP-only checks are in `dashboard.http.test.ts`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { Store } from '../../store/db.js';
import { assertChartsHaveData, browserSkip, charts, expectSelector, launchBrowser, openPage, screenshot, visit, waitDone } from './browser-testing.js';
import { startDashboard, type DashboardHandle } from './index.js';
import { createDemoDatabase, createEmptyDatabase, createHierarchicalDatabase, createRunningDatabase, createSingletonSegmentDatabase, holdWriteLock, type DemoDatabase } from './testing.js';

/** What the database says, read before the (read-only) dashboard opens it. */
interface Truth {
  /** From the stored features (what the Overview reads) ... */
  readonly customers: number;
  readonly revenue: number;
  /** ... and from the raw tables: customers, and purchases before the run's as-of. */
  readonly raw: { readonly customers: number; readonly revenue: number; readonly orders: number };
  readonly runId: string;
  /** Customers per cluster in the latest run. */
  readonly sizes: ReadonlyMap<number, number>;
  readonly knownCustomer: { readonly id: string; readonly segment: string };
}

let dir: string;
let demo: DemoDatabase;
let truth: Truth;
let full: DashboardHandle;
let empty: DashboardHandle;
let running: DashboardHandle;
let singleton: DashboardHandle;
let hierarchical: DashboardHandle;
let lonely: { cluster: number; customerId: string };

async function readTruth(db: string): Promise<Truth> {
  const store = await Store.open(db, { readOnly: true });
  try {
    const kpis = (await store.rows<{ customers: number; revenue: number }>(`SELECT count(*) AS customers, sum(monetary)::DOUBLE AS revenue FROM customer_features`))[0]!;
    const runId = (await store.scalar<string>(`SELECT run_id FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC LIMIT 1`))!;
    const raw = (await store.rows<{ customers: number; revenue: number; orders: number }>(
      `SELECT (SELECT count(*) FROM customers) AS customers, sum(revenue)::DOUBLE AS revenue, count(*) AS orders
         FROM orders WHERE kind = 'purchase' AND ordered_at < (SELECT max(as_of) FROM feature_snapshots)`,
    ))[0]!;
    const sizes = await store.rows<{ cluster: number; n: number }>(`SELECT cluster, count(*) AS n FROM segment_memberships WHERE run_id = $run GROUP BY cluster`, { run: runId });
    const known = (await store.rows<{ customer_id: string; segment_name: string }>(
      `SELECT customer_id, segment_name FROM segment_memberships
        WHERE run_id = $run AND customer_id IN (SELECT customer_id FROM customer_predictions) ORDER BY customer_id LIMIT 1 OFFSET 42`, { run: runId },
    ))[0]!;
    return { customers: kpis.customers, revenue: kpis.revenue, raw, runId, sizes: new Map(sizes.map((s) => [s.cluster, s.n])), knownCustomer: { id: known.customer_id, segment: known.segment_name } };
  } finally {
    store.close();
  }
}

/** The pages of the full database: route, screenshot name, the charts each must show. */
const PAGES: readonly { route: string; name: string; charts: readonly string[] }[] = [
  { route: 'overview', name: 'overview', charts: ['segment-mix', 'segment-revenue', 'segment-change'] },
  { route: 'segments', name: 'segments', charts: ['segment-heatmap', 'radar-0', 'cluster-map', 'rfm-grid', 'segment-flows'] },
  { route: 'model', name: 'model', charts: ['elbow', 'silhouette-by-k', 'silhouette-per-segment'] },
  { route: 'customers', name: 'customers', charts: [] },
  { route: 'cohorts', name: 'cohorts', charts: ['cohort-retention', 'cohort-revenue'] },
  { route: 'journeys', name: 'journeys', charts: ['journey-flow', 'journey-purchase', 'journey-removal', 'journey-funnel'] },
  { route: 'quality', name: 'quality', charts: ['quality-rules'] },
];

describe('the dashboard in headless Chromium', { skip: browserSkip }, () => {
  let browser: Browser;
  let context: BrowserContext;

  // Chromium first: under CI without it, fail at once rather than after building the databases.
  before(async () => {
    ({ browser, context } = await launchBrowser());
  });

  after(async () => {
    await browser?.close();
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segmenta-dashboard-'));
    demo = await createDemoDatabase(join(dir, 'demo'), { customers: 1_500, seed: 7 });
    truth = await readTruth(demo.db);
    full = await startDashboard({ db: demo.db, port: 0, log: () => undefined });
    empty = await startDashboard({ db: await createEmptyDatabase(join(dir, 'empty.duckdb')), port: 0, log: () => undefined });
    running = await startDashboard({ db: await createRunningDatabase(join(dir, 'running.duckdb')), port: 0, log: () => undefined });
    const one = await createSingletonSegmentDatabase(demo.db, join(dir, 'singleton.duckdb'));
    lonely = { cluster: one.cluster, customerId: one.customerId };
    singleton = await startDashboard({ db: one.db, port: 0, log: () => undefined });
    hierarchical = await startDashboard({ db: await createHierarchicalDatabase(demo.db, join(dir, 'ward.duckdb')), port: 0, log: () => undefined });
  });

  after(async () => {
    await Promise.all([full, empty, running, singleton, hierarchical].filter(Boolean).map((d) => d.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every page loads without console errors and every chart has data points, a PNG export and a CSV button', async () => {
    const { page, errors } = await openPage(context);
    for (const p of PAGES) {
      await visit(page, full.url, p.route);
      assert.equal(await page.locator('h1').count(), 1, `${p.name}: one h1`);
      assert.deepEqual(errors, [], `${p.name}: console errors`);
      const probes = await charts(page);
      assertChartsHaveData(probes, p.charts, p.name);
      if (p.charts.length > 0) assert.ok(probes.length >= p.charts.length);
      await screenshot(page, p.name);
    }
    await page.close();
  });

  test('the Overview shows the numbers in the database: customers, revenue and the segment mix', async () => {
    const { page, errors } = await openPage(context);
    await visit(page, full.url, 'overview');
    const kpi = async (id: string) => ({
      value: Number(await page.getAttribute(`[data-kpi="${id}"]`, 'data-value')),
      text: (await page.locator(`[data-kpi="${id}"] .value`).innerText()).trim(),
    });
    const customers = await kpi('customers');
    const revenue = await kpi('revenue');
    assert.equal(customers.value, truth.customers);
    assert.equal(customers.text, truth.customers.toLocaleString('en-US'));
    assert.ok(Math.abs(revenue.value - truth.revenue) < 0.01, `revenue ${revenue.value} vs ${truth.revenue} in customer_features`);
    assert.equal(revenue.text, Math.round(truth.revenue).toLocaleString('en-US'));
    // The raw tables (the synthetic shop has nothing to clean) and the pipeline's own summary agree.
    assert.equal(customers.value, truth.raw.customers);
    assert.ok(Math.abs(revenue.value - truth.raw.revenue) < 0.01, `revenue ${revenue.value} vs ${truth.raw.revenue} in orders`);
    assert.equal((await kpi('orders')).value, truth.raw.orders);
    assert.equal(demo.latest.customers, truth.customers);
    assert.ok(Math.abs(demo.latest.revenue - truth.revenue) < 0.01);
    // The donut's slices are the run's segment sizes.
    const mix = await page.evaluate<{ name: string; value: number }[]>(
      `window.echarts.getInstanceByDom(document.querySelector('[data-chart="segment-mix"]')).getOption().series[0].data.map((d) => ({ name: d.name, value: d.value }))`,
    );
    assert.deepEqual(mix.map((d) => d.value).sort((a, b) => a - b), [...truth.sizes.values()].sort((a, b) => a - b));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a chart downloads its data as CSV', async () => {
    const { page } = await openPage(context);
    await visit(page, full.url, 'overview');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-csv="segment-mix"]')]);
    assert.equal(download.suggestedFilename(), 'segment-mix.csv');
    const lines = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
    assert.equal(lines[0], 'cluster,segment,customers,share,revenue,revenue_share');
    assert.equal(lines.length, 1 + truth.sizes.size);
    await page.close();
  });

  test('clicking a segment opens its members, paged, and a member opens the customer profile', async () => {
    const { page, errors } = await openPage(context);
    await visit(page, full.url, 'segments');
    const [cluster, size] = [...truth.sizes].sort((a, b) => b[1] - a[1])[0]!;
    await page.click(`tr[data-cluster="${cluster}"] button`);
    await expectSelector(page, `[data-members-of="${cluster}"]`, 'members');
    await waitDone(page);
    const range = async () => (await page.locator('[data-range]').innerText()).trim();
    assert.equal(await range(), `1–${Math.min(50, size)} of ${size.toLocaleString('en-US')}`);
    assert.equal(await page.locator(`[data-members-of="${cluster}"] tbody tr`).count(), Math.min(50, size));
    await screenshot(page, 'segment-members');
    if (size > 50) {
      await page.click('[data-pager] button:has-text("Next")');
      await expectSelector(page, '[data-range]:text-matches("^51–")', 'members page 2');
      await waitDone(page);
    }
    const first = page.locator(`[data-members-of="${cluster}"] tbody tr a`).first();
    const id = (await first.innerText()).trim();
    await first.click();
    await expectSelector(page, `h1:has-text("Customer ${id}")`, 'member profile');
    await waitDone(page);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the customer search finds a known id and opens its profile with its segment', async () => {
    const { page, errors } = await openPage(context);
    await visit(page, full.url, 'customers');
    const { id, segment } = truth.knownCustomer;
    await page.getByLabel('Customer id').fill(id);
    await page.getByRole('button', { name: 'Search' }).click();
    await expectSelector(page, '[data-results]', 'search results');
    await waitDone(page);
    const hit = page.locator(`[data-results] a[href="#/customers/${id}"]`);
    assert.equal(await hit.count(), 1, `search for ${id} lists it`);
    await screenshot(page, 'customer-search');
    await hit.click();
    await expectSelector(page, `h1:has-text("Customer ${id}")`, 'customer profile');
    await waitDone(page);
    assert.equal(await page.getAttribute('[data-profile-segment]', 'data-profile-segment'), segment);
    assertChartsHaveData(await charts(page), ['timeline', 'predictions'], 'customer profile');
    await screenshot(page, 'customer-profile');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an unknown customer id shows a friendly "not found", not a blank page', async () => {
    const { page, errors } = await openPage(context);
    await visit(page, full.url, 'customers/no-such-customer');
    assert.match(await page.locator('[data-notice="empty"]').innerText(), /no-such-customer/);
    // The browser logs the 404 answer itself; nothing else may fail.
    assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), []);
    await page.close();
  });

  test('an empty database shows a friendly message on every page, and no chart', async () => {
    const { page, errors } = await openPage(context);
    for (const p of PAGES) {
      await visit(page, empty.url, p.route === 'customers' ? 'customers?q=C0001' : p.route);
      const notice = page.locator('[data-notice]');
      assert.ok((await notice.count()) >= 1, `${p.name}: a notice on the empty database`);
      assert.match(await notice.first().innerText(), /import|No data|nothing/i, `${p.name}: the notice says what to do`);
      assert.equal((await charts(page)).length, 0, `${p.name}: no charts on the empty database`);
      if (p.route === 'overview') await screenshot(page, 'empty-overview');
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a segment with a single customer draws every chart and lists its one member', async () => {
    const { page, errors } = await openPage(context);
    await visit(page, singleton.url, 'segments');
    assertChartsHaveData(await charts(page), ['segment-heatmap', `radar-${lonely.cluster}`, 'cluster-map', 'rfm-grid'], 'segments with a singleton');
    await visit(page, singleton.url, `segments/${lonely.cluster}`);
    await expectSelector(page, `[data-members-of="${lonely.cluster}"]`, 'singleton members');
    assert.equal(await page.locator('[data-range]').innerText(), '1–1 of 1');
    assert.equal((await page.locator(`[data-members-of="${lonely.cluster}"] tbody tr a`).innerText()).trim(), lonely.customerId);
    assert.match(await page.locator(`[data-members-of="${lonely.cluster}"]`).innerText(), /single customer/);
    await screenshot(page, 'singleton-segment');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a hierarchical run shows its dendrogram, and a stored stability its bootstrap agreement', async () => {
    const { page, errors } = await openPage(context);
    await visit(page, hierarchical.url, 'model');
    assertChartsHaveData(await charts(page), ['elbow', 'silhouette-by-k', 'silhouette-per-segment', 'stability', 'dendrogram'], 'model of a hierarchical run');
    const merges = await page.evaluate<number>(`window.echarts.getInstanceByDom(document.querySelector('[data-chart="dendrogram"]')).getOption().series[0].data.length`);
    assert.ok(merges >= 10, `the dendrogram draws its merges (got ${merges})`);
    await screenshot(page, 'model-hierarchical');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('while another command writes the database, the page says so instead of failing', async () => {
    const db = await createEmptyDatabase(join(dir, 'busy.duckdb'));
    const dashboard = await startDashboard({ db, port: 0, idleCloseMs: 20, log: () => undefined });
    const writer = await holdWriteLock(db).catch(async (error: unknown) => {
      await dashboard.close();
      throw error;
    });
    try {
      const { page, errors } = await openPage(context);
      await visit(page, dashboard.url, 'segments');
      assert.match(await page.locator('[data-notice="running"]').innerText(), /in progress/i);
      await screenshot(page, 'busy-segments');
      // The browser logs the 503 answer itself; nothing else may fail.
      assert.deepEqual(errors.filter((e) => !/status of 503/.test(e)), []);
      await page.close();
    } finally {
      await writer.release();
      await dashboard.close();
    }
  });

  test('a run in progress is announced instead of an empty page', async () => {
    const { page, errors } = await openPage(context);
    await visit(page, running.url, 'overview');
    assert.match(await page.locator('[data-notice="running"]').innerText(), /in progress/i);
    await screenshot(page, 'running-overview');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
