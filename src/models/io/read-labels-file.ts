/**
 * Reads a labels file (CSV or Parquet) for `segmenta metrics`: either `id,label` columns, aligned to the matrix
 * by id, or a single column (named `label` or anything else), aligned by row. Labels that are all non-negative
 * integers are kept as they are; any other values (names such as "champions") are numbered 0, 1, … in order of
 * first appearance. Cost: one read of the file through DuckDB plus O(n) in JS.
 */
import { InputError, describeValue } from '../../core/errors.js';
import { Store, quoteIdent } from '../../store/db.js';
import { openSource, rowPlace, wrapReadError, type SourceFile } from './source.js';

export interface LabelsFile {
  readonly labels: Int32Array;
  /** How rows were matched: by the `id` column or by position. */
  readonly alignedBy: 'id' | 'row';
  /** The original label text of each code when labels were not integers, else null. */
  readonly names: readonly string[] | null;
}

/** Reads `file` and returns one label per id of the matrix (in the matrix's row order). */
export async function readLabelsFile(file: string, ids: readonly string[]): Promise<LabelsFile> {
  const store = await Store.open(':memory:');
  try {
    const source = await openSource(store, file, 'labels');
    const id = source.columns.find((c) => c.name.toLowerCase() === 'id');
    const rest = source.columns.filter((c) => c !== id);
    const label = rest.find((c) => c.name.toLowerCase() === 'label') ?? (rest.length === 1 ? rest[0] : undefined);
    if (!label || (!id && source.columns.length !== 1)) {
      throw fail(source, `${source.name} must have columns id,label or a single label column (got ${source.columns.map((c) => c.name).join(', ')})`);
    }
    const sql = `SELECT ${id ? `CAST(${quoteIdent(id.name)} AS VARCHAR)` : 'NULL'} AS id, CAST(${quoteIdent(label.name)} AS VARCHAR) AS label FROM ${source.reader}`;
    const read = await wrapReadError(source.name, () => store.readColumns(sql));
    const texts = read.columns.label as readonly (string | null)[];
    if (read.rowCount === 0) throw fail(source, `${source.name} has no data rows`);
    const empty = texts.findIndex((t) => t === null || t.trim() === '');
    if (empty >= 0) throw fail(source, `${source.name} ${rowPlace(source, empty)}, column ${describeValue(label.name)}: empty label`);
    const { labels, names } = encode(texts as readonly string[]);
    if (!id) return { labels: byRow(source, labels, ids.length), alignedBy: 'row', names };
    return { labels: byId(source, read.columns.id as readonly (string | null)[], labels, ids), alignedBy: 'id', names };
  } finally {
    store.close();
  }
}

function fail(source: SourceFile, message: string): InputError {
  return new InputError(message, [{ path: source.file, message }]);
}

function encode(texts: readonly string[]): { labels: Int32Array; names: string[] | null } {
  const labels = new Int32Array(texts.length);
  const integers = texts.every((t) => /^\s*\d{1,9}\s*$/.test(t));
  if (integers) {
    for (let i = 0; i < texts.length; i++) labels[i] = Number(texts[i]);
    return { labels, names: null };
  }
  const codes = new Map<string, number>();
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!.trim();
    let c = codes.get(t);
    if (c === undefined) codes.set(t, (c = codes.size));
    labels[i] = c;
  }
  return { labels, names: [...codes.keys()] };
}

function byRow(source: SourceFile, labels: Int32Array, rows: number): Int32Array {
  if (labels.length !== rows) {
    throw fail(source, `${source.name} must have one label per input row when it has no id column (got ${labels.length} labels, rows=${rows})`);
  }
  return labels;
}

function byId(source: SourceFile, fileIds: readonly (string | null)[], labels: Int32Array, ids: readonly string[]): Int32Array {
  const index = new Map<string, number>();
  for (let r = 0; r < fileIds.length; r++) {
    const id = fileIds[r] ?? '';
    if (index.has(id)) throw fail(source, `${source.name} ${rowPlace(source, r)}: duplicate id ${describeValue(id)}`);
    index.set(id, r);
  }
  const out = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const r = index.get(ids[i]!);
    if (r === undefined) throw fail(source, `${source.name} has no label for id ${describeValue(ids[i])} (input row ${i + 1})`);
    out[i] = labels[r]!;
  }
  if (index.size !== ids.length) {
    throw fail(source, `${source.name} has labels for ${index.size - ids.length} ids that are not in the input (labels=${index.size}, rows=${ids.length})`);
  }
  return out;
}
