/**
 * The static report end to end: `segmenta report --out report.html --svg-dir charts --json` (the CLI command, run in
 * process) on the dashboard's demo database (a 1,500-customer synthetic shop segmented twice with k chosen by
 * silhouette, and churn scores: `createDemoDatabase`) and on an empty one; then each written report.html opened from
 * disk (file://) in a real headless Chromium with JavaScript turned off. There must be no console error and no request
 * but the file itself; every chart the CLI listed must be an inline SVG on the page with its data marks; the segment
 * mix must show the sizes the database holds (SQL over segment_memberships); each --svg-dir file must parse as an SVG
 * document on its own. A full-page screenshot of each report goes to `test-artifacts/report/`.
 *
 * The browser tests need Chromium at /usr/bin/chromium (or $SEGMENTA_CHROMIUM): without it they are skipped, except
 * under CI (env `CI`), where its absence fails. The CLI checks run either way.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { reportCommand } from '../../cli/commands/report.js';
import type { Io } from '../../cli/output.js';
import { Store } from '../../store/db.js';
import { packageRoot } from '../server/assets.js';
import { createDemoDatabase, createEmptyDatabase } from '../server/testing.js';

const CHROMIUM = process.env.SEGMENTA_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const browserSkip = !hasChromium && !process.env.CI
  ? `Chromium is not installed at ${CHROMIUM}: the report's browser tests are skipped (apt-get install chromium to run them; under CI they fail instead)`
  : false;
const ARTIFACTS = join(packageRoot(import.meta.url), 'test-artifacts', 'report');

/** What `segmenta report --json` prints. */
interface ReportJson {
  readonly out: string;
  readonly bytes: number;
  readonly state: string;
  readonly message: string | null;
  readonly runId: string | null;
  readonly svgDir: string | null;
  readonly charts: readonly { id: string; title: string; width: number; height: number; marks: number; file: string | null }[];
}

/** Runs `segmenta report <args> --json` in process; returns the exit code and the parsed JSON. */
async function segmentaReport(args: string[]): Promise<{ code: number; json: ReportJson }> {
  const out: string[] = [];
  const io: Io = { out: (text) => out.push(text), err: (text) => out.push(text), interactive: false };
  const code = await reportCommand.run([...args, '--json'], io);
  return { code, json: JSON.parse(out.join('\n')) as ReportJson };
}

// Runs in the page (a string, since this package's TypeScript has no DOM types): parses an SVG file on its own.
const PARSE_SVG = `(source) => {
  const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
  const error = doc.querySelector('parsererror');
  const marks = new Set([...doc.querySelectorAll('[ecmeta_ssr_type="chart"]:not([ecmeta_silent])')]
    .map((m) => m.getAttribute('ecmeta_series_index') + '/' + m.getAttribute('ecmeta_data_index'))).size;
  return { error: error ? error.textContent : null, root: doc.documentElement.localName, marks };
}`;

let dir: string;
let demoDb: string;
let written: ReportJson;
let emptyWritten: ReportJson;
/** Customers per segment name in the latest run, from SQL. */
let sizes: Map<string, number>;
let customers: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-report-e2e-'));
  demoDb = (await createDemoDatabase(join(dir, 'demo'), { customers: 1_500, seed: 7 })).db;
  const store = await Store.open(demoDb, { readOnly: true });
  try {
    const run = await store.scalar<string>(`SELECT run_id FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC LIMIT 1`);
    const rows = await store.rows<{ name: string; n: number }>(`SELECT segment_name AS name, count(*) AS n FROM segment_memberships WHERE run_id = $run GROUP BY 1`, { run: run! });
    sizes = new Map(rows.map((r) => [r.name, r.n]));
    customers = (await store.scalar<number>(`SELECT count(*) FROM customer_features`))!;
  } finally {
    store.close();
  }
  const full = await segmentaReport(['--db', demoDb, '--out', join(dir, 'out', 'report.html'), '--svg-dir', join(dir, 'out', 'charts')]);
  assert.equal(full.code, 0);
  written = full.json;
  const empty = await segmentaReport(['--db', await createEmptyDatabase(join(dir, 'empty.duckdb')), '--out', join(dir, 'out', 'empty.html')]);
  assert.equal(empty.code, 0);
  emptyWritten = empty.json;
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('segmenta report on the demo database', () => {
  test('writes the report and one SVG file per chart, and lists them with their data marks', (t) => {
    const clusters = [...sizes.keys()].length;
    const ids = written.charts.map((c) => c.id);
    const radars = ids.filter((id) => id.startsWith('radar-'));
    assert.equal(radars.length, clusters);
    assert.deepEqual(ids, ['segment-mix', 'segment-revenue', 'segment-change', 'segment-heatmap', ...radars, 'cluster-map', 'rfm-grid', 'elbow', 'silhouette-by-k', 'cohort-retention', 'cohort-revenue', 'journey-funnel']);
    assert.equal(written.state, 'ready');
    const html = readFileSync(written.out, 'utf8');
    assert.equal(Buffer.byteLength(html), written.bytes);
    t.diagnostic(`report.html for the 1,500-customer demo database: ${written.bytes.toLocaleString('en-US')} bytes, ${written.charts.length} charts`);
    assert.match(html, /<h2>Predictions per segment<\/h2>/, 'the demo database has churn scores');
    for (const c of written.charts) {
      assert.ok(c.marks > 0, `${c.id} draws data`);
      assert.equal(c.file, join(dir, 'out', 'charts', `${c.id}.svg`));
      const svg = readFileSync(c.file!, 'utf8');
      assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg class="echart" data-chart="/);
      assert.ok(html.includes(svg.slice(svg.indexOf('<svg'), -1)), `${c.id}: the file is the report's inline SVG`);
    }
  });

  test('an empty database gets a report that says what to do', () => {
    assert.equal(emptyWritten.state, 'empty');
    assert.deepEqual(emptyWritten.charts, []);
    assert.match(emptyWritten.message ?? '', /import orders or events/);
  });
});

