/**
 * The report's charts on the 600-customer synthetic shop segmented twice (`shop.fixture.ts`): every chart the report
 * promises is drawn to SVG by ECharts with one data mark per data item of the dashboard's payload, and the numbers
 * the marks and the page show equal the same numbers computed directly in SQL on the fixture's store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openShopFixture, SHOP_CUSTOMERS, type ShopFixture } from '../api/shop.fixture.js';
import { dataMarks } from '../svg/ssr-marks.js';
import { loadChartBuilders, type ChartBuilders } from './chart-builders.js';
import { buildReport, type BuiltReport } from './build-report.js';
import { REPORT_MAP_POINTS } from './report-charts.js';
import { loadReportData, type ReportData } from './report-data.js';

let shop: ShopFixture;
let report: BuiltReport;
let data: ReportData;
let b: ChartBuilders;

before(async () => {
  shop = await openShopFixture();
  report = await buildReport(shop.store);
  data = await loadReportData(shop.store);
  b = await loadChartBuilders();
});
after(() => shop.close());

async function sql<T>(text: string, params?: Record<string, string | number>): Promise<T[]> {
  return shop.store.rows<T>(text, params);
}

function svgOf(id: string): string {
  const chart = report.charts.find((c) => c.id === id);
  assert.ok(chart, `chart ${id} is in the report (charts: ${report.charts.map((c) => c.id).join(', ')})`);
  return chart.svg;
}

/** Distinct data indexes drawn per series, as plain arrays. */
function drawn(id: string): number[][] {
  const marks = dataMarks(svgOf(id));
  return [...marks.keys()].sort((x, y) => x - y).map((s) => [...marks.get(s)!].sort((x, y) => x - y));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The <title> of each data mark, unescaped, in document order. */
function titles(id: string): string[] {
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return [...svgOf(id).matchAll(/ecmeta_ssr_type="chart"[^>]*><title>([^<]*)<\/title>/g)].map((m) => unescape(m[1]!));
}

/** A number as the report prints it ("12,345", "67.8%") back to a number. */
const parse = (text: string) => Number(text.replace(/,/g, ''));

describe('the report draws the dashboard\'s charts', () => {
  test('every promised chart is there, in page order; elbow and silhouette by k need more than one k (the fixture fixes k = 4)', () => {
    const clusters = data.segments.segments.map((s) => `radar-${s.cluster}`);
    assert.deepEqual(report.charts.map((c) => c.id), [
      'segment-mix', 'segment-revenue', 'segment-change', 'segment-heatmap', ...clusters, 'cluster-map', 'rfm-grid',
      'cohort-retention', 'cohort-revenue', 'journey-funnel',
    ]);
    assert.equal(report.state, 'ready');
    assert.equal(report.runId, shop.latest.runId);
    for (const c of report.charts) {
      assert.ok(c.marks > 0, `${c.id} draws data`);
      assert.match(c.svg, /^<svg class="echart" data-chart="[a-z0-9-]+" role="img"[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* viewBox="0 0 \d+ \d+">/);
    }
  });

  test('each chart has one mark per data item of its payload', () => {
    const k = data.overview.segments.length;
    assert.deepEqual(drawn('segment-mix'), [range(k)]);
    assert.deepEqual(drawn('segment-revenue'), [range(k)]);
    assert.deepEqual(drawn('segment-change'), [range(data.overview.changes.length)]);
    const cells = data.segments.heatmap.values.flat().filter((z) => z !== null).length;
    assert.equal(cells, data.segments.heatmap.features.length * k);
    assert.deepEqual(drawn('segment-heatmap'), [range(cells)]);
    for (const s of data.segments.segments) assert.deepEqual(drawn(`radar-${s.cluster}`), [[0]]);
    assert.deepEqual(drawn('rfm-grid'), [range(25)]);
    const active = data.cohorts.cohorts.flatMap((c) => c.activeShare.filter((v) => v !== null)).length;
    assert.deepEqual(drawn('cohort-retention'), [range(active)]);
    assert.deepEqual(drawn('cohort-revenue'), [range(data.cohorts.cohorts.reduce((n, c) => n + c.revenue.length, 0))]);
    assert.deepEqual(drawn('journey-funnel'), [range(data.journeys.funnel.length)]);
  });

  test('the cluster map draws every sampled customer (600, within the report\'s budget of points) in its segment\'s colour', () => {
    assert.ok(SHOP_CUSTOMERS <= REPORT_MAP_POINTS);
    const svg = svgOf('cluster-map');
    const spec = b.clusterMapChart(data.segments, { maxPoints: REPORT_MAP_POINTS, wrapLegend: true })!;
    const perSeries = drawn('cluster-map').map((indexes) => indexes.length);
    assert.deepEqual(perSeries, spec.seriesSegments.map((s) => data.segments.clusterMap.points.filter((p) => p.cluster === s.cluster).length));
    assert.equal(perSeries.reduce((a, n) => a + n, 0), SHOP_CUSTOMERS);
    for (const s of spec.seriesSegments) assert.ok(svg.includes(`fill="${s.colour}"`), `${s.name} is drawn in ${s.colour}`);
  });
});

describe('the report\'s numbers equal the database', () => {
  test('segment sizes and revenue (SQL over memberships ⋈ features) in the mix and revenue charts, one colour per segment', async () => {
    const rows = await sql<{ name: string; n: number; revenue: number }>(
      `SELECT segment_name AS name, count(*) n, sum(monetary) revenue FROM segment_memberships JOIN customer_features USING (customer_id)
        WHERE run_id = $run GROUP BY 1`, { run: shop.latest.runId });
    const mix = titles('segment-mix');
    const revenue = titles('segment-revenue');
    assert.equal(mix.length, rows.length);
    for (const row of rows) {
      const slice = mix.find((t) => t.startsWith(`${row.name}\n`));
      assert.ok(slice, `a slice for ${row.name}`);
      assert.equal(parse(/\n([\d,]+) customers/.exec(slice)![1]!), row.n, `${row.name}: size`);
      assert.match(slice, new RegExp(`\\(${(100 * row.n / SHOP_CUSTOMERS).toFixed(1)}%\\)$`));
      const bar = revenue.find((t) => t.startsWith(`${row.name}\n`))!;
      assert.ok(Math.abs(parse(/revenue ([\d,.]+)/.exec(bar)![1]!) - row.revenue) <= 0.5, `${row.name}: revenue ${bar} vs ${row.revenue}`);
      const colour = data.overview.segments.find((s) => s.name === row.name)!.colour;
      assert.ok(svgOf('segment-mix').includes(`fill="${colour}"`) && svgOf('segment-revenue').includes(`fill="${colour}"`), `${row.name} in ${colour} on both`);
    }
  });

  test('the headline numbers are the sums over customer_features', async () => {
    const [row] = await sql<{ n: number; revenue: number; orders: number }>(`SELECT count(*) n, sum(monetary) revenue, sum(frequency)::DOUBLE orders FROM customer_features`);
    const kpi = (id: string) => new RegExp(`data-kpi="${id}" data-value="([^"]*)"[^>]*>[^<]*<b>([^<]*)</b>`).exec(report.html);
    assert.equal(Number(kpi('customers')![1]), row!.n);
    assert.equal(kpi('customers')![2], row!.n.toLocaleString('en-US'));
    assert.ok(Math.abs(Number(kpi('revenue')![1]) - row!.revenue) < 0.01);
    assert.equal(kpi('revenue')![2], Math.round(row!.revenue).toLocaleString('en-US'));
    assert.equal(Number(kpi('orders')![1]), row!.orders);
  });

  test('heatmap cells hold each segment\'s mean monetary value (SQL avg) and its z-score (SQL, population sd)', async () => {
    const [all] = await sql<{ mu: number; sd: number }>(`SELECT avg(monetary) mu, stddev_pop(monetary) sd FROM customer_features`);
    const rows = await sql<{ name: string; m: number }>(
      `SELECT segment_name AS name, avg(monetary) m FROM segment_memberships JOIN customer_features USING (customer_id) WHERE run_id = $run GROUP BY 1`, { run: shop.latest.runId });
    const cells = titles('segment-heatmap').filter((t) => t.split('\n')[1]!.startsWith('monetary: '));
    assert.equal(cells.length, rows.length);
    for (const row of rows) {
      const cell = cells.find((t) => t.startsWith(`${row.name}\n`))!;
      const [, mean, z] = /monetary: ([\d,.]+)\n([+-]?[\d.]+) sd/.exec(cell)!;
      assert.equal(mean, b.fmt.num(row.m), `${row.name}: mean`);
      assert.ok(Math.abs(Number(z) - (row.m - all!.mu) / all!.sd) <= 0.005 + 1e-9, `${row.name}: z ${z}`);
    }
  });

  test('RFM grid cells count the customers of each R × F score (SQL)', async () => {
    const rows = await sql<{ r: number; f: number; n: number }>(
      `SELECT rfm_r r, rfm_f f, count(*) n FROM segment_memberships WHERE run_id = $run AND rfm_r IS NOT NULL GROUP BY ALL`, { run: shop.latest.runId });
    const cells = titles('rfm-grid');
    assert.equal(cells.length, 25);
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const cell = cells.find((t) => t.startsWith(`R ${r} · F ${f}\n`))!;
        assert.equal(parse(/\n([\d,]+) customers/.exec(cell)![1]!), rows.find((x) => x.r === r && x.f === f)?.n ?? 0, `R ${r} F ${f}`);
      }
    }
  });

  test('cohorts: each month-0 cell counts the customers whose first purchase fell in that month, and their revenue then (SQL)', async () => {
    const asOf = shop.latest.asOf;
    const rows = await sql<{ cohort: string; n: number; revenue: number }>(
      `WITH firsts AS (SELECT customer_id, date_trunc('month', min(ordered_at)) m FROM orders WHERE kind = 'purchase' AND ordered_at < $asOf::TIMESTAMP GROUP BY 1)
       SELECT strftime(f.m, '%Y-%m') cohort, count(DISTINCT f.customer_id) n, sum(o.revenue) revenue
         FROM firsts f JOIN orders o ON o.customer_id = f.customer_id AND o.kind = 'purchase' AND date_trunc('month', o.ordered_at) = f.m AND o.ordered_at < $asOf::TIMESTAMP
        GROUP BY 1 ORDER BY 1`, { asOf });
    assert.ok(rows.length >= 6);
    const retention = titles('cohort-retention');
    const revenue = titles('cohort-revenue');
    for (const row of rows) {
      assert.ok(retention.includes(`${row.cohort}, month 0\n100.0% active (${row.n.toLocaleString('en-US')} of ${row.n.toLocaleString('en-US')})`), `${row.cohort}: ${row.n} customers`);
      const cell = revenue.find((t) => t.startsWith(`${row.cohort}, month 0\n`))!;
      assert.ok(Math.abs(parse(/revenue ([\d,.]+)/.exec(cell)![1]!) - row.revenue) <= 0.5, `${row.cohort}: ${cell} vs ${row.revenue}`);
    }
  });

  test('the funnel\'s first step counts the sessions with a product view (SQL), and the steps only narrow', async () => {
    const [pv] = await sql<{ n: number }>(`SELECT count(DISTINCT session_id) n FROM events WHERE event = 'Product Viewed' AND session_id IS NOT NULL`);
    const steps = titles('journey-funnel').map((t) => parse(/\n([\d,]+) sessions/.exec(t)![1]!));
    assert.equal(steps[0], pv!.n);
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i]! <= steps[i - 1]!);
  });
});

