/**
 * The overview page: the customer base in a few numbers (customers, active, revenue, orders, AOV, repeat rate), the
 * segment mix of the newest finished run and how each segment's size changed since the run before.
 */
import type { Store } from '../../store/db.js';
import { finiteOr, isoOrNull, ratio } from './numbers.js';
import { keyOnly, loadRunState, pageState, segmentKey, tableExists } from './run-state.js';
import { segmentStats, sizesByName } from './segment-stats.js';
import type { OverviewKpis, OverviewPayload, SegmentChange, SegmentMixRow } from './types.js';

/** A customer is active when the last purchase is at most this many whole days before as-of. */
export const ACTIVE_DAYS = 90;

/**
 * The overview payload. Cost: one scan of `customer_features` for the KPIs, one join of the run's memberships
 * with the features for the mix, one scan of the previous run's memberships; well under a second at 1M customers.
 */
export async function overview(store: Store): Promise<OverviewPayload> {
  const rs = await loadRunState(store);
  const base = pageState(rs);
  const hasFeatures = await tableExists(store, 'customer_features');
  const featuresAsOf = hasFeatures ? await latestFeaturesAsOf(store) : null;
  const empty: OverviewPayload = {
    ...base, run: null, previousRun: null, asOf: null, featuresAsOf, kpis: null, segments: [], changes: [],
  };
  const run = rs.latest;
  if (!run) return empty;

  const kpis = hasFeatures ? await readKpis(store) : null;
  const stats = await segmentStats(store, run.ref.runId, { hasFeatures });
  const previous = rs.previous ? await sizesByName(store, rs.previous.runId) : null;
  const total = stats.overall.size;
  const segments: SegmentMixRow[] = stats.clusters.map((c) => {
    const key = segmentKey(run, c.cluster, c.segmentName);
    const previousSize = previous ? previous.get(key.name) ?? null : null;
    return {
      ...keyOnly(key),
      size: c.size,
      share: ratio(c.size, total),
      revenue: c.revenue,
      revenueShare: ratio(c.revenue, stats.overall.revenue),
      previousSize,
      sizeDelta: previousSize === null ? null : c.size - previousSize,
    };
  });
  const stale = featuresAsOf !== null && run.ref.asOf !== null && featuresAsOf !== run.ref.asOf;
  return {
    ...base,
    message: base.message ?? (stale ? `Customer features were recomputed as of ${featuresAsOf} after this run (as of ${run.ref.asOf}); the numbers use the stored features.` : null),
    run: run.ref,
    previousRun: rs.previous,
    asOf: run.ref.asOf,
    featuresAsOf,
    kpis,
    segments,
    changes: previous ? changes(segments, previous) : [],
  };
}

async function readKpis(store: Store): Promise<OverviewKpis> {
  const row = (await store.rows<Record<string, unknown>>(
    `SELECT count(*) AS customers,
            count(*) FILTER (WHERE recency_days <= $days) AS active,
            count(*) FILTER (WHERE frequency >= 1) AS buyers,
            count(*) FILTER (WHERE frequency >= 2) AS repeaters,
            coalesce(sum(monetary), 0)::DOUBLE AS revenue,
            coalesce(sum(frequency), 0)::DOUBLE AS orders
       FROM customer_features`,
    { days: ACTIVE_DAYS },
  ))[0] ?? {};
  const customers = finiteOr(row.customers);
  const active = finiteOr(row.active);
  const buyers = finiteOr(row.buyers);
  const revenue = finiteOr(row.revenue);
  const orders = finiteOr(row.orders);
  return {
    customers,
    activeCustomers: active,
    activeShare: ratio(active, customers),
    buyers,
    revenue,
    orders,
    aov: ratio(revenue, orders),
    repeatRate: ratio(finiteOr(row.repeaters), buyers),
  };
}

async function latestFeaturesAsOf(store: Store): Promise<string | null> {
  if (!(await tableExists(store, 'feature_snapshots'))) return null;
  return isoOrNull(await store.scalar(`SELECT as_of FROM feature_snapshots ORDER BY created_at DESC, snapshot_id DESC LIMIT 1`));
}

/** Size change per segment name over both runs' names, largest absolute change first. */
function changes(segments: readonly SegmentMixRow[], previous: ReadonlyMap<string, number>): SegmentChange[] {
  const names = new Set([...segments.map((s) => s.name), ...previous.keys()]);
  const current = new Map(segments.map((s) => [s.name, s.size]));
  return [...names]
    .map((name) => {
      const size = current.get(name) ?? 0;
      const previousSize = previous.get(name) ?? 0;
      return { name, size, previousSize, delta: size - previousSize };
    })
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
