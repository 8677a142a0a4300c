/**
 * Per-segment aggregates of one run in a single scan of `segment_memberships ⋈ customer_features`: size, revenue,
 * the mean (and population standard deviation) of chosen features per segment and over all members, and the RFM
 * R×F grid — one GROUP BY at the finest grain, merged upwards in JS, so 1M customers cost one hash join.
 */
import { quoteIdent, type Store } from '../../store/db.js';
import { finiteOr, finiteOrNull } from './numbers.js';

export interface GroupStats {
  readonly size: number;
  readonly revenue: number;
  /** Mean of each requested feature over members with a value (null when none has one). */
  readonly means: readonly (number | null)[];
  readonly sds: readonly (number | null)[];
  /** Mean CLV when a CLV source was given, else null. */
  readonly clv: number | null;
}

export interface ClusterStats extends GroupStats {
  readonly cluster: number;
  /** The membership's stored segment name. */
  readonly segmentName: string | null;
}

export interface RfmCellStats {
  readonly r: number;
  readonly f: number;
  readonly customers: number;
  readonly monetary: number;
}

export interface SegmentStats {
  readonly clusters: readonly ClusterStats[];
  readonly overall: GroupStats;
  /** Cells with customers (only when `rfm` was asked for). */
  readonly rfm: readonly RfmCellStats[];
}

export interface SegmentStatsOptions {
  /** Feature columns of `customer_features` to average (must exist). */
  readonly features?: readonly string[];
  /** Also group by (rfm_r, rfm_f). */
  readonly rfm?: boolean;
  /** Whether `customer_features` exists; without it sizes are counted and everything else is null/0. */
  readonly hasFeatures: boolean;
  /** A column of `customer_features` holding CLV, averaged per segment. */
  readonly clvColumn?: string | null;
}

/** Count, mean and sum of squared deviations of one feature over a group (Chan et al.'s mergeable moments). */
interface Moments {
  n: number;
  mean: number;
  m2: number;
}

/** Merges `b` into `a` (Chan, Golub & LeVeque 1979: stable pairwise update of mean and M2). O(1). */
function mergeMoments(a: Moments, b: Moments): void {
  if (b.n === 0) return;
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  a.m2 += b.m2 + (delta * delta * a.n * b.n) / n;
  a.mean += (delta * b.n) / n;
  a.n = n;
}

interface Accumulator {
  size: number;
  revenue: number;
  moments: Moments[];
}

const newAccumulator = (width: number): Accumulator => ({ size: 0, revenue: 0, moments: Array.from({ length: width }, () => ({ n: 0, mean: 0, m2: 0 })) });

function merge(into: Accumulator, from: Accumulator): void {
  into.size += from.size;
  into.revenue += from.revenue;
  from.moments.forEach((m, j) => mergeMoments(into.moments[j]!, m));
}

function finish(acc: Accumulator, features: number, hasClv: boolean): GroupStats {
  const mean = (m: Moments) => (m.n > 0 ? finiteOrNull(m.mean) : null);
  const sd = (m: Moments) => (m.n > 0 ? finiteOrNull(Math.sqrt(Math.max(0, m.m2 / m.n))) : null);
  const moments = acc.moments.slice(0, features);
  return {
    size: acc.size, revenue: acc.revenue,
    means: moments.map(mean), sds: moments.map(sd),
    clv: hasClv ? mean(acc.moments[features]!) : null,
  };
}

/**
 * Aggregates run `runId`. Members missing from `customer_features` count in sizes and add nothing to sums.
 * DuckDB groups at the finest grain (cluster × R × F when `rfm`, else cluster): per group the size, revenue and each
 * feature's count, mean and population variance; segments and the overall row are merged from those groups with
 * Chan's pairwise update, so one GROUP BY serves every level. Cost: one hash join of the run's memberships with the
 * features, O(members); then O(groups · features).
 */
export async function segmentStats(store: Store, runId: string, options: SegmentStatsOptions): Promise<SegmentStats> {
  const features = options.hasFeatures ? options.features ?? [] : [];
  const clvColumn = options.hasFeatures ? options.clvColumn ?? null : null;
  const measured = clvColumn ? [...features, clvColumn] : features;
  const f = (col: string) => `f.${quoteIdent(col)}`;
  const keys = options.rfm ? ['m.cluster', 'm.rfm_r', 'm.rfm_f'] : ['m.cluster'];
  const parts = [
    ...keys, 'any_value(m.segment_name) AS segment_name', 'count(*) AS size',
    options.hasFeatures ? 'coalesce(sum(f.monetary), 0)::DOUBLE AS revenue' : '0 AS revenue',
    ...measured.flatMap((col, j) => [`count(${f(col)}) AS n_${j}`, `avg(${f(col)})::DOUBLE AS mean_${j}`, `var_pop(${f(col)})::DOUBLE AS var_${j}`]),
  ];
  const read = await store.readColumns(
    `SELECT ${parts.join(', ')}
       FROM segment_memberships m ${options.hasFeatures ? 'LEFT JOIN customer_features f USING (customer_id)' : ''}
      WHERE m.run_id = $run
      GROUP BY ${keys.join(', ')}`,
    { run: runId },
  );
  const col = (name: string) => read.columns[name] ?? [];
  const width = measured.length;
  const overall = newAccumulator(width);
  const byCluster = new Map<number, { acc: Accumulator; name: string | null }>();
  const cells = new Map<string, RfmCellStats>();
  for (let i = 0; i < read.rowCount; i++) {
    const group = newAccumulator(width);
    group.size = finiteOr(col('size')[i]);
    group.revenue = finiteOr(col('revenue')[i]);
    for (let j = 0; j < width; j++) {
      const n = finiteOr(col(`n_${j}`)[i]);
      if (n > 0) group.moments[j] = { n, mean: finiteOr(col(`mean_${j}`)[i]), m2: finiteOr(col(`var_${j}`)[i]) * n };
    }
    merge(overall, group);
    const cluster = finiteOrNull(col('cluster')[i]);
    if (cluster !== null) {
      const entry = byCluster.get(cluster) ?? { acc: newAccumulator(width), name: null };
      merge(entry.acc, group);
      entry.name ??= (col('segment_name')[i] as string | null) ?? null;
      byCluster.set(cluster, entry);
    }
    const r = options.rfm ? finiteOrNull(col('rfm_r')[i]) : null;
    const fScore = options.rfm ? finiteOrNull(col('rfm_f')[i]) : null;
    if (r !== null && fScore !== null) {
      const cell = cells.get(`${r},${fScore}`) ?? { r, f: fScore, customers: 0, monetary: 0 };
      cells.set(`${r},${fScore}`, { ...cell, customers: cell.customers + group.size, monetary: cell.monetary + group.revenue });
    }
  }
  const clusters: ClusterStats[] = [...byCluster.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cluster, { acc, name }]) => ({ ...finish(acc, features.length, clvColumn !== null), cluster, segmentName: name }));
  return { clusters, overall: finish(overall, features.length, clvColumn !== null), rfm: [...cells.values()] };
}

/** Members per segment name in run `runId` (for changes between runs). Cost: one scan of the run's memberships. */
export async function sizesByName(store: Store, runId: string): Promise<Map<string, number>> {
  const read = await store.readColumns(
    `SELECT coalesce(segment_name, 'Segment ' || cluster) AS name, count(*) AS n FROM segment_memberships WHERE run_id = $run GROUP BY 1`,
    { run: runId },
  );
  const names = read.columns.name ?? [];
  const counts = read.columns.n ?? [];
  return new Map(names.map((n, i) => [String(n), finiteOr(counts[i])]));
}
