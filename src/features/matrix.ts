/**
 * Reads `customer_features` into the models' `FeatureMatrix` and makes it complete: each missing value (NaN) is
 * imputed by the column's stated rule (from the definitions, overridable) and counted; a column missing for every
 * customer is dropped and reported. Optionally winsorises columns at Q3 + 3·IQR for clustering input only — the stored
 * table is never changed.
 */
import { InputError } from '../core/errors.js';
import type { FeatureMatrix } from '../models/matrix.js';
import { quoteIdent, type Store } from '../store/db.js';
import { FEATURES, type ImputeRule } from './definitions.js';

export interface ReadFeatureMatrixOptions {
  /** Per-column imputation rule; default: the definition's `missing.impute`, else 'median'. */
  readonly impute?: Readonly<Record<string, ImputeRule>>;
  /** Columns to cap at Q3 + 3·IQR (upper fence, after imputation). */
  readonly winsorise?: readonly string[];
}

export interface FeatureMatrixRead {
  readonly matrix: FeatureMatrix;
  /** Values imputed per kept column (0 when none). */
  readonly imputed: Readonly<Record<string, number>>;
  readonly rules: Readonly<Record<string, ImputeRule>>;
  /** Columns dropped because every value was missing. */
  readonly dropped: readonly string[];
  readonly winsorised: Readonly<Record<string, { readonly cap: number; readonly count: number }>>;
}

/** Reads the requested feature columns (rows sorted by customer_id). Cost: O(rows · cols) plus a sort per median. */
export async function readFeatureMatrix(store: Store, columns: readonly string[], options: ReadFeatureMatrixOptions = {}): Promise<FeatureMatrixRead> {
  await checkColumns(store, columns);
  const read = await store.readMatrix(`SELECT customer_id, ${columns.map(quoteIdent).join(', ')} FROM customer_features ORDER BY customer_id`);
  const { rows, cols, values } = read;
  const imputed: Record<string, number> = {};
  const rules: Record<string, ImputeRule> = {};
  const keep: number[] = [];
  const dropped: string[] = [];
  for (let c = 0; c < cols; c++) {
    const name = columns[c]!;
    const present = presentValues(values, rows, cols, c);
    if (present.length === 0 && rows > 0) {
      dropped.push(name);
      continue;
    }
    keep.push(c);
    const rule = options.impute?.[name] ?? FEATURES.find((d) => d.name === name)?.missing.impute ?? 'median';
    rules[name] = rule;
    imputed[name] = fillMissing(values, rows, cols, c, fillValue(rule, present));
  }
  const out = keep.length === cols ? values : selectColumns(values, rows, cols, keep);
  const kept = keep.map((c) => columns[c]!);
  const winsorised: Record<string, { cap: number; count: number }> = {};
  for (const name of options.winsorise ?? []) {
    const c = kept.indexOf(name);
    if (c < 0) continue;
    winsorised[name] = capAtFence(out, rows, kept.length, c);
  }
  const matrix: FeatureMatrix = { rows, cols: kept.length, values: out, ids: read.ids, columns: kept };
  return { matrix, imputed, rules, dropped, winsorised };
}

/**
 * The value `readFeatureMatrix` puts in place of a missing one, per column of `m` (NaN = missing) under each
 * column's rule (median when none is given): for placing new rows exactly as a run's matrix was filled. A column
 * with no present value gets 0 (`readFeatureMatrix` drops such a column). O(rows · cols · log rows).
 */
export function imputationFills(m: FeatureMatrix, rules: Readonly<Record<string, ImputeRule>>): Float64Array {
  const out = new Float64Array(m.cols);
  for (let c = 0; c < m.cols; c++) {
    const present = presentValues(m.values, m.rows, m.cols, c);
    out[c] = present.length === 0 ? 0 : fillValue(rules[m.columns[c]!] ?? 'median', present);
  }
  return out;
}

/** Linear-interpolated quantile (type 7, as numpy and DuckDB quantile_cont) of an ascending-sorted array. */
export function sortedQuantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/** The upper outlier fence Q3 + 3·IQR of an ascending-sorted array. */
export function upperFence(sorted: Float64Array): number {
  const q1 = sortedQuantile(sorted, 0.25);
  const q3 = sortedQuantile(sorted, 0.75);
  return q3 + 3 * (q3 - q1);
}

async function checkColumns(store: Store, columns: readonly string[]): Promise<void> {
  const names = await store.readColumns(`SELECT column_name FROM information_schema.columns WHERE table_name = 'customer_features' ORDER BY ordinal_position`);
  const available = (names.columns.column_name ?? []).map(String);
  if (available.length === 0) throw new InputError('reading the feature matrix requires table customer_features (got none: run computeFeatures first)');
  const unknown = columns.filter((c) => c === 'customer_id' || !available.includes(c));
  if (unknown.length > 0 || columns.length === 0) {
    throw new InputError(`feature matrix columns must be features of customer_features (got ${unknown.length > 0 ? unknown.join(', ') : 'no columns'}; available: ${available.slice(1).join(', ')})`,
      unknown.map((c) => ({ path: `columns.${c}`, message: 'not a feature column' })));
  }
}

function presentValues(values: Float64Array, rows: number, cols: number, c: number): Float64Array {
  const out = new Float64Array(rows);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const v = values[r * cols + c]!;
    if (!Number.isNaN(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

function fillValue(rule: ImputeRule, sortedPresent: Float64Array): number {
  if (rule === 'zero') return 0;
  if (rule === 'max') return sortedPresent[sortedPresent.length - 1] ?? 0;
  return sortedQuantile(sortedPresent, 0.5);
}

function fillMissing(values: Float64Array, rows: number, cols: number, c: number, fill: number): number {
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const i = r * cols + c;
    if (Number.isNaN(values[i]!)) {
      values[i] = fill;
      count++;
    }
  }
  return count;
}

function selectColumns(values: Float64Array, rows: number, cols: number, keep: readonly number[]): Float64Array {
  const k = keep.length;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) out[r * k + j] = values[r * cols + keep[j]!]!;
  }
  return out;
}

function capAtFence(values: Float64Array, rows: number, cols: number, c: number): { cap: number; count: number } {
  const cap = upperFence(presentValues(values, rows, cols, c));
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const i = r * cols + c;
    if (values[i]! > cap) {
      values[i] = cap;
      count++;
    }
  }
  return { cap, count };
}
