/**
 * The report on databases that are not simply "ready": empty, imported but not segmented, a run in progress (with
 * and without a finished run before it), a run older than the newest, and a run that compared several k (elbow and
 * silhouette by k). The tests of "choosing the run" run in order on one shop, each adding a run. Expected k
 * candidates come from the run itself (`runSegmentation`'s summary, which is what the database stores).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NotFoundError } from '../../core/errors.js';
import { runSegmentation } from '../../pipeline/index.js';
import { Store } from '../../store/db.js';
import { importOrders } from '../../store/import/index.js';
import { generateShop } from '../../synth/index.js';
import { openShopFixture, type ShopFixture } from '../api/shop.fixture.js';
import { createEmptyDatabase, createRunningDatabase } from '../server/testing.js';
import { dataMarks } from '../svg/ssr-marks.js';
import { buildReport } from './build-report.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmenta-report-states-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function reportOn(file: string) {
  const store = await Store.open(file, { readOnly: true });
  try {
    return await buildReport(store);
  } finally {
    store.close();
  }
}

describe('a database with nothing to chart', () => {
  test('an empty database gives a page that says to import and segment, without charts', async () => {
    const report = await reportOn(await createEmptyDatabase(join(dir, 'empty.duckdb')));
    assert.equal(report.state, 'empty');
    assert.equal(report.runId, null);
    assert.deepEqual(report.charts, []);
    assert.match(report.html, /<div class="notice empty" role="status" data-notice="empty"><h2>Nothing to report yet<\/h2><p>No data yet: import orders or events \(<code>segmenta import<\/code>\), then run <code>segmenta segment<\/code>\.<\/p><\/div>/);
    assert.doesNotMatch(report.html, /<svg|Data quality/);
  });

  test('a run in progress with none finished is announced', async () => {
    const report = await reportOn(await createRunningDatabase(join(dir, 'running.duckdb')));
    assert.equal(report.state, 'running');
    assert.deepEqual(report.charts, []);
    assert.match(report.html, /data-notice="running"><h2>A segmentation run is in progress<\/h2>/);
  });

  test('imported but not segmented: says to run segmenta segment, and shows the cohorts and data quality already', async () => {
    const shop = await generateShop({ customers: 40, seed: 3, out: join(dir, 'shop'), days: 220 });
    const store = await Store.open(':memory:');
    try {
      await importOrders(store, { file: join(dir, 'shop', shop.files.orders) });
      const report = await buildReport(store);
      assert.equal(report.state, 'empty');
      assert.match(report.html, /The data is imported but not segmented yet: run <code>segmenta segment<\/code>/);
      assert.match(report.html, /<h2>Data quality<\/h2><div class="card" data-section="quality"><p class="hint">Kept [\d,]+ of [\d,]+ order lines/);
      assert.deepEqual(report.charts.map((c) => c.id), ['cohort-retention', 'cohort-revenue'], 'cohorts need orders, not a run; no events, no funnel');
      assert.match(report.html, /<h2>Cohorts<\/h2>/);
    } finally {
      store.close();
    }
  });
});

describe('choosing the run', () => {
  let shop: ShopFixture;
  before(async () => {
    shop = await openShopFixture();
  });
  after(() => shop.close());

  test('an older run is drawn from its stored summary, and the page says why it has fewer charts', async () => {
    const report = await buildReport(shop.store, { runId: shop.previous.runId });
    assert.equal(report.runId, shop.previous.runId);
    assert.deepEqual(report.charts, []);
    assert.match(report.message ?? '', new RegExp(`^Run ${shop.previous.runId} is older than the newest finished run ${shop.latest.runId}`));
    assert.match(report.html, new RegExp(`Run ${shop.previous.runId} · as of`));
    assert.match(report.html, /<h2>Segment centroids<\/h2>/);
    const latest = await buildReport(shop.store, { runId: shop.latest.runId });
    assert.ok(latest.charts.length > 0, 'naming the newest run gives the full report');
  });

  test('an unknown run is NotFound, naming it', async () => {
    await assert.rejects(buildReport(shop.store, { runId: 'run-nope' }), (e: unknown) => e instanceof NotFoundError && e.message === 'no finished segmentation run run-nope');
  });

  test('a run that compared k = 2..10 gets the elbow and silhouette charts, one point per k, the chosen k marked but not counted', async () => {
    const auto = await runSegmentation(shop.store, { k: 'auto', seed: 11, asOf: new Date(shop.latest.asOf), now: new Date('2030-01-03T00:00:00Z') });
    const candidates = auto.kChoice.candidates;
    assert.ok(candidates.length > 2);
    const report = await buildReport(shop.store);
    assert.equal(report.runId, auto.runId);
    const svg = (id: string) => report.charts.find((c) => c.id === id)!.svg;
    for (const id of ['elbow', 'silhouette-by-k']) {
      assert.deepEqual([...dataMarks(svg(id))].map(([s, d]) => [s, d.size]), [[0, candidates.length]], id);
      assert.match(svg(id), new RegExp(`chosen k = ${auto.k}`));
    }
    const silhouettes = [...svg('silhouette-by-k').matchAll(/<title>k = (\d+)\nsilhouette ([\d.-]+)<\/title>/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.deepEqual(silhouettes, candidates.map((c) => [c.k, Number(c.silhouette.toFixed(3))]));
    assert.match(report.html, /<h2>How k was chosen<\/h2>/);
  });

  test('while a newer run is in progress, the report shows the last finished run under a banner', async () => {
    const finished = (await buildReport(shop.store)).runId;
    await shop.store.run(`INSERT INTO segment_runs (run_id, created_at, status, method) VALUES ('run-in-progress', TIMESTAMP '2031-01-01 00:00:00', 'running', 'kmeans')`);
    const report = await buildReport(shop.store);
    assert.equal(report.state, 'running');
    assert.equal(report.runId, finished);
    assert.ok(report.charts.length > 0);
    assert.match(report.html, new RegExp(`data-notice="running"><h2>A segmentation run is in progress</h2><p>A segmentation run started [^<]+ is in progress; showing the previous run ${finished} until it finishes\\.</p>`));
  });
});
