/** Writes `customer_features` to a file with DuckDB `COPY`: CSV or Parquet, chosen by the file extension. */
import { InputError } from '../core/errors.js';
import { quoteLiteral, type Store } from '../store/db.js';

const FORMATS: Readonly<Record<string, string>> = { '.csv': '(FORMAT CSV, HEADER)', '.parquet': '(FORMAT PARQUET)' };

/** Exports the feature table (`customer_id` first, then the features in definition order, sorted by customer_id). */
export async function exportFeatures(store: Store, file: string): Promise<{ file: string; rows: number }> {
  const ext = /\.[^./\\]+$/.exec(file)?.[0]?.toLowerCase() ?? '';
  const format = FORMATS[ext];
  if (format === undefined) {
    throw new InputError(`feature export file must end in .csv or .parquet (got ${JSON.stringify(file)})`, [
      { path: file, message: `unsupported extension ${JSON.stringify(ext)}` },
    ]);
  }
  const rows = await store.run(`COPY (SELECT * FROM customer_features ORDER BY customer_id) TO ${quoteLiteral(file)} ${format}`);
  return { file, rows };
}
