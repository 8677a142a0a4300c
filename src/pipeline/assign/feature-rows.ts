/**
 * Feature rows for placing customers: the run's columns read from `customer_features` with NaN for missing, and
 * filled (with `imputationFills` from features/) by the values the run's own imputation used (median, zero or
 * maximum of the run's customers), so that a
 * new customer's gap is treated exactly as the run treated it — not with the statistics of a short-history snapshot,
 * where "no purchase yet" would get the largest recency among a month of buyers instead of the year's.
 */
import { createMatrix, type FeatureMatrix } from '../../models/matrix.js';
import { quoteIdent, type Store } from '../../store/db.js';

/** `columns` of `customer_features` (as the search path resolves it), rows sorted by customer id; NULL → NaN. */
export async function readRawFeatures(store: Store, columns: readonly string[]): Promise<FeatureMatrix> {
  const read = await store.readMatrix(`SELECT customer_id, ${columns.map(quoteIdent).join(', ')} FROM customer_features ORDER BY customer_id`);
  return createMatrix(read.values, read.rows, read.cols, read.ids, columns);
}

/** A copy of `raw` with each NaN replaced by its column's fill value. O(rows · cols). */
export function fillMissing(raw: FeatureMatrix, fill: Float64Array): FeatureMatrix {
  const values = Float64Array.from(raw.values);
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) values[i] = fill[i % raw.cols]!;
  return createMatrix(values, raw.rows, raw.cols, raw.ids, raw.columns);
}
