/**
 * Reads a numeric CSV or Parquet file into a FeatureMatrix through an in-memory DuckDB. Every column must be
 * numeric except an optional `id` column (any type, matched case-insensitively), whose values become the row ids;
 * without one the ids are the 1-based data row numbers. A non-numeric value, an empty cell, NaN or ±Infinity is an
 * InputError naming the file, the line (CSV) or row (Parquet), the column and the value. Cost: one streaming pass
 * in DuckDB (8 bytes per cell), plus one small query on the error path to fetch the offending cell's text.
 */
import { InputError, describeValue } from '../../core/errors.js';
import { Store, quoteIdent } from '../../store/db.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { isNumericType, openSource, rowPlace, wrapReadError, type SourceFile } from './source.js';

/** A matrix read from a file, with the name of its id column (null when ids are row numbers). */
export interface MatrixFile {
  readonly matrix: FeatureMatrix;
  readonly idColumn: string | null;
  readonly file: string;
}

export interface ReadMatrixOptions {
  /** Name of the id column. Default `id` (case-insensitive). */
  readonly idColumn?: string;
}

/** Reads `file` (.csv, .tsv, .parquet) into a FeatureMatrix; see the module comment for the rules. */
export async function readMatrixFile(file: string, options: ReadMatrixOptions = {}): Promise<MatrixFile> {
  const store = await Store.open(':memory:');
  try {
    return await readWith(store, file, (options.idColumn ?? 'id').toLowerCase());
  } finally {
    store.close();
  }
}

async function readWith(store: Store, file: string, idName: string): Promise<MatrixFile> {
  const source = await openSource(store, file, 'input');
  const id = source.columns.find((c) => c.name.toLowerCase() === idName);
  const features = source.columns.filter((c) => c !== id);
  if (features.length === 0) {
    throw fail(source, `${source.name} has no feature columns (got only ${source.columns.map((c) => describeValue(c.name)).join(', ')}); expected numeric columns besides the id`);
  }
  const idSql = id ? `COALESCE(CAST(${quoteIdent(id.name)} AS VARCHAR), '')` : `CAST(NULL AS VARCHAR)`;
  const cells = features.map((c) => toDouble(c.name, source.format === 'csv' || !isNumericType(c.type)));
  const raw = await wrapReadError(source.name, () => store.readMatrix(`SELECT ${idSql}, ${cells.join(', ')} FROM ${source.reader}`));
  if (raw.rows === 0) throw fail(source, `${source.name} has no data rows (only a header with columns ${features.map((c) => c.name).join(', ')})`);
  const matrix = createMatrix(raw.values, raw.rows, raw.cols, id ? raw.ids : undefined, raw.columns);
  await checkCells(store, source, matrix);
  if (id) checkIds(source, matrix.ids, id.name);
  const ids = id ? matrix.ids : Array.from({ length: matrix.rows }, (_, i) => String(i + 1));
  return { matrix: { ...matrix, ids }, idColumn: id?.name ?? null, file };
}

function toDouble(name: string, viaText: boolean): string {
  const col = quoteIdent(name);
  return viaText ? `TRY_CAST(CAST(${col} AS VARCHAR) AS DOUBLE) AS ${col}` : `CAST(${col} AS DOUBLE) AS ${col}`;
}

function fail(source: SourceFile, message: string, path = source.file): InputError {
  return new InputError(message, [{ path, message }]);
}

/** Finds the first non-finite cell in file order and explains it from the cell's text. */
async function checkCells(store: Store, source: SourceFile, m: FeatureMatrix): Promise<void> {
  const { values, cols } = m;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]!)) continue;
    const r = Math.floor(i / cols);
    const column = m.columns[i - r * cols]!;
    const text = await store.scalar<string | null>(`SELECT CAST(${quoteIdent(column)} AS VARCHAR) FROM ${source.reader} LIMIT 1 OFFSET ${r}`);
    const where = `${source.name} ${rowPlace(source, r)}, column ${describeValue(column)}`;
    const trimmed = text?.trim() ?? '';
    const problem = trimmed === ''
      ? 'empty cell (missing value); fill or drop missing values first'
      : Number.isNaN(Number(trimmed)) && !/^[+-]?(nan|inf(inity)?)$/i.test(trimmed)
        ? `column is not numeric (got ${describeValue(text)}); only the id column may hold text`
        : `value must be a finite number (got ${describeValue(text)})`;
    throw fail(source, `${where}: ${problem}`, `${source.file}:${rowPlace(source, r)}:${column}`);
  }
}

function checkIds(source: SourceFile, ids: readonly string[], idColumn: string): void {
  const seen = new Map<string, number>();
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]!;
    if (id === '') throw fail(source, `${source.name} ${rowPlace(source, r)}, column ${describeValue(idColumn)}: empty id`);
    const before = seen.get(id);
    if (before !== undefined) {
      throw fail(source, `${source.name} ${rowPlace(source, r)}, column ${describeValue(idColumn)}: duplicate id ${describeValue(id)} (first on ${rowPlace(source, before)})`);
    }
    seen.set(id, r);
  }
}
