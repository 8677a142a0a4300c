/**
 * The dashboard inside `segmenta serve`, end to end: the real service on a loopback port over a synthetic shop
 * (600 customers, segmented twice) built here, driven by a real headless Chromium through playwright-core. The page
 * at /dashboard/ asks for the admin token (its data is the service's read API), says so plainly when the token is
 * wrong, and once signed in shows the Overview and Segments with every chart drawn and the numbers the API serves,
 * without a console error, also while a writer ingests batches. Screenshots go to `test-artifacts/dashboard/serve-*.png`.
 *
 * Needs Chromium at /usr/bin/chromium (or $SEGMENTA_CHROMIUM): skipped without it, except under CI (env `CI`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertChartsHaveData, browserSkip, charts, expectSelector, launchBrowser, openPage, screenshot, waitDone } from '../dashboard/server/browser-testing.js';
import { createDemoDatabase } from '../dashboard/server/testing.js';
import { startTestServer, TEST_ADMIN, track, type TestServer } from './testing.js';

/** Charts each page must draw (as in the dashboard's own end-to-end test). */
const OVERVIEW_CHARTS = ['segment-mix', 'segment-revenue', 'segment-change'];
const SEGMENTS_CHARTS = ['segment-heatmap', 'cluster-map', 'rfm-grid', 'segment-flows'];

describe('the dashboard in segmenta serve, in headless Chromium', { skip: browserSkip }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let server: TestServer;

  before(async () => {
    ({ browser, context } = await launchBrowser());
    const dir = mkdtempSync(join(tmpdir(), 'segmenta-serve-dashboard-e2e-'));
    const demo = await createDemoDatabase(join(dir, 'demo'), { customers: 600, seed: 7 });
    server = await startTestServer({ db: demo.db }, dir);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Navigates within the signed-in app and waits until the page is done. */
  async function open(page: Page, route: string): Promise<void> {
    await page.goto(`${server.url}/dashboard/#/${route}`);
    await waitDone(page);
  }

  test('asks for the admin token, refuses a wrong one plainly, and once signed in shows the overview and segments, also while a writer ingests', async () => {
    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/dashboard/`);
    await expectSelector(page, 'form[data-sign-in]', 'sign-in form');
    assert.match(await page.locator('main').innerText(), /needs the admin token: the one given to segmenta serve/);
    await screenshot(page, 'serve-sign-in');

    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectSelector(page, '[data-notice="error"]:has-text("not accepted")', 'refused token');
    assert.match(await page.locator('[data-notice="error"]').innerText(), /Admin token is not valid\. Check the token and sign in again\./);
    // The browser logs each 401 answer itself; nothing else may fail.
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
    errors.length = 0;

    await page.getByLabel('Admin token').fill(TEST_ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectSelector(page, 'main[data-page="overview"] [data-kpi="customers"]', 'overview after sign-in');
    await waitDone(page);
    assertChartsHaveData(await charts(page), OVERVIEW_CHARTS, 'overview in serve');
    // Every number on screen comes from the API: the page shows what GET /v1/dashboard/overview says.
    const api = (await server.get('/v1/dashboard/overview')).body as { kpis: { customers: number; revenue: number; orders: number } };
    for (const kpi of ['customers', 'revenue', 'orders'] as const) {
      assert.equal(Number(await page.getAttribute(`[data-kpi="${kpi}"]`, 'data-value')), api.kpis[kpi], kpi);
    }
    assert.equal(await page.isVisible('#sign-out'), true);
    await screenshot(page, 'serve-overview');

    let ingesting = true;
    let batchesDuringPages = 0;
    const ingestion = (async () => {
      const statuses: number[] = [];
      while (ingesting) {
        statuses.push((await server.post('/v1/batch', { batch: Array.from({ length: 200 }, () => track()) })).status);
        batchesDuringPages++;
      }
      return statuses;
    })();
    try {
      await open(page, 'segments');
      assertChartsHaveData(await charts(page), SEGMENTS_CHARTS, 'segments in serve while ingesting');
      await screenshot(page, 'serve-segments');
      await open(page, 'overview');
      assertChartsHaveData(await charts(page), OVERVIEW_CHARTS, 'overview in serve while ingesting');
    } finally {
      ingesting = false;
    }
    const statuses = await ingestion;
    assert.ok(batchesDuringPages > 0, 'batches were posted while the pages loaded');
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.deepEqual(errors, [], 'no console error once signed in');

    await page.click('#sign-out');
    await expectSelector(page, 'form[data-sign-in]', 'sign-in form after signing out');
    assert.equal(await page.evaluate<string | null>(`sessionStorage.getItem('segmenta.adminToken')`), null);
    await page.close();
  });
});
