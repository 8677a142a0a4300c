/**
 * The newest finished run's K-means model, ready to place one customer: its feature columns, the imputation of a
 * missing value (the run's rule per column, with the fill value recomputed from the run's snapshot exactly as
 * `readFeatureMatrix` computed it: median, maximum or zero of the present values), the fitted transforms
 * (log1p, winsorise, z-score; `models/preprocess`), and the centroids in the clustering space with their names.
 * A customer goes to the nearest centroid by squared Euclidean distance summed in column order, ties to the lowest
 * index — the K-means kernels' rule, so a run member's own row gets its run label back. O(k·d) per customer.
 */
import type { Logger } from 'pino';
import { sortedQuantile } from '../../features/index.js';
import { applyToRow, type PreprocessParams } from '../../models/preprocess/index.js';
import { quoteIdent, type Store } from '../../store/db.js';
import { featureReaders, type FeatureReader } from './feature-values.js';
import type { RunSplit } from './feature-load.js';

export interface KmeansModel {
  readonly runId: string;
  readonly split: RunSplit;
  readonly columns: readonly string[];
  readonly readers: readonly FeatureReader[];
  /** Value put in place of a missing (NaN) feature, per column. */
  readonly fills: Float64Array;
  readonly transforms: readonly PreprocessParams[];
  /** k × columns, row-major, in the clustering space. */
  readonly centroids: Float64Array;
  readonly k: number;
  /** Segment name of each cluster. */
  readonly names: readonly string[];
}

interface StoredModel {
  readonly columns: string[];
  readonly transforms: Record<string, unknown>[];
  readonly centroids: number[];
  readonly names: { cluster: number; name: string }[];
  readonly imputation?: Record<string, string>;
}

/**
 * The model of the newest done run, or undefined (logged) when there is none or it cannot be used live: no model
 * JSON (a seeded or pre-model run), a column the live features cannot maintain, or no feature snapshot.
 */
export async function loadKmeansModel(store: Store, log: Logger): Promise<KmeansModel | undefined> {
  const run = (await store.rows<{ run_id: string; model: string | null; snapshot_id: string | null; as_of: Date | null; created_at: Date | null; latest: string | null }>(
    `SELECT r.run_id, r.model::VARCHAR AS model, r.snapshot_id, s.as_of, s.created_at,
       (SELECT snapshot_id FROM feature_snapshots ORDER BY created_at DESC, snapshot_id DESC LIMIT 1) AS latest
     FROM segment_runs r LEFT JOIN feature_snapshots s USING (snapshot_id)
     WHERE r.status = 'done' ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1`,
  ))[0];
  if (!run) return undefined;
  if (!run.model || !run.as_of || !run.created_at) {
    log.info({ runId: run.run_id }, 'live K-means off: the newest run has no stored model or feature snapshot');
    return undefined;
  }
  const stored = JSON.parse(run.model) as StoredModel;
  let readers: FeatureReader[];
  try {
    readers = featureReaders(stored.columns);
  } catch (error) {
    log.warn({ runId: run.run_id, err: error }, 'live K-means off');
    return undefined;
  }
  if (run.latest !== run.snapshot_id) {
    log.warn({ runId: run.run_id, snapshot: run.snapshot_id, latest: run.latest }, 'customer_features is newer than the run: imputation fills come from the newer snapshot');
  }
  const k = stored.names.length;
  const d = stored.columns.length;
  if (stored.centroids.length !== k * d) throw new Error(`run ${run.run_id} model requires k·columns centroid values (got ${stored.centroids.length}, k=${k}, columns=${d})`);
  const names: string[] = [];
  for (const n of stored.names) names[n.cluster] = n.name;
  return {
    runId: run.run_id,
    split: { asOf: run.as_of.getTime(), createdAt: run.created_at.getTime() },
    columns: stored.columns,
    readers,
    fills: await fillValues(store, stored.columns, stored.imputation ?? {}),
    transforms: stored.transforms.map(paramsFromJson),
    centroids: Float64Array.from(stored.centroids),
    k,
    names,
  };
}

/** The imputed value per column, from the present values of `customer_features` (`readFeatureMatrix`'s rule). */
async function fillValues(store: Store, columns: readonly string[], rules: Readonly<Record<string, string>>): Promise<Float64Array> {
  const read = await store.readMatrix(`SELECT customer_id, ${columns.map(quoteIdent).join(', ')} FROM customer_features`);
  const fills = new Float64Array(columns.length);
  for (let c = 0; c < columns.length; c++) {
    const present: number[] = [];
    for (let r = 0; r < read.rows; r++) {
      const v = read.values[r * read.cols + c]!;
      if (!Number.isNaN(v)) present.push(v);
    }
    const sorted = Float64Array.from(present).sort();
    const rule = rules[columns[c]!] ?? 'median';
    fills[c] = rule === 'zero' ? 0 : rule === 'max' ? (sorted[sorted.length - 1] ?? 0) : sortedQuantile(sorted, 0.5);
  }
  return fills;
}

/** A stored transform (typed arrays as JSON arrays) back to its parameters. */
function paramsFromJson(p: Record<string, unknown>): PreprocessParams {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) {
    out[key] = Array.isArray(value) ? (key === 'columns' ? Int32Array.from(value as number[]) : Float64Array.from(value as number[])) : value;
  }
  return out as unknown as PreprocessParams;
}

/**
 * Nearest centroid of a raw feature row (NaN = missing): impute, transform, compare. `scratch` (columns long) is
 * overwritten. Returns the cluster index.
 */
export function assignCluster(model: KmeansModel, raw: Float64Array, scratch: Float64Array): number {
  const d = model.columns.length;
  for (let j = 0; j < d; j++) scratch[j] = Number.isNaN(raw[j]!) ? model.fills[j]! : raw[j]!;
  for (const t of model.transforms) applyToRow(t, scratch, scratch);
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < model.k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = scratch[j]! - model.centroids[c * d + j]!;
      s += t * t;
    }
    if (s < bestD) {
      bestD = s;
      best = c;
    }
  }
  return best;
}
