/**
 * Test helpers for driving the dashboard in a real headless Chromium (playwright-core), shared by the dashboard's
 * end-to-end test and `segmenta serve`'s: where Chromium is and whether to skip, pages with their console errors
 * collected, waiting for a page to finish, probing its ECharts charts, and screenshots to
 * `test-artifacts/dashboard/`. Used by `*.e2e.test.ts` files only; never by production code.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { packageRoot } from './assets.js';

/** Where Chromium is (`SEGMENTA_CHROMIUM` overrides, e.g. to check the skip and the CI failure). */
export const CHROMIUM = process.env.SEGMENTA_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** The `skip` option of a browser suite: a reason without Chromium, except under CI (env `CI`), where it must fail. */
export const browserSkip: string | false = !hasChromium && !process.env.CI
  ? `Chromium is not installed at ${CHROMIUM}: the dashboard's browser tests are skipped (apt-get install chromium to run them; under CI they fail instead)`
  : false;
const ARTIFACTS = join(packageRoot(import.meta.url), 'test-artifacts', 'dashboard');

/** Headless Chromium and a 1280×900 context that accepts downloads; throws under CI when Chromium is missing. */
export async function launchBrowser(): Promise<{ browser: Browser; context: BrowserContext }> {
  if (!hasChromium) throw new Error(`CI is set and Chromium is missing at ${CHROMIUM}: the dashboard's browser tests must run under CI (.ci/run installs it)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  return { browser, context };
}

/** One chart as the browser sees it: its ECharts option's series and their data lengths. */
export interface ChartProbe {
  readonly id: string;
  readonly instance: boolean;
  readonly width: number;
  readonly series: readonly { readonly type: string; readonly points: number; readonly links: number }[];
  readonly saveAsImage: boolean;
  readonly csvButton: boolean;
}

// Runs in the page (a string, since this package's TypeScript has no DOM types).
const PROBE_CHARTS = `(() => [...document.querySelectorAll('[data-chart]')].map((box) => {
  const chart = window.echarts.getInstanceByDom(box);
  const option = chart ? chart.getOption() : null;
  const toolbox = option && option.toolbox && option.toolbox[0];
  return {
    id: box.dataset.chart,
    instance: Boolean(chart),
    width: box.getBoundingClientRect().width,
    series: option ? option.series.map((s) => ({ type: s.type, points: (s.data || []).length, links: (s.links || []).length })) : [],
    saveAsImage: Boolean(toolbox && toolbox.feature && toolbox.feature.saveAsImage),
    csvButton: Boolean(box.closest('.card') && box.closest('.card').querySelector('[data-csv="' + box.dataset.chart + '"]')),
  };
}))()`;

/** A page with its console errors and uncaught exceptions collected. */
export async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return { page, errors };
}

/** Navigates to `#/<route>` and waits until the page says it is done (or failed). */
export async function visit(page: Page, base: string, route: string): Promise<void> {
  await page.goto(`${base}#/${route}`);
  await waitDone(page);
}

export async function waitDone(page: Page): Promise<void> {
  await page.waitForSelector('main[data-status="done"], main[data-status="error"]', { timeout: 15_000 });
  assert.equal(await page.getAttribute('main', 'data-status'), 'done', `page failed: ${await page.locator('main').innerText()}`);
  // ECharts draws on the next animation frame.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/** Waits for `selector`; on a timeout, saves `failed-<name>.png` and reports what the page shows instead. */
export async function expectSelector(page: Page, selector: string, name: string): Promise<void> {
  try {
    await page.waitForSelector(selector, { timeout: 15_000 });
  } catch (error) {
    await screenshot(page, `failed-${name}`).catch(() => undefined);
    const shown = await page.locator('main').innerText().catch(() => '(no main)');
    throw new Error(`${name}: ${selector} did not appear at ${page.url()}; the page shows: ${shown.slice(0, 500)}`, { cause: error });
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function charts(page: Page): Promise<ChartProbe[]> {
  return page.evaluate<ChartProbe[]>(PROBE_CHARTS);
}

/** Every chart drawn, each series with data points, each with a PNG export and a CSV button. */
export function assertChartsHaveData(probes: readonly ChartProbe[], expected: readonly string[], page: string): void {
  const ids = probes.map((p) => p.id);
  for (const id of expected) assert.ok(ids.includes(id), `${page}: chart ${id} is missing (charts: ${ids.join(', ')})`);
  for (const p of probes) {
    assert.ok(p.instance, `${page}: chart ${p.id} has no ECharts instance`);
    assert.ok(p.width > 100, `${page}: chart ${p.id} is ${p.width}px wide`);
    assert.ok(p.series.length > 0, `${page}: chart ${p.id} has no series`);
    for (const s of p.series) assert.ok(s.points > 0, `${page}: chart ${p.id} has a ${s.type} series without data points`);
    assert.ok(p.saveAsImage, `${page}: chart ${p.id} has no PNG export`);
    assert.ok(p.csvButton, `${page}: chart ${p.id} has no CSV button`);
  }
}