describe('the written report in headless Chromium (JavaScript off)', { skip: browserSkip }, () => {
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    if (!hasChromium) throw new Error(`CI is set and Chromium is missing at ${CHROMIUM}: the report's browser tests must run under CI (.ci/run installs it)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
    // No script at all: the charts must be drawn by the HTML and SVG alone.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  });

  after(async () => {
    await browser?.close();
  });

  /** Opens `file` from disk, recording console errors, page errors and every request. */
  async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    return { page, errors, requests };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  test('opens from disk with no console error, no request but the file, and every chart drawn with its data marks', async () => {
    const { page, errors, requests } = await open(written.out);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pathToFileURL(written.out).href]);
    assert.equal(await page.locator('script, link, img, iframe').count(), 0);
    for (const c of written.charts) {
      const svg = page.locator(`svg.echart[data-chart="${c.id}"]`);
      assert.equal(await svg.count(), 1, `${c.id}: one inline SVG`);
      const box = await svg.boundingBox();
      assert.ok(box && box.width > 150 && box.height > 100, `${c.id} is drawn ${box?.width}×${box?.height}`);
      const marks = await svg.evaluate((node) => new Set([...node.querySelectorAll('[ecmeta_ssr_type="chart"]:not([ecmeta_silent])')]
        .map((m) => `${m.getAttribute('ecmeta_series_index')}/${m.getAttribute('ecmeta_data_index')}`)).size);
      assert.equal(marks, c.marks, `${c.id}: data marks on the page`);
    }
    await screenshot(page, 'report');
    await page.close();
  });

  test('shows the database\'s numbers: customers, and the segment sizes on the mix\'s slices', async () => {
    const { page } = await open(written.out);
    assert.equal(Number(await page.getAttribute('[data-kpi="customers"]', 'data-value')), customers);
    const slices = await page.locator('svg[data-chart="segment-mix"] [ecmeta_ssr_type="chart"] > title').allTextContents();
    const shown = new Map(slices.map((t) => {
      const [name, line] = t.split('\n');
      return [name!, Number(/^([\d,]+) customers/.exec(line!)![1]!.replace(/,/g, ''))] as const;
    }));
    assert.deepEqual(shown, sizes);
    await page.close();
  });

  test('each --svg-dir file is a well-formed SVG document with the same data marks', async () => {
    const { page } = await open(written.out);
    for (const c of written.charts) {
      const text = readFileSync(c.file!, 'utf8');
      const parsed = await page.evaluate<{ error: string | null; root: string; marks: number }>(`(${PARSE_SVG})(${JSON.stringify(text)})`);
      assert.deepEqual(parsed, { error: null, root: 'svg', marks: c.marks }, c.id);
    }
    await page.close();
  });

  test('the report of an empty database explains itself, without charts', async () => {
    const { page, errors, requests } = await open(emptyWritten.out);
    assert.match(await page.locator('[data-notice="empty"]').innerText(), /No data yet: import orders or events/);
    assert.equal(await page.locator('svg').count(), 0);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pathToFileURL(emptyWritten.out).href]);
    await screenshot(page, 'empty');
    await page.close();
  });
});
