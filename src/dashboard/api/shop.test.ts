/**
 * The payloads on a 600-customer synthetic shop segmented twice: every number the dashboard shows equals the same
 * number computed directly in SQL, and every payload is plain JSON with finite numbers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InputError, NotFoundError } from '../../core/errors.js';
import { qualityReport } from '../../features/index.js';
import { cohorts, customerProfile, customerSearch, journeys, modelChoice, overview, quality, segmentMembers, segments } from './index.js';
import { assertJsonPayload } from './payload-check.fixture.js';
import { openShopFixture, SHOP_CUSTOMERS, type ShopFixture } from './shop.fixture.js';
import type { OverviewPayload, SegmentsPayload } from './types.js';

let shop: ShopFixture;
let ov: OverviewPayload;
let seg: SegmentsPayload;
const close = (a: number | null | undefined, b: number, what: string) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

before(async () => {
  shop = await openShopFixture();
  ov = await overview(shop.store);
  seg = await segments(shop.store);
});
after(() => shop.close());

async function sql<T = Record<string, unknown>>(text: string, params?: Record<string, string | number>): Promise<T[]> {
  return shop.store.rows<T>(text, params);
}

describe('overview', () => {
  test('overview KPIs equal the sums over customer_features', async () => {
    const [row] = await sql<{ n: number; active: number; revenue: number; orders: number; buyers: number; repeaters: number }>(
      `SELECT count(*) n, count(*) FILTER (WHERE recency_days <= 90) active, sum(monetary) revenue, sum(frequency)::DOUBLE orders,
              count(*) FILTER (WHERE frequency >= 1) buyers, count(*) FILTER (WHERE frequency >= 2) repeaters FROM customer_features`);
    assert.equal(ov.state, 'ready');
    assert.equal(ov.kpis?.customers, SHOP_CUSTOMERS);
    assert.equal(ov.kpis?.customers, row!.n);
    assert.equal(ov.kpis?.activeCustomers, row!.active);
    close(ov.kpis?.revenue, row!.revenue, 'revenue');
    assert.equal(ov.kpis?.orders, row!.orders);
    close(ov.kpis?.aov, row!.revenue / row!.orders, 'aov');
    close(ov.kpis?.repeatRate, row!.repeaters / row!.buyers, 'repeat rate');
    assert.equal(ov.run?.runId, shop.latest.runId);
    assert.equal(ov.previousRun?.runId, shop.previous.runId);
    assert.equal(ov.asOf, shop.latest.asOf);
    assertJsonPayload(ov);
  });

  test('overview segment mix equals the run summary and the size change equals the previous run in SQL', async () => {
    for (const s of shop.latest.segments) {
      const row = ov.segments.find((r) => r.cluster === s.cluster)!;
      assert.equal(row.name, s.name);
      assert.equal(row.family, s.family);
      assert.equal(row.size, s.size);
      close(row.revenue, s.revenue, `revenue of ${s.name}`);
      const [prev] = await sql<{ n: number }>(`SELECT count(*) n FROM segment_memberships WHERE run_id = $run AND segment_name = $name`, { run: shop.previous.runId, name: s.name });
      if (prev!.n > 0) assert.equal(row.sizeDelta, s.size - prev!.n);
      else assert.equal(row.sizeDelta, null);
    }
    assert.equal(ov.segments.reduce((a, s) => a + s.size, 0), SHOP_CUSTOMERS);
    close(ov.segments.reduce((a, s) => a + (s.share ?? 0), 0), 1, 'shares');
  });
});

describe('segments', () => {
  test('segment sizes, revenue and RFM averages equal SQL over memberships ⋈ features', async () => {
    const rows = await sql<{ cluster: number; n: number; revenue: number; r: number; f: number; m: number }>(
      `SELECT cluster, count(*) n, sum(monetary) revenue, avg(recency_days) r, avg(frequency) f, avg(monetary) m
         FROM segment_memberships JOIN customer_features USING (customer_id) WHERE run_id = $run GROUP BY cluster`, { run: shop.latest.runId });
    assert.equal(seg.segments.length, rows.length);
    for (const r of rows) {
      const s = seg.segments.find((x) => x.cluster === r.cluster)!;
      assert.equal(s.size, r.n);
      close(s.revenue, r.revenue, 'revenue');
      close(s.avgRecencyDays, r.r, 'recency');
      close(s.avgFrequency, r.f, 'frequency');
      close(s.avgMonetary, r.m, 'monetary');
      close(s.share, r.n / SHOP_CUSTOMERS, 'share');
      assert.equal(s.avgClv, null);
      assert.ok(s.strategy && typeof s.strategy.goal === 'string');
      assert.match(s.colour, /^#[0-9A-F]{6}$/i);
    }
    assertJsonPayload(seg);
  });

  test('heatmap z-scores are (segment mean − mean of all) / population sd of all, computed in SQL', async () => {
    const j = seg.heatmap.features.indexOf('monetary');
    const [all] = await sql<{ mu: number; sd: number }>(`SELECT avg(monetary) mu, stddev_pop(monetary) sd FROM customer_features`);
    seg.heatmap.segments.forEach((key, i) => {
      const s = seg.segments.find((x) => x.cluster === key.cluster)!;
      close(seg.heatmap.values[i]![j], (s.avgMonetary! - all!.mu) / all!.sd, `z of ${key.name}`);
      close(seg.heatmap.means[i]![j], s.avgMonetary!, `mean of ${key.name}`);
    });
    for (let f = 0; f < seg.radar.features.length; f++) {
      const column = seg.radar.values.map((row) => row[f]).filter((v): v is number => v !== null);
      assert.ok(column.every((v) => v >= 0 && v <= 1));
      if (column.length > 1 && new Set(column).size > 1) assert.deepEqual([Math.min(...column), Math.max(...column)], [0, 1]);
    }
  });

  test('RFM grid has 25 cells whose counts and monetary sums equal SQL', async () => {
    assert.equal(seg.rfmGrid.length, 25);
    const rows = await sql<{ r: number; f: number; n: number; m: number }>(
      `SELECT rfm_r r, rfm_f f, count(*) n, sum(monetary) m FROM segment_memberships JOIN customer_features USING (customer_id)
        WHERE run_id = $run AND rfm_r IS NOT NULL GROUP BY ALL`, { run: shop.latest.runId });
    for (const row of rows) {
      const cell = seg.rfmGrid.find((c) => c.r === row.r && c.f === row.f)!;
      assert.equal(cell.customers, row.n);
      close(cell.monetary, row.m, `monetary r${row.r} f${row.f}`);
    }
    assert.equal(seg.rfmGrid.reduce((a, c) => a + c.customers, 0), rows.reduce((a, r) => a + r.n, 0));
  });

  test('cluster map projects every sampled customer with its own cluster, the same points on a second call', async () => {
    assert.equal(seg.clusterMap.total, SHOP_CUSTOMERS);
    assert.equal(seg.clusterMap.sampled, SHOP_CUSTOMERS);
    const labels = new Map((await sql<{ customer_id: string; cluster: number }>(`SELECT customer_id, cluster FROM segment_memberships WHERE run_id = $run`, { run: shop.latest.runId })).map((r) => [r.customer_id, r.cluster]));
    for (const p of seg.clusterMap.points) assert.equal(p.cluster, labels.get(p.id));
    assert.equal(seg.clusterMap.explainedVarianceRatio.length, 2);
    const again = await segments(shop.store);
    assert.deepEqual(again.clusterMap, seg.clusterMap);
  });

  test('flows count every customer of either run once, pair counts equal SQL', async () => {
    assert.equal(seg.flows.fromRunId, shop.previous.runId);
    assert.equal(seg.flows.links.reduce((a, l) => a + l.customers, 0), SHOP_CUSTOMERS);
    const pairs = await sql<{ a: number; b: number; n: number }>(
      `SELECT p.cluster a, c.cluster b, count(*) n FROM segment_memberships p JOIN segment_memberships c USING (customer_id)
        WHERE p.run_id = $prev AND c.run_id = $cur GROUP BY ALL`, { prev: shop.previous.runId, cur: shop.latest.runId });
    for (const pair of pairs) assert.equal(seg.flows.links.find((l) => l.fromCluster === pair.a && l.toCluster === pair.b)?.customers, pair.n);
  });
});

describe('segment members', () => {
  test('members page through the segment sorted by monetary, descending by default', async () => {
    const cluster = seg.segments[0]!.cluster;
    const first = await segmentMembers(shop.store, cluster, { limit: 5 });
    assert.equal(first.total, seg.segments[0]!.size);
    assert.equal(first.sort, '-monetary');
    const [top] = await sql<{ m: number }>(`SELECT max(monetary) m FROM segment_memberships JOIN customer_features USING (customer_id) WHERE run_id = $run AND cluster = $c`, { run: shop.latest.runId, c: cluster });
    assert.equal(first.members[0]!.monetary, top!.m);
    const monetary = first.members.map((m) => m.monetary!);
    assert.deepEqual(monetary, [...monetary].sort((a, b) => b - a));
    const second = await segmentMembers(shop.store, cluster, { limit: 5, offset: 4, sort: '-monetary' });
    assert.equal(second.members[0]!.customerId, first.members[4]!.customerId);
    const byId = await segmentMembers(shop.store, cluster, { limit: 3, sort: 'customer_id' });
    assert.deepEqual(byId.members.map((m) => m.customerId), [...byId.members.map((m) => m.customerId)].sort());
    assertJsonPayload(first);
  });

  test('segment members rejects a bad sort, limit or cluster with the value received', async () => {
    await assert.rejects(segmentMembers(shop.store, 0, { sort: 'name' as never }), (e: unknown) => e instanceof InputError && /sort to be one of .* \(got "name"\)/.test(e.message));
    await assert.rejects(segmentMembers(shop.store, 0, { limit: 0 }), (e: unknown) => e instanceof InputError && /limit between 1 and 500 \(got 0\)/.test(e.message));
    await assert.rejects(segmentMembers(shop.store, 99), (e: unknown) => e instanceof NotFoundError && /segment 99 is not in run/.test(e.message));
  });
});

describe('model choice', () => {
  test('per-cluster silhouettes average to the silhouette the run stored (same space, all 600 customers)', async () => {
    const mc = await modelChoice(shop.store);
    assert.equal(mc.chosenK, 4);
    assert.equal(mc.method, 'kmeans');
    assert.deepEqual(mc.candidates.map((c) => c.k), shop.latest.kChoice.candidates.map((c) => c.k));
    assert.equal(mc.silhouetteSample?.size, SHOP_CUSTOMERS);
    assert.equal(mc.perCluster.reduce((a, c) => a + c.sampled, 0), SHOP_CUSTOMERS);
    const weighted = mc.perCluster.reduce((a, c) => a + c.sampled * c.silhouette!, 0) / SHOP_CUSTOMERS;
    assert.ok(Math.abs(weighted - shop.latest.silhouette) < 1e-6, `${weighted} vs ${shop.latest.silhouette}`);
    assert.equal(mc.dendrogram, null);
    assertJsonPayload(mc);
  });
});

describe('customers', () => {
  test('customer search finds ids by prefix first, then by substring, case-insensitively', async () => {
    const [some] = await sql<{ id: string }>(`SELECT customer_id id FROM customer_features ORDER BY customer_id LIMIT 1`);
    const prefix = some!.id.slice(0, 4).toLowerCase();
    const found = await customerSearch(shop.store, prefix, 10);
    assert.equal(found.results.length, 10);
    assert.ok(found.results.every((r) => r.id.toLowerCase().startsWith(prefix)));
    const inner = await customerSearch(shop.store, some!.id.slice(2));
    assert.ok(inner.results.some((r) => r.customerId === some!.id));
    assert.equal((await customerSearch(shop.store, 'no-such-id-zzz')).results.length, 0);
    await assert.rejects(customerSearch(shop.store, 'a', 0), /limit between 1 and 100 \(got 0\)/);
    assertJsonPayload(found);
  });

  test('customer profile adds the last events newest first and the predictions', async () => {
    const [busy] = await sql<{ id: string; n: number }>(
      `SELECT user_id id, count(*) n FROM events WHERE user_id IS NOT NULL GROUP BY 1 ORDER BY n DESC, id LIMIT 1`);
    const p = await customerProfile(shop.store, busy!.id);
    assert.equal(p.profile?.customerId, busy!.id);
    assert.ok(p.timeline.length <= 200 && p.timeline.length > 0);
    const times = p.timeline.map((e) => e.ts);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.deepEqual(p.predictions, []);
    assertJsonPayload(p);
    await shop.store.run(`INSERT INTO customer_predictions (customer_id, target, horizon_days, probability, model, as_of, created_at, run_id, cluster, segment_name)
      VALUES ($c, 'churn', 90, 0.25, 'gbt', '2030-01-01', '2030-01-02', NULL, NULL, NULL), ($c, 'segment', 0, 0.8, 'forest', '2030-01-01', '2030-01-02', $run, 2, 'Dormant')`,
    { c: busy!.id, run: shop.latest.runId });
    const withPredictions = await customerProfile(shop.store, busy!.id);
    assert.deepEqual(withPredictions.predictions.map((r) => [r.target, r.horizonDays, r.probability, r.cluster, r.segmentName]), [['churn', 90, 0.25, null, null], ['segment', 0, 0.8, 2, 'Dormant']]);
    await shop.store.run(`DELETE FROM customer_predictions`);
    await assert.rejects(customerProfile(shop.store, 'nobody-at-all'), NotFoundError);
  });
});

describe('journeys, cohorts, quality', () => {
  test('journeys fit every session with a step, the funnel only narrows, transitions are stochastic', async () => {
    const j = await journeys(shop.store);
    const [row] = await sql<{ n: number }>(`SELECT count(DISTINCT session_id) n FROM events WHERE session_id IS NOT NULL AND (type IN ('page', 'screen') OR event IN ('Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started', 'Order Completed'))`);
    assert.equal(j.state, 'ready');
    assert.equal(j.sample.sampled, false);
    assert.equal(j.sample.sessionsUsed, row!.n);
    for (const r of j.transitions) close(r.reduce((a, b) => a + b, 0), 1, 'row sum');
    for (let i = 1; i < j.funnel.length; i++) assert.ok(j.funnel[i]!.sessions <= j.funnel[i - 1]!.sessions);
    const [pv] = await sql<{ n: number }>(`SELECT count(DISTINCT session_id) n FROM events WHERE event = 'Product Viewed' AND session_id IS NOT NULL`);
    assert.equal(j.funnel[0]!.sessions, pv!.n);
    assertJsonPayload(j);
  });

  test('journeys sample whole sessions by seed when events exceed the budget, the same sample twice', async () => {
    const a = await journeys(shop.store, { maxEvents: 2000 });
    const b = await journeys(shop.store, { maxEvents: 2000 });
    assert.equal(a.sample.sampled, true);
    assert.ok(a.sample.sessionsUsed > 0);
    assert.match(a.message ?? '', /seeded sample/);
    assert.deepEqual(a, b);
  });

  test('cohort sizes add up to the buyers and month 0 is every member', async () => {
    const c = await cohorts(shop.store);
    const [row] = await sql<{ n: number }>(`SELECT count(*) n FROM customer_features WHERE frequency >= 1`);
    assert.equal(c.cohorts.reduce((a, r) => a + r.customers, 0), row!.n);
    for (const r of c.cohorts) assert.equal(r.activeShare[0], 1);
    assertJsonPayload(c);
  });

  test('quality reports the cleaning rules as of the run', async () => {
    const q = await quality(shop.store);
    const direct = await qualityReport(shop.store, new Date(shop.latest.asOf));
    assert.equal(q.rules.length, direct.rules.length);
    assert.equal(q.totals?.keptLines, direct.totals.keptLines);
    assert.equal(q.asOf, shop.latest.asOf);
    assertJsonPayload(q);
  });
});
