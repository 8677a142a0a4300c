/**
 * Segmentation runs by method on the small synthetic shop (generateShop 600 customers, seed 7, 240 days) in one
 * DuckDB file: a Ward run through the CLI (`segmenta segment --method ward --sample 400 --stability 4`), then a
 * Gaussian-mixture run and an `auto` run through the pipeline. Each stored run must serve every reader: its
 * memberships, names and strategies, segment placement (`loadRunModel`), live updates, the dashboard's model page
 * and the report.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { segmentCommand } from '../cli/commands/segment.js';
import type { Io } from '../cli/output.js';
import { modelChoice } from '../dashboard/api/index.js';
import { buildReport } from '../dashboard/report/index.js';
import { readFeatureMatrix } from '../features/index.js';
import { loadKmeansModel } from '../server/live/kmeans-model.js';
import { Store } from '../store/db.js';
import { importEvents, importOrders } from '../store/import/index.js';
import { generateShop } from '../synth/index.js';
import { loadRunModel, nearestCentroidLabels, toClusteringSpace } from './assign/index.js';
import { runLabels } from './assign/run-model.js';
import { runSegmentation, type RunSummary } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-segment-run-'));
const db = join(dir, 'shop.duckdb');
let store: Store;
let ward: RunSummary;
let customers: number;

function capture(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: () => undefined, interactive: false };
}

before(async () => {
  const shop = await generateShop({ customers: 600, seed: 7, out: join(dir, 'shop'), days: 240 });
  const importing = await Store.open(db);
  try {
    await importOrders(importing, { file: join(dir, 'shop', shop.files.orders) });
    await importEvents(importing, { file: join(dir, 'shop', shop.files.events) });
  } finally {
    importing.close();
  }
  const io = capture();
  const code = await segmentCommand.run(['--db', db, '--method', 'ward', '--sample', '400', '--stability', '4', '--seed', '5', '--as-of', shop.asOf, '--json'], io);
  assert.equal(code, 0);
  ward = JSON.parse(io.lines.join('\n')) as RunSummary;
  store = await Store.open(db);
  customers = Number(await store.scalar(`SELECT count(*) FROM customer_features`));
});
after(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface StoredRun { method: string; k: number; params: Record<string, unknown>; model: { centroids: number[]; columns: string[]; fit: Record<string, unknown> }; metrics: Record<string, unknown> }

async function storedRun(runId: string): Promise<StoredRun> {
  const row = (await store.rows<{ method: string; k: number; params: string; model: string; metrics: string }>(
    `SELECT method, k, params, model, metrics FROM segment_runs WHERE run_id = $run AND status = 'done'`, { run: runId },
  ))[0]!;
  return { method: row.method, k: Number(row.k), params: JSON.parse(row.params), model: JSON.parse(row.model), metrics: JSON.parse(row.metrics) };
}

/** Every customer has one membership with a cluster in 0..k−1 and that cluster's stored name; every segment has a strategy. */
async function assertCompleteRun(run: RunSummary): Promise<void> {
  const m = (await store.rows<{ n: number; distinct_customers: number; clusters: number; lo: number; hi: number; unnamed: number }>(
    `SELECT count(*) AS n, count(DISTINCT customer_id) AS distinct_customers, count(DISTINCT cluster) AS clusters, min(cluster) AS lo, max(cluster) AS hi,
            count(*) FILTER (WHERE segment_name IS NULL OR segment_name = '') AS unnamed
       FROM segment_memberships WHERE run_id = $run`, { run: run.runId },
  ))[0]!;
  assert.deepEqual({ n: Number(m.n), distinct: Number(m.distinct_customers), clusters: Number(m.clusters), lo: m.lo, hi: m.hi, unnamed: Number(m.unnamed) },
    { n: customers, distinct: customers, clusters: run.k, lo: 0, hi: run.k - 1, unnamed: 0 });
  assert.equal(run.segments.length, run.k);
  assert.equal(run.segments.reduce((s, seg) => s + seg.size, 0), customers);
  for (const seg of run.segments) {
    assert.ok(seg.name.length > 0 && seg.reason.length > 0, `segment ${seg.cluster} is named with a reason`);
    assert.ok(seg.strategy && seg.strategy.tactic.length > 0, `segment ${seg.cluster} has a strategy`);
  }
  const names = await store.rows<{ cluster: number; segment_name: string }>(`SELECT DISTINCT cluster, segment_name FROM segment_memberships WHERE run_id = $run ORDER BY cluster`, { run: run.runId });
  assert.deepEqual(names.map((r) => r.segment_name), [...run.segments].sort((a, b) => a.cluster - b.cluster).map((s) => s.name));
}

/** Segment placement with the stored model (as `predict segment` and live updates do) agrees with the run as the run says. */
async function assertPlacementAgrees(run: RunSummary, stored: StoredRun): Promise<void> {
  const model = await loadRunModel(store, run.runId);
  assert.equal(model.k, run.k);
  assert.equal(model.centroids.length, run.k * model.columns.length);
  const read = await readFeatureMatrix(store, model.columns);
  const placed = nearestCentroidLabels(model, toClusteringSpace(model, read.matrix));
  const labels = await runLabels(store, run.runId, read.matrix.ids);
  let same = 0;
  for (let i = 0; i < labels.length; i++) if (placed[i] === labels[i]) same++;
  assert.equal(same / labels.length, stored.metrics.placementAgreement);
}

