/**
 * Builds the run summary shown by the CLI and the report, from the stored memberships and features:
 * per segment size, revenue and averages (SQL over `segment_memberships` ⋈ `customer_features`), the
 * centroids, the naming reason and the playbook strategy; per RFM segment the same totals.
 */
import type { FeatureMatrixRead } from '../features/index.js';
import type { CustomerSegmentation } from '../segments/clustering/index.js';
import type { Playbook } from '../strategies/index.js';
import type { Store } from '../store/db.js';
import type { RunContext, RunSummary, SegmentSummary } from './types.js';

interface SegmentTotals {
  cluster: number;
  customers: number;
  revenue: number;
  avg_recency: number | null;
  avg_frequency: number;
  avg_monetary: number;
}

export async function summariseSegments(
  store: Store,
  ctx: RunContext,
  asOf: Date,
  seg: CustomerSegmentation,
  read: FeatureMatrixRead,
  playbook: Playbook,
  timings: Record<string, number>,
): Promise<RunSummary> {
  const totals = await store.rows<SegmentTotals>(
    `SELECT m.cluster, count(*) AS customers, coalesce(sum(f.monetary), 0) AS revenue, avg(f.recency_days) AS avg_recency,
            avg(f.frequency) AS avg_frequency, avg(f.monetary) AS avg_monetary
       FROM segment_memberships m JOIN customer_features f USING (customer_id)
      WHERE m.run_id = $run GROUP BY m.cluster ORDER BY m.cluster`,
    { run: ctx.runId },
  );
  const overall = await store.rows<{ orders: number; revenue: number; customers: number }>(
    `SELECT coalesce(sum(frequency), 0) AS orders, coalesce(sum(monetary), 0) AS revenue, count(*) AS customers FROM customer_features`,
  );
  const { orders, revenue, customers } = overall[0]!;
  const clustered = read.matrix.rows;
  const cols = read.matrix.columns;
  const segments: SegmentSummary[] = seg.names.map((n) => {
    const t = totals.find((row) => row.cluster === n.cluster);
    const centroid: Record<string, number> = {};
    const zCentroid: Record<string, number> = {};
    cols.forEach((c, j) => {
      centroid[c] = seg.rawCentroids[n.cluster * cols.length + j]!;
      zCentroid[c] = seg.zCentroids[n.cluster * cols.length + j]!;
    });
    const size = Number(t?.customers ?? 0);
    return {
      cluster: n.cluster,
      name: n.name,
      family: n.family,
      reason: n.reason,
      size,
      share: clustered > 0 ? size / clustered : 0,
      revenue: Number(t?.revenue ?? 0),
      revenueShare: revenue > 0 ? Number(t?.revenue ?? 0) / revenue : 0,
      avgRecencyDays: t?.avg_recency ?? null,
      avgFrequency: Number(t?.avg_frequency ?? 0),
      avgMonetary: Number(t?.avg_monetary ?? 0),
      centroid,
      zCentroid,
      strategy: playbook[n.family],
    };
  });
  const rfm = await store.rows<{ segment: string; customers: number; revenue: number; avg_r: number; avg_f: number; avg_m: number }>(
    `SELECT m.rfm_segment AS segment, count(*) AS customers, sum(f.monetary) AS revenue, avg(f.recency_days) AS avg_r,
            avg(f.frequency) AS avg_f, avg(f.monetary) AS avg_m
       FROM segment_memberships m JOIN customer_features f USING (customer_id)
      WHERE m.run_id = $run AND m.rfm_segment IS NOT NULL GROUP BY 1 ORDER BY revenue DESC`,
    { run: ctx.runId },
  );
  return {
    runId: ctx.runId,
    createdAt: ctx.now.toISOString(),
    asOf: asOf.toISOString(),
    seed: ctx.seed,
    customers: Number(customers),
    clusteredCustomers: clustered,
    orders: Number(orders),
    revenue: Number(revenue),
    method: seg.method,
    k: seg.k,
    kChoice: {
      mode: seg.candidates.length > 1 ? 'auto' : 'fixed',
      candidates: seg.candidates.map((c) => ({ k: c.k, inertia: c.inertia, silhouette: c.silhouette })),
      elbowK: seg.elbowK,
      reason: seg.chosenBy,
    },
    silhouette: seg.silhouette,
    converged: seg.converged,
    iterations: seg.iterations,
    assignment: seg.assignment,
    fit: { rows: seg.fitFacts.fitRows, sampled: seg.fitFacts.sampled },
    stability: seg.stability,
    methodChoice: seg.methodChoice ? { rule: seg.methodChoice.rule, explanation: seg.methodChoice.explanation, comparedRows: seg.methodChoice.comparedRows } : null,
    features: cols,
    transforms: seg.transformText,
    imputed: read.imputed,
    droppedFeatures: read.dropped,
    segments,
    rfm: rfm.map((r) => ({ segment: r.segment, customers: Number(r.customers), revenue: Number(r.revenue), avgRecencyDays: Number(r.avg_r), avgFrequency: Number(r.avg_f), avgMonetary: Number(r.avg_m) })),
    timings,
  };
}
