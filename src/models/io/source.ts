/**
 * What the matrix and labels readers share: the file checks (exists, not empty, known format), the DuckDB table
 * function that reads it, and its columns as DuckDB sees them. CSV is read with every column as text so that the
 * readers, not DuckDB's type sniffer, decide what is numeric and can name the offending cell.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../../core/errors.js';
import { quoteLiteral, type Store } from '../../store/db.js';

export type MatrixFileFormat = 'csv' | 'parquet';

export interface FileColumn {
  readonly name: string;
  /** DuckDB type name; always VARCHAR for CSV. */
  readonly type: string;
}

/** An opened input: its short name for messages, format, reader SQL and columns. */
export interface SourceFile {
  readonly file: string;
  readonly name: string;
  readonly format: MatrixFileFormat;
  readonly reader: string;
  readonly columns: readonly FileColumn[];
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|BOOLEAN|DECIMAL(\(\d+,\s*\d+\))?)$/;

/** True for DuckDB types that cast to DOUBLE without loss of meaning. */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type);
}

function fail(file: string, message: string): never {
  throw new InputError(message, [{ path: file, message }]);
}

/** `.csv`/`.tsv`/`.txt` (optionally `.gz`) or `.parquet`, from the file name. */
export function matrixFormatOf(file: string): MatrixFileFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (/\.(csv|tsv|txt)$/.test(name)) return 'csv';
  if (/\.parquet$/.test(name)) return 'parquet';
  return fail(file, `${basename(file)}: cannot tell the format from the file name (expected .csv, .tsv or .parquet)`);
}

/** Checks the file, then asks DuckDB for its columns. Fails with one line naming the file. */
export async function openSource(store: Store, file: string, what: string): Promise<SourceFile> {
  const name = basename(file);
  if (!existsSync(file)) fail(file, `${what} file not found: ${file}`);
  if (!statSync(file).isFile()) fail(file, `${what} file is not a regular file: ${file}`);
  const format = matrixFormatOf(file);
  const size = statSync(file).size;
  if (size === 0 || (format === 'csv' && size < 4096 && !file.endsWith('.gz') && readFileSync(file, 'utf8').trim() === '')) {
    fail(file, `${name} is empty: expected a header line and at least one data row`);
  }
  const path = quoteLiteral(file);
  const reader = format === 'csv' ? `read_csv(${path}, header=true, all_varchar=true)` : `read_parquet(${path})`;
  const described = await wrapReadError(name, () => store.rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${reader}`));
  return { file, name, format, reader, columns: described.map((c) => ({ name: c.column_name, type: c.column_type })) };
}

/** Runs `work`, turning a DuckDB error into a one-line InputError that names the file. */
export async function wrapReadError<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InputError) throw error;
    const first = ((error as Error).message.split('\n')[0] ?? '').trim();
    throw new InputError(`${name}: cannot read the file: ${first}`, [{ path: name, message: first }]);
  }
}

/** Where row `r` (0-based data row) is, for messages: the file line for CSV (after the header), the row for Parquet. */
export function rowPlace(source: SourceFile, r: number): string {
  return source.format === 'csv' ? `line ${r + 2}` : `row ${r + 1}`;
}