describe('segmenta segment --method ward', () => {
  it('stores a ward run with the sample rule, k chosen by silhouette, and every customer in a named segment with a strategy', async () => {
    const stored = await storedRun(ward.runId);
    assert.equal(stored.method, 'ward');
    assert.equal(ward.method, 'ward');
    assert.equal(stored.k, ward.k);
    assert.deepEqual({ method: stored.params.method, k: stored.params.k, treeSample: stored.params.treeSample, stability: stored.params.stability }, { method: 'ward', k: 'auto', treeSample: 400, stability: 4 });
    assert.match(ward.assignment!, /^Ward's tree was built on a seeded sample of 400 of 600 customers and cut at k=\d+; the sampled customers keep their tree segment and every other customer joins the segment whose sample centroid/);
    assert.deepEqual(ward.fit, { rows: 400, sampled: true });
    assert.equal(stored.model.fit.centroids, 'sample member means');
    assert.match(ward.kChoice.reason, /^highest silhouette 0\.\d{3} among k=2\.\.10/);
    await assertCompleteRun(ward);
  });

  it('stores the bootstrap stability in the shape the model page draws', async () => {
    const s = (await storedRun(ward.runId)).metrics.stability as { mean: number; std: number; min: number; ari: number[]; resamples: number };
    assert.equal(s.ari.length, 4);
    assert.equal(s.resamples, 4);
    assert.ok(s.mean > 0 && s.mean <= 1 && s.min <= s.mean && s.std >= 0);
    assert.deepEqual(ward.stability, s);
  });

  it('places customers at the stored sample centroids, and the live model loads the run', async () => {
    const stored = await storedRun(ward.runId);
    await assertPlacementAgrees(ward, stored);
    assert.ok((stored.metrics.placementAgreement as number) > 0.95);
    const live = await loadKmeansModel(store, pino({ level: 'silent' }));
    assert.equal(live?.runId, ward.runId);
    assert.equal(live?.k, ward.k);
  });

  it('gives the dashboard\'s model page a Ward dendrogram of 200 sampled customers and the stored stability', async () => {
    const mc = await modelChoice(store);
    assert.equal(mc.run?.runId, ward.runId);
    assert.equal(mc.method, 'ward');
    assert.equal(mc.chosenK, ward.k);
    assert.ok(mc.candidates.length >= 2);
    assert.deepEqual(mc.stability, ward.stability);
    const d = mc.dendrogram!;
    assert.equal(d.method, 'ward');
    assert.equal(d.leaves, 200);
    assert.equal(d.merges.length, 199);
    assert.equal(d.leafClusters?.length, 200);
    assert.ok(d.leafClusters!.every((c) => c >= 0 && c < ward.k));
    assert.ok(mc.perCluster.every((c) => c.name.length > 0));
  });

  it('is readable by the report, which lists every segment', async () => {
    const report = await buildReport(store);
    for (const seg of ward.segments) assert.ok(report.html.includes(seg.name.replace(/&/g, '&amp;')), `report names ${seg.name}`);
  });
});

describe('runSegmentation with a Gaussian mixture and with auto', () => {
  let gmm: RunSummary;
  before(async () => {
    gmm = await runSegmentation(store, { method: 'gmm', k: 'auto', seed: 5, now: new Date(Date.now() + 60_000) });
  });

  it('stores a gmm run fitted on every customer, each in its most probable component, with names and strategies', async () => {
    const stored = await storedRun(gmm.runId);
    assert.equal(stored.method, 'gmm');
    assert.equal(gmm.method, 'gmm');
    assert.equal(stored.params.method, 'gmm');
    assert.match(gmm.assignment!, /^A \d+-component Gaussian mixture \(full covariances\) was fitted by EM on all 600 customers; each customer is in the segment of its most probable component\./);
    assert.equal(stored.model.fit.centroids, 'member means');
    assert.equal(gmm.stability, null, 'no stability without --stability');
    await assertCompleteRun(gmm);
    await assertPlacementAgrees(gmm, stored);
  });

  it('shows on the model page without a dendrogram or stability', async () => {
    const mc = await modelChoice(store);
    assert.equal(mc.method, 'gmm');
    assert.equal(mc.dendrogram, null);
    assert.equal(mc.stability, null);
  });

  it('--method auto stores the method it chose, the comparison and its reason, and the chosen model\'s stability', async () => {
    const run = await runSegmentation(store, { method: 'auto', k: 'auto', seed: 5, now: new Date(Date.now() + 120_000) });
    const stored = await storedRun(run.runId);
    assert.ok(['kmeans', 'ward', 'gmm'].includes(stored.method));
    assert.equal(stored.method, run.method);
    assert.equal(stored.params.method, 'auto');
    const choice = stored.metrics.methodChoice as { candidates: { method: string }[]; comparedRows: number; explanation: string };
    assert.equal(choice.candidates.length, 3 * 9);
    assert.equal(choice.comparedRows, 600);
    assert.match(run.kChoice.reason, new RegExp(`^--method auto compared kmeans, ward, gmm at k=2\\.\\.10 on all 600 customers: chose ${run.method} k=\\d+: `));
    assert.equal(run.methodChoice?.explanation, choice.explanation);
    assert.ok(run.stability && run.stability.mean >= 0 && run.stability.method === run.method);
    await assertCompleteRun(run);
  });
});