describe('the report page', () => {
  test('is self-contained: no script, stylesheet link, image, font or frame to load, and every id is unique', () => {
    assert.doesNotMatch(report.html, /<script|<link|<img|<iframe|src=|@import|@font-face|url\((?!#)/i);
    const ids = [...report.html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(new Set(ids).size, ids.length, 'ids repeat across charts');
    assert.equal(report.html.match(/<svg class="echart"/g)?.length, report.charts.length);
    assert.doesNotMatch(report.html, /NaN|undefined|\[object/);
  });

  test('keeps the strategy table, centroids, RFM segments and data quality', () => {
    for (const s of shop.latest.segments) {
      assert.ok(report.html.includes(s.strategy.goal.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;')), `strategy goal of ${s.name}`);
    }
    for (const heading of ['Strategy per segment', 'Segment centroids', 'RFM segments', 'Data quality', 'Cohorts', 'Journey funnel']) assert.match(report.html, new RegExp(`<h2>${heading}</h2>`));
    for (const r of data.quality.rules) assert.ok(report.html.includes(`<td>${r.id}</td>`), `quality rule ${r.id}`);
  });

  test('a mark\'s tooltip in the browser says what its <title> says in the SVG', () => {
    const spec = b.segmentMixChart(data.overview);
    const tooltip = b.describedTooltip(spec.describe)({ seriesIndex: 0, dataIndex: 0, marker: '' });
    assert.equal(tooltip, b.escapeHtml(titles('segment-mix')[0]!).replace(/\n/g, '<br>'));
  });
});
