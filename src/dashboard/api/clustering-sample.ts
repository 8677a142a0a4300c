/**
 * A deterministic sample of a run's customers in its clustering space: the run's features read from
 * `customer_features`, missing values imputed by the run's rules (over the sample), then the run's stored transforms
 * (log1p, winsorise, z-score) applied — the space K-means saw. Shared by the cluster map (PCA) and the
 * per-cluster silhouette, so both describe the same points.
 */
import { createMatrix, type FeatureMatrix } from '../../models/matrix.js';
import { applyToMatrix, fitZScore, type PreprocessParams } from '../../models/preprocess/index.js';
import { CLUSTER_FEATURES } from '../../segments/clustering/index.js';
import { quoteIdent, type Store } from '../../store/db.js';
import type { LoadedRun } from './run-state.js';
import { numberArray, parseJsonObject, stringArray } from './stored-json.js';

/** At most this many customers are drawn for scatter plots and silhouettes. */
export const MAX_SAMPLE = 5000;

export interface ClusteringSample {
  /** Standardised rows (one per sampled customer), ids = customer ids. */
  readonly matrix: FeatureMatrix;
  readonly labels: Int32Array;
  readonly seed: number;
  /** 'stored' when the run's own transforms were applied, 'refit' when they could not be and a z-score was fitted. */
  readonly scaling: 'stored' | 'refit';
}

/**
 * Draws up to `maxRows` members of the run, ordered by hash(customer_id, seed) — the same customers for the same run
 * and seed, whatever the table order (members missing from `customer_features` drop out of the sample). Returns null
 * when the run has no clustering features in `customer_features`. Cost: one top-N over the run's memberships, a
 * join of the sample with the features, then O(maxRows·cols).
 */
export async function sampleClusteringSpace(store: Store, run: LoadedRun, featureColumns: readonly string[], maxRows = MAX_SAMPLE): Promise<ClusteringSample | null> {
  const wanted = stringArray(run.model.columns) ?? [...CLUSTER_FEATURES];
  const available = new Set(featureColumns);
  const columns = wanted.filter((c) => available.has(c));
  if (columns.length === 0) return null;
  const seed = run.ref.seed ?? 0;
  // Draw the sample from the memberships alone (a top-N over one column), then fetch only those customers' features.
  const read = await store.readMatrix(
    `SELECT m.customer_id, m.cluster::DOUBLE AS cluster, ${columns.map((c) => `f.${quoteIdent(c)}::DOUBLE`).join(', ')}
       FROM (SELECT customer_id, cluster, hash(customer_id, $seed) AS h FROM segment_memberships
              WHERE run_id = $run AND cluster IS NOT NULL ORDER BY h, customer_id LIMIT $n) m
       JOIN customer_features f USING (customer_id)
      ORDER BY m.h, m.customer_id`,
    { run: run.ref.runId, seed, n: maxRows },
  );
  const rows = read.rows;
  const cols = columns.length;
  const labels = new Int32Array(rows);
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    labels[i] = read.values[i * read.cols]!;
    for (let j = 0; j < cols; j++) values[i * cols + j] = read.values[i * read.cols + 1 + j]!;
  }
  imputeColumns(values, rows, cols, columns.map((c) => imputeRule(run, c)));
  const raw = createMatrix(values, rows, cols, read.ids, columns);
  const transforms = columns.length === wanted.length ? storedTransforms(run.model.transforms, cols) : null;
  if (transforms && rows > 0) {
    try {
      let m = raw;
      for (const t of transforms) m = applyToMatrix(t, m);
      if (m.values.every(Number.isFinite)) return { matrix: m, labels, seed, scaling: 'stored' };
    } catch {
      // a stored transform that does not fit the sample (e.g. log1p of a negative value): refit below
    }
  }
  return { matrix: rows > 0 ? fitZScore(raw).matrix : raw, labels, seed, scaling: 'refit' };
}

/** The run's imputation rule for a column ('median' unless stored otherwise). */
function imputeRule(run: LoadedRun, column: string): 'median' | 'max' | 'zero' {
  const rule = parseJsonObject(run.model.imputation)[column];
  return rule === 'max' || rule === 'zero' ? rule : 'median';
}

/** Fills NaN cells column by column with the column's median, maximum or 0 over the present values (0 if none). */
function imputeColumns(values: Float64Array, rows: number, cols: number, rules: readonly ('median' | 'max' | 'zero')[]): void {
  const present = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    let n = 0;
    for (let i = 0; i < rows; i++) {
      const v = values[i * cols + j]!;
      if (Number.isFinite(v)) present[n++] = v;
    }
    if (n === rows) continue;
    const sorted = present.subarray(0, n).sort();
    const rule = rules[j]!;
    const fill = n === 0 || rule === 'zero' ? 0 : rule === 'max' ? sorted[n - 1]! : n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
    for (let i = 0; i < rows; i++) if (!Number.isFinite(values[i * cols + j]!)) values[i * cols + j] = fill;
  }
}

/** The run's stored transforms as typed parameters, or null when any is malformed or of the wrong width. */
function storedTransforms(value: unknown, cols: number): PreprocessParams[] | null {
  if (!Array.isArray(value)) return null;
  const out: PreprocessParams[] = [];
  const vector = (v: unknown) => {
    const a = numberArray(v);
    return a && a.length === cols ? Float64Array.from(a) : null;
  };
  for (const item of value) {
    const t = parseJsonObject(item);
    if (t.kind === 'log1p') {
      const columns = numberArray(t.columns);
      if (!columns || columns.some((c) => !Number.isInteger(c) || c < 0 || c >= cols)) return null;
      out.push({ kind: 'log1p', columns: Int32Array.from(columns) });
    } else if (t.kind === 'winsorise') {
      const low = vector(t.low);
      const high = vector(t.high);
      if (!low || !high) return null;
      out.push({ kind: 'winsorise', lowerQuantile: Number(t.lowerQuantile), upperQuantile: Number(t.upperQuantile), low, high });
    } else if (t.kind === 'zscore' || t.kind === 'robust') {
      const center = vector(t.center);
      const scale = vector(t.scale);
      if (!center || !scale) return null;
      out.push({ kind: t.kind, center, scale });
    } else if (t.kind === 'minmax') {
      const min = vector(t.min);
      const max = vector(t.max);
      const scale = vector(t.scale);
      if (!min || !max || !scale) return null;
      out.push({ kind: 'minmax', min, max, scale });
    } else {
      return null;
    }
  }
  return out;
}
