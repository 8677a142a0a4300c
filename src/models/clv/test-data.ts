/**
 * Test helper: reads the shared datasets in place (`../shared/data/...` from the repository root) and returns
 * null when they are absent so that tests can skip with a clear message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The text of a shared data file, or null when the shared data folder is absent. */
export function sharedText(relative: string): string | null {
  const path = resolve(process.cwd(), '../shared/data', relative);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** Skip reason for `test(name, { skip })` when a shared data file is absent, else false. */
export function missing(relative: string): string | false {
  return existsSync(resolve(process.cwd(), '../shared/data', relative))
    ? false
    : `shared data ../shared/data/${relative} is absent (run from the repository root with the shared data beside it)`;
}

/** A numeric CSV with a header, as columns by header name (ids kept as strings under `ids`). */
export function csvColumns(text: string): { ids: string[]; columns: Map<string, Float64Array> } {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const columns = new Map<string, Float64Array>();
  header.forEach((name, j) => columns.set(name, Float64Array.from(rows, (r) => Number(r[j]))));
  return { ids: rows.map((r) => r[0]!), columns };
}

/** A column that must exist. */
export function col(columns: Map<string, Float64Array>, name: string): Float64Array {
  const c = columns.get(name);
  if (!c) throw new Error(`test data has no column ${name}`);
  return c;
}
