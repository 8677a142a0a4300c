/**
 * Feature rows for placing customers: the run's columns read from `customer_features` with NaN for missing, and
 * filled with the values the run's own imputation used (median, zero or maximum of the run's customers), so that a
 * new customer's gap is treated exactly as the run treated it — not with the statistics of a short-history snapshot,
 * where "no purchase yet" would get the largest recency among a month of buyers instead of the year's.
 */
import { sortedQuantile, type ImputeRule } from '../../features/index.js';
import { createMatrix, type FeatureMatrix } from '../../models/matrix.js';
import { quoteIdent, type Store } from '../../store/db.js';

/** `columns` of `customer_features` (as the search path resolves it), rows sorted by customer id; NULL → NaN. */
export async function readRawFeatures(store: Store, columns: readonly string[]): Promise<FeatureMatrix> {
  const read = await store.readMatrix(`SELECT customer_id, ${columns.map(quoteIdent).join(', ')} FROM customer_features ORDER BY customer_id`);
  return createMatrix(read.values, read.rows, read.cols, read.ids, columns);
}

/** The fill value per column under each column's rule, from the present values of `raw`. O(rows · cols · log rows). */
export function fillValues(raw: FeatureMatrix, rules: Readonly<Record<string, ImputeRule>>): Float64Array {
  const out = new Float64Array(raw.cols);
  const present = new Float64Array(raw.rows);
  for (let c = 0; c < raw.cols; c++) {
    let n = 0;
    for (let r = 0; r < raw.rows; r++) {
      const v = raw.values[r * raw.cols + c]!;
      if (!Number.isNaN(v)) present[n++] = v;
    }
    const sorted = present.slice(0, n).sort();
    const rule = rules[raw.columns[c]!] ?? 'median';
    // A column missing for every customer has no statistic; 0 keeps the row finite (the run dropped such columns).
    out[c] = n === 0 || rule === 'zero' ? 0 : rule === 'max' ? sorted[n - 1]! : sortedQuantile(sorted, 0.5);
  }
  return out;
}

/** A copy of `raw` with each NaN replaced by its column's fill value. O(rows · cols). */
export function fillMissing(raw: FeatureMatrix, fill: Float64Array): FeatureMatrix {
  const values = Float64Array.from(raw.values);
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) values[i] = fill[i % raw.cols]!;
  return createMatrix(values, raw.rows, raw.cols, raw.ids, raw.columns);
}
