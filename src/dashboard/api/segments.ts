/**
 * The segments page: per segment of the newest finished run its size, revenue, RFM averages, CLV and playbook
 * strategy; the feature heatmap (z-scores) and radar (0..1), the RFM R×F grid, a 2-D PCA map of a seeded sample
 * and the flows from the previous run.
 */
import { CLUSTER_FEATURES } from '../../segments/clustering/index.js';
import type { Store } from '../../store/db.js';
import { clusterMap } from './cluster-map.js';
import { sampleClusteringSpace } from './clustering-sample.js';
import { minMaxTable, zScoreTable } from './feature-tables.js';
import { segmentFlows } from './flows.js';
import { finiteOr, finiteOrNull, ratio } from './numbers.js';
import { keyOnly, loadRunState, pageState, segmentKey, tableColumns, tableExists } from './run-state.js';
import { segmentStats, type ClusterStats, type RfmCellStats } from './segment-stats.js';
import { stringArray } from './stored-json.js';
import type { RfmCell, SegmentRow, SegmentsPayload } from './types.js';

/** The RFM averages every segment row shows, whether or not the run clustered on them. */
const RFM_COLUMNS = ['recency_days', 'frequency', 'monetary'] as const;

/** A `customer_features` column holding CLV: `clv`, `predicted_clv`, `clv_12m`, ... */
const CLV_COLUMN = /^(predicted_)?clv(_|$)/i;

/**
 * The segments payload. Cost at 1M customers: one grouped join (sizes, means, RFM grid), one top-N sample of 5,000
 * rows with a 2-D PCA, one outer join of two runs' memberships for the flows; about a second.
 */
export async function segments(store: Store): Promise<SegmentsPayload> {
  const rs = await loadRunState(store);
  const base = pageState(rs);
  const run = rs.latest;
  if (!run) {
    return {
      ...base, run: null, features: [], segments: [], heatmap: { features: [], segments: [], values: [], means: [] },
      radar: { features: [], segments: [], values: [] }, rfmGrid: [], clusterMap: clusterMap(null, 0), flows: { fromRunId: null, toRunId: null, links: [] },
    };
  }
  const featureColumns = await tableColumns(store, 'customer_features');
  const hasFeatures = featureColumns.length > 0;
  const available = new Set(featureColumns);
  const features = (stringArray(run.model.columns) ?? [...CLUSTER_FEATURES]).filter((c) => available.has(c));
  const extra = RFM_COLUMNS.filter((c) => available.has(c) && !features.includes(c));
  const averaged = [...features, ...extra];
  const clvColumn = featureColumns.find((c) => CLV_COLUMN.test(c)) ?? null;
  const stats = await segmentStats(store, run.ref.runId, { hasFeatures, features: averaged, rfm: true, clvColumn });
  const clvFromPredictions = clvColumn === null ? await predictedClvByCluster(store, run.ref.runId) : null;

  const meanOf = (c: ClusterStats, column: string) => {
    const j = averaged.indexOf(column);
    return j < 0 ? null : c.means[j] ?? null;
  };
  const rows: SegmentRow[] = stats.clusters.map((c) => {
    const key = segmentKey(run, c.cluster, c.segmentName);
    return {
      ...keyOnly(key),
      reason: key.reason,
      size: c.size,
      share: ratio(c.size, stats.overall.size),
      revenue: c.revenue,
      revenueShare: ratio(c.revenue, stats.overall.revenue),
      avgRecencyDays: meanOf(c, 'recency_days'),
      avgFrequency: meanOf(c, 'frequency'),
      avgMonetary: meanOf(c, 'monetary'),
      avgClv: clvColumn !== null ? c.clv : clvFromPredictions?.get(c.cluster) ?? null,
      strategy: key.strategy,
    };
  });
  const keys = rows.map(keyOnly);
  const featureStats = stats.clusters.map((c) => ({ ...c, means: c.means.slice(0, features.length), sds: c.sds.slice(0, features.length) }));
  const overall = { ...stats.overall, means: stats.overall.means.slice(0, features.length), sds: stats.overall.sds.slice(0, features.length) };
  const sample = hasFeatures ? await sampleClusteringSpace(store, run, featureColumns) : null;
  return {
    ...base,
    run: run.ref,
    features,
    segments: rows,
    heatmap: { features, segments: keys, values: zScoreTable(featureStats, overall), means: featureStats.map((c) => [...c.means]) },
    radar: { features, segments: keys, values: minMaxTable(featureStats, features.length) },
    rfmGrid: rfmGrid(stats.rfm),
    clusterMap: clusterMap(sample, stats.overall.size),
    flows: rs.previous
      ? { fromRunId: rs.previous.runId, toRunId: run.ref.runId, links: await segmentFlows(store, rs.previous.runId, run) }
      : { fromRunId: null, toRunId: run.ref.runId, links: [] },
  };
}

/** All 25 R×F cells (r-major), zero where no customer falls. O(25 + cells). */
function rfmGrid(cells: readonly RfmCellStats[]): RfmCell[] {
  const out: RfmCell[] = [];
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const cell = cells.find((c) => c.r === r && c.f === f);
      out.push({ r, f, customers: cell?.customers ?? 0, monetary: cell?.monetary ?? 0 });
    }
  }
  return out;
}

/**
 * Mean predicted CLV per cluster from `customer_predictions` rows with target 'clv' (the newest row per customer),
 * or null when there are none. Cost: an existence check, and when rows exist one join with the run's memberships.
 */
async function predictedClvByCluster(store: Store, runId: string): Promise<Map<number, number | null> | null> {
  if (!(await tableExists(store, 'customer_predictions'))) return null;
  if (!(await store.scalar<boolean>(`SELECT EXISTS (SELECT 1 FROM customer_predictions WHERE target = 'clv')`))) return null;
  const read = await store.readColumns(
    `SELECT m.cluster, avg(p.probability) AS clv
       FROM segment_memberships m
       JOIN (SELECT customer_id, probability FROM customer_predictions WHERE target = 'clv'
             QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, as_of DESC) = 1) p USING (customer_id)
      WHERE m.run_id = $run GROUP BY m.cluster`,
    { run: runId },
  );
  const clusters = read.columns.cluster ?? [];
  const values = read.columns.clv ?? [];
  return new Map(clusters.map((c, i) => [finiteOr(c), finiteOrNull(values[i])]));
}
