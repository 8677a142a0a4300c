/**
 * The newest finished run's K-means model, ready to place one customer: its feature columns, the imputation of a
 * missing value (the run's rule per column, with the fill value recomputed from the run's snapshot exactly as
 * `readFeatureMatrix` computed it: median, maximum or zero of the present values), the fitted transforms
 * (log1p, winsorise, z-score; `models/preprocess`), and the centroids in the clustering space with their names.
 * A customer goes to the nearest centroid by squared Euclidean distance summed in column order, ties to the lowest
 * index — the K-means kernels' rule, so a run member's own row gets its run label back. O(k·d) per customer.
 */
import type { Logger } from 'pino';
import { imputationFills, type ImputeRule } from '../../features/index.js';
import { createMatrix } from '../../models/matrix.js';
import { applyToRow, type PreprocessParams } from '../../models/preprocess/index.js';
import { nearestCentroid } from '../../models/select/index.js';
import { loadRunModel, type RunModel } from '../../pipeline/assign/index.js';
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

/**
 * The model of the newest done run, or undefined (logged) when there is none or it cannot be used live: no model
 * JSON (a seeded or pre-model run), an unreadable model, a column the live features cannot maintain, or no
 * feature snapshot. The stored model is read and checked by the segment placement's `loadRunModel`.
 */
export async function loadKmeansModel(store: Store, log: Logger): Promise<KmeansModel | undefined> {
  const run = (await store.rows<{ run_id: string; has_model: boolean; snapshot_id: string | null; as_of: Date | null; created_at: Date | null; latest: string | null }>(
    `SELECT r.run_id, r.model IS NOT NULL AS has_model, r.snapshot_id, s.as_of, s.created_at,
       (SELECT snapshot_id FROM feature_snapshots ORDER BY created_at DESC, snapshot_id DESC LIMIT 1) AS latest
     FROM segment_runs r LEFT JOIN feature_snapshots s USING (snapshot_id)
     WHERE r.status = 'done' ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1`,
  ))[0];
  if (!run) return undefined;
  if (!run.has_model || !run.as_of || !run.created_at) {
    log.info({ runId: run.run_id }, 'live K-means off: the newest run has no stored model or feature snapshot');
    return undefined;
  }
  let model: RunModel;
  let readers: FeatureReader[];
  try {
    model = await loadRunModel(store, run.run_id);
    readers = featureReaders(model.columns);
  } catch (error) {
    log.warn({ runId: run.run_id, err: error }, 'live K-means off');
    return undefined;
  }
  if (run.latest !== run.snapshot_id) {
    log.warn({ runId: run.run_id, snapshot: run.snapshot_id, latest: run.latest }, 'customer_features is newer than the run: imputation fills come from the newer snapshot');
  }
  return {
    runId: run.run_id,
    split: { asOf: run.as_of.getTime(), createdAt: run.created_at.getTime() },
    columns: model.columns,
    readers,
    fills: await fillValues(store, model.columns, model.imputation),
    transforms: model.transforms,
    centroids: model.centroids,
    k: model.k,
    names: model.names,
  };
}

/** The imputed value per column, from the present values of `customer_features` (`readFeatureMatrix`'s rule). */
async function fillValues(store: Store, columns: readonly string[], rules: Readonly<Record<string, ImputeRule>>): Promise<Float64Array> {
  const read = await store.readMatrix(`SELECT customer_id, ${columns.map(quoteIdent).join(', ')} FROM customer_features`);
  return imputationFills(createMatrix(read.values, read.rows, read.cols, read.ids, columns), rules);
}

/**
 * Nearest centroid of a raw feature row (NaN = missing): impute, transform, compare. `scratch` (columns long) is
 * overwritten. Returns the cluster index.
 */
export function assignCluster(model: KmeansModel, raw: Float64Array, scratch: Float64Array): number {
  const d = model.columns.length;
  for (let j = 0; j < d; j++) scratch[j] = Number.isNaN(raw[j]!) ? model.fills[j]! : raw[j]!;
  for (const t of model.transforms) applyToRow(t, scratch, scratch);
  return nearestCentroid(createMatrix(scratch, 1, d), model.centroids, model.k, oneLabel)[0]!;
}

const oneLabel = new Int32Array(1);
