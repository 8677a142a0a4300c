/**
 * The newest finished segmentation run as a model that can place a customer: its clustering columns, the fitted
 * transforms (log1p → winsorise → z-score), the K-means centroids in that space, the segment names and the
 * imputation rule per column, read from `segment_runs.model` and checked at this edge (database rows); and the run's
 * K-means label per customer from `segment_memberships`.
 */
import { InputError, NotFoundError } from '../../core/errors.js';
import type { ImputeRule } from '../../features/index.js';
import { createMatrix, type FeatureMatrix } from '../../models/matrix.js';
import { applyToMatrix, type PreprocessParams } from '../../models/preprocess/index.js';
import { nearestCentroid } from '../../models/select/index.js';
import type { Store } from '../../store/db.js';

export interface RunModel {
  readonly runId: string;
  /** The as-of instant of the run's features. */
  readonly asOf: Date;
  /** Clustering columns, in the order of the transforms and centroids. */
  readonly columns: readonly string[];
  readonly transforms: readonly PreprocessParams[];
  readonly k: number;
  /** k × columns, row-major, in the clustering (transformed) space. */
  readonly centroids: Float64Array;
  /** Segment name by cluster. */
  readonly names: readonly string[];
  readonly imputation: Readonly<Record<string, ImputeRule>>;
}

interface RunRow {
  run_id: string;
  k: number | null;
  params: string | null;
  model: string | null;
}

/** The newest done run (or `runId`); NotFoundError when there is none, InputError when its model is unreadable. */
export async function loadRunModel(store: Store, runId?: string): Promise<RunModel> {
  const rows = await store.rows<RunRow>(
    runId
      ? `SELECT run_id, k, params, model FROM segment_runs WHERE run_id = $run AND status = 'done'`
      : `SELECT run_id, k, params, model FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC, run_id DESC LIMIT 1`,
    runId ? { run: runId } : undefined,
  );
  const row = rows[0];
  if (!row) throw new NotFoundError(runId ? `no finished segmentation run ${runId}` : 'placing customers in segments requires a finished segmentation run (got none): run `segmenta segment` first');
  return parseRunModel(row);
}

function parseRunModel(row: RunRow): RunModel {
  const who = `segmentation run ${row.run_id}`;
  const bad = (what: string): never => {
    throw new InputError(`${who} has an unreadable model: ${what}`, [{ path: `segment_runs.${row.run_id}.model`, message: what }]);
  };
  const model = parseJson(row.model) ?? bad('no model JSON');
  const params = parseJson(row.params) ?? {};
  const columns = stringArray(model.columns) ?? bad('columns must be a list of feature names');
  const d = columns.length;
  const centroids = numberArray(model.centroids) ?? bad('centroids must be a list of numbers');
  const k = row.k ?? centroids.length / Math.max(d, 1);
  if (d === 0 || !Number.isInteger(k) || k < 1 || centroids.length !== k * d) bad(`centroids must hold k × columns numbers (got ${centroids.length}, k=${k}, columns=${d})`);
  const transforms = Array.isArray(model.transforms) ? model.transforms.map((t, i) => parseTransform(t, d) ?? bad(`transform ${i + 1} is not a log1p, winsorise or zscore of ${d} columns`)) : bad('transforms must be a list');
  const names = new Array<string>(k).fill('');
  for (const entry of Array.isArray(model.names) ? model.names : []) {
    const e = entry as { cluster?: unknown; name?: unknown };
    if (typeof e.cluster === 'number' && e.cluster >= 0 && e.cluster < k && typeof e.name === 'string') names[e.cluster] = e.name;
  }
  for (let c = 0; c < k; c++) if (!names[c]) names[c] = `Segment ${c + 1}`;
  const asOf = new Date(typeof params.asOf === 'string' ? params.asOf : NaN);
  if (Number.isNaN(asOf.getTime())) bad('params.asOf must be an ISO date');
  const imputation: Record<string, ImputeRule> = {};
  const rules = (model.imputation ?? {}) as Record<string, unknown>;
  for (const c of columns) {
    const rule = rules[c];
    imputation[c] = rule === 'zero' || rule === 'max' || rule === 'median' ? rule : 'median';
  }
  return { runId: row.run_id, asOf, columns, transforms, k, centroids: Float64Array.from(centroids), names, imputation };
}

function parseTransform(value: unknown, d: number): PreprocessParams | null {
  const t = value as Record<string, unknown> | null;
  if (!t || typeof t !== 'object') return null;
  const vec = (key: string): Float64Array | null => {
    const a = numberArray(t[key]);
    return a && a.length === d ? Float64Array.from(a) : null;
  };
  if (t.kind === 'log1p') {
    const cols = numberArray(t.columns);
    return cols && cols.every((c) => Number.isInteger(c) && c >= 0 && c < d) ? { kind: 'log1p', columns: Int32Array.from(cols) } : null;
  }
  if (t.kind === 'winsorise') {
    const low = vec('low');
    const high = vec('high');
    return low && high ? { kind: 'winsorise', lowerQuantile: Number(t.lowerQuantile), upperQuantile: Number(t.upperQuantile), low, high } : null;
  }
  if (t.kind === 'zscore' || t.kind === 'robust') {
    const center = vec('center');
    const scale = vec('scale');
    return center && scale ? { kind: t.kind, center, scale } : null;
  }
  return null;
}

function parseJson(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

function numberArray(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (value as number[]) : null;
}

/** The run's K-means cluster of each of `ids` (-1 for a customer the run did not cluster). */
export async function runLabels(store: Store, runId: string, ids: readonly string[]): Promise<Int32Array> {
  const read = await store.readColumns(`SELECT customer_id, cluster FROM segment_memberships WHERE run_id = $run AND cluster IS NOT NULL`, { run: runId });
  const byId = new Map<string, number>();
  const cid = read.columns.customer_id ?? [];
  const cluster = read.columns.cluster ?? [];
  for (let i = 0; i < cid.length; i++) byId.set(String(cid[i]), Number(cluster[i]));
  return Int32Array.from(ids, (id) => byId.get(id) ?? -1);
}

/** A complete raw feature matrix in the run's clustering space: the transforms applied in order. O(rows · cols). */
export function toClusteringSpace(model: RunModel, raw: FeatureMatrix): FeatureMatrix {
  if (raw.cols !== model.columns.length) throw new InputError(`placing customers requires the run's ${model.columns.length} columns (got ${raw.cols})`);
  let m = createMatrix(Float64Array.from(raw.values), raw.rows, raw.cols, raw.ids, raw.columns);
  for (const t of model.transforms) m = applyToMatrix(t, m);
  return m;
}

/**
 * Nearest-centroid placement, the rule K-means itself uses: each row of `z` (already in the clustering space) goes to
 * the closest centroid by squared Euclidean distance, ties to the lower cluster. O(rows · k · cols).
 */
export function nearestCentroidLabels(model: RunModel, z: FeatureMatrix): Int32Array {
  return nearestCentroid(z, model.centroids, model.k);
}
