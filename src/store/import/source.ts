/**
 * Reading input files through DuckDB: format detection, column discovery, the gzip integrity check, turning
 * DuckDB's reader errors into one-line `InputError`s, and a UTC session for parsing times.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../core/errors.js';
import { quoteLiteral, type Store } from '../db.js';

export type FileFormat = 'csv' | 'jsonl' | 'parquet';

/** A column of an input file, as DuckDB sees it. */
export interface SourceColumn {
  readonly name: string;
  readonly type: string;
}

/** True when the last path segment holds a `*` or `?` wildcard (DuckDB's readers take such globs as they are). */
export function isGlob(file: string): boolean {
  return /[*?]/.test(basename(file));
}

/**
 * The files a path names: itself, or for a glob in the last segment (`events/part-*.parquet`, as the synthetic
 * shop writes) every matching file in its folder, sorted. Wildcards in folder names are not expanded.
 */
export function expandFiles(file: string): string[] {
  if (!isGlob(file)) return [file];
  const dir = dirname(file);
  const pattern = new RegExp(`^${basename(file).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => pattern.test(name)).sort().map((name) => join(dir, name));
}

/** Fails with a one-line error when `file` does not exist or is not a regular file (for a glob: matches nothing). */
export function requireFile(file: string, what: string): void {
  if (isGlob(file)) {
    const matches = expandFiles(file);
    if (matches.length === 0) throw new InputError(`${what} files not found: no file matches ${file}`, [{ path: file, message: 'no file matches' }]);
    for (const match of matches) requireFile(match, what);
    return;
  }
  if (!existsSync(file)) throw new InputError(`${what} file not found: ${file}`, [{ path: file, message: 'file not found' }]);
  if (!statSync(file).isFile()) throw new InputError(`${what} file is not a regular file: ${file}`, [{ path: file, message: 'not a file' }]);
}

/** The format from the file name (`.csv`, `.tsv`, `.jsonl`, `.ndjson`, `.json`, `.parquet`, each optionally `.gz`). */
export function formatOf(file: string, allowed: readonly FileFormat[]): FileFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  const format: FileFormat | undefined = /\.(csv|tsv|txt)$/.test(name) ? 'csv'
    : /\.(jsonl|ndjson|json)$/.test(name) ? 'jsonl'
      : /\.parquet$/.test(name) ? 'parquet' : undefined;
  if (!format || !allowed.includes(format)) {
    throw new InputError(`cannot tell the format of ${file} from its name (expected ${allowed.map((f) => `.${f}`).join(', ')}, optionally .gz)`,
      [{ path: file, message: 'unknown file format' }]);
  }
  return format;
}

/**
 * Decompresses a `.gz` file to nowhere and fails with a one-line error when it is truncated or corrupt
 * (DuckDB's CSV reader silently stops at the break). Cost: one pass over the file on the libuv thread pool,
 * so it runs while DuckDB reads the same file.
 */
export async function checkGzip(file: string): Promise<void> {
  if (!file.toLowerCase().endsWith('.gz')) return;
  if (isGlob(file)) {
    for (const match of expandFiles(file)) await checkGzip(match);
    return;
  }
  const sink = new Writable({ write(_chunk, _encoding, callback) { callback(); } });
  try {
    await pipeline(createReadStream(file), createGunzip(), sink);
  } catch (error) {
    const reason = (error as Error).message;
    throw new InputError(`${basename(file)}: gzip data is truncated or corrupt (${reason})`, [{ path: file, message: reason }]);
  }
}

/**
 * Runs DuckDB's read of a file together with `checkGzip` on it, and waits for both before failing, so the
 * transaction is never rolled back under a statement still running. A gzip error wins: it explains the other.
 */
export async function readWithGzipCheck<T>(file: string, read: Promise<T>): Promise<T> {
  const [result, check] = await Promise.allSettled([read, checkGzip(file)]);
  if (check.status === 'rejected') throw check.reason;
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** The table-function call that reads `file` (path quoted: table functions take no bound parameters). */
export function readerSql(file: string, format: FileFormat, options = ''): string {
  const path = quoteLiteral(file);
  const extra = options ? `, ${options}` : '';
  if (format === 'parquet') return `read_parquet(${path}${extra})`;
  if (format === 'jsonl') return `read_json(${path}, format='newline_delimited'${extra})`;
  return `read_csv(${path}, header=true${extra})`;
}

/** The columns of a CSV (all read as text) or Parquet file, in file order. */
export async function discoverColumns(store: Store, file: string, format: 'csv' | 'parquet'): Promise<SourceColumn[]> {
  const reader = format === 'csv' ? readerSql(file, 'csv', 'all_varchar=true') : `read_parquet(${quoteLiteral(file)})`;
  const described = await wrapReadError(file, () => store.rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${reader}`));
  return described.map((c) => ({ name: c.column_name, type: c.column_type }));
}

/**
 * Runs `work`, turning any DuckDB error into a one-line `InputError` that names the file; errors for which
 * `passThrough` is true are rethrown as they are.
 */
export async function wrapReadError<T>(file: string, work: () => Promise<T>, passThrough?: (error: unknown) => boolean): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InputError || passThrough?.(error)) throw error;
    const first = ((error as Error).message.split('\n')[0] ?? '').trim();
    throw new InputError(`${basename(file)}: cannot read the file: ${first}`, [{ path: file, message: first }]);
  }
}

/**
 * Runs `work` with the session time zone set to UTC, so that times without an offset are read as UTC and
 * times with one are converted to UTC; restores the previous zone afterwards.
 */
export async function withUtcSession<T>(store: Store, work: () => Promise<T>): Promise<T> {
  return withSessionSetting(store, 'TimeZone', 'UTC', work);
}

/**
 * Runs `work` with a DuckDB session setting changed, and restores the previous value afterwards. Inside a
 * transaction that a failed statement aborted, DuckDB refuses the `SET`: the restore then runs when the
 * transaction has been rolled back.
 */
export async function withSessionSetting<T>(store: Store, name: string, value: string, work: () => Promise<T>): Promise<T> {
  const previous = (await store.scalar<string>(`SELECT current_setting(${quoteLiteral(name)})::VARCHAR`)) ?? '';
  if (previous === value) return work();
  await store.run(`SET ${name} = ${quoteLiteral(value)}`);
  const restore = (): Promise<number> => store.run(`SET ${name} = ${quoteLiteral(previous)}`);
  try {
    return await work();
  } finally {
    await restore().catch(async (error: unknown) => {
      if (!store.inTransaction) throw error;
      await store.afterTransaction(restore);
    });
  }
}

/** A short, file-name-only label for messages: `orders.csv` rather than a long absolute path. */
export function fileLabel(file: string): string {
  return basename(file);
}

/**
 * Drops the import's temp tables and views. After a failure the transaction is aborted and its rollback removes
 * them anyway, so an error here is ignored rather than allowed to hide the original one.
 */
export async function dropTemp(store: Store, ...names: string[]): Promise<void> {
  for (const name of names) {
    const kind = await store.scalar<string>(`SELECT table_type FROM information_schema.tables WHERE table_catalog = 'temp' AND table_name = $1`, [name])
      .catch(() => undefined);
    if (kind === undefined) continue;
    await store.run(`DROP ${kind === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${name}`).catch(() => undefined);
  }
}
