/**
 * Orders import, first half: map the file's columns to the canonical order fields, let DuckDB read and type
 * the file into a temp table, and reject the whole file on the first bad rows (file, line, column, value).
 * The result is the temp table `import_orders_stage` with canonical columns and `seq` (file order).
 */
import { InputError, describeValue, type InputIssue } from '../../core/errors.js';
import { quoteIdent, quoteLiteral, type Store } from '../db.js';
import { ORDER_FIELDS, REQUIRED_ORDER_FIELDS, type OrderField } from './presets.js';
import { discoverColumns, dropTemp, fileLabel, readerSql, wrapReadError, type FileFormat, type SourceColumn } from './source.js';

export const STAGE_TABLE = 'import_orders_stage';
const RAW_TABLE = 'import_orders_raw';
const REJECTS = 'import_orders_rejects';
const REJECT_SCANS = 'import_orders_reject_scans';
const MAX_ISSUES = 20;

const FIELD_TYPES: Record<OrderField, 'VARCHAR' | 'DOUBLE' | 'TIMESTAMPTZ'> = {
  order_id: 'VARCHAR', customer_id: 'VARCHAR', ordered_at: 'TIMESTAMPTZ', product_id: 'VARCHAR',
  description: 'VARCHAR', category: 'VARCHAR', quantity: 'DOUBLE', unit_price: 'DOUBLE', discount: 'DOUBLE',
  country: 'VARCHAR',
};
const TYPE_WORDS: Record<string, string> = { DOUBLE: 'a number', TIMESTAMPTZ: 'a time', 'TIMESTAMP WITH TIME ZONE': 'a time' };

/** Canonical field → source column (absent when the file has no such column and the field is optional). */
export type ColumnMapping = Partial<Record<OrderField, string>>;

/**
 * Resolves each canonical field to a column of the file: an explicit `map` entry, else the preset's, else a
 * column with the field's own name (exact, then case-insensitive). Fails on an unknown field, a mapped column
 * that does not exist, or a missing required field, naming the columns found.
 */
export function resolveMapping(file: string, columns: readonly SourceColumn[], explicit: ColumnMapping): ColumnMapping {
  const names = columns.map((c) => c.name);
  const found = names.map((n) => JSON.stringify(n)).join(', ');
  for (const key of Object.keys(explicit)) {
    if (!ORDER_FIELDS.includes(key as OrderField)) {
      throw new InputError(`unknown order field "${key}" in the column mapping (fields: ${ORDER_FIELDS.join(', ')})`, [{ path: `map.${key}`, message: 'unknown field' }]);
    }
  }
  const mapping: ColumnMapping = {};
  for (const field of ORDER_FIELDS) {
    const wanted = explicit[field];
    if (wanted !== undefined) {
      if (!names.includes(wanted)) {
        throw new InputError(`${fileLabel(file)}: column "${wanted}" mapped to ${field} does not exist (columns found: ${found})`,
          [{ path: `map.${field}`, message: `no column "${wanted}"` }]);
      }
      mapping[field] = wanted;
      continue;
    }
    const own = names.find((n) => n === field) ?? names.find((n) => n.toLowerCase() === field);
    if (own !== undefined) mapping[field] = own;
    else if (REQUIRED_ORDER_FIELDS.includes(field)) {
      throw new InputError(`${fileLabel(file)}: missing required column ${field} (map it with ${field}=<column>; columns found: ${found})`,
        [{ path: field, message: 'missing required column' }]);
    }
  }
  return mapping;
}

/**
 * Reads the file into `import_orders_stage`; returns the number of rows read. CSV columns are typed by
 * DuckDB's reader and its rejects table gives the line of a bad value; Parquet values are cast after reading.
 */
export async function stageOrders(store: Store, file: string, format: FileFormat & ('csv' | 'parquet'), explicit: ColumnMapping): Promise<{ rows: number; mapping: ColumnMapping }> {
  const columns = await discoverColumns(store, file, format);
  const mapping = resolveMapping(file, columns, explicit);
  // Numbers are typed by the CSV reader (which rejects a bad value with its line); times are read as text and
  // cast here, because the reader turns an unreadable TIMESTAMPTZ into NULL without a reject.
  const typeOf = new Map<string, string>();
  for (const field of ORDER_FIELDS) {
    const column = mapping[field];
    if (column !== undefined && FIELD_TYPES[field] === 'DOUBLE') typeOf.set(column, FIELD_TYPES[field]);
  }
  const select = ORDER_FIELDS.map((field) => `${fieldExpr(field, mapping[field])} AS ${field}`).join(',\n  ');
  const timeText = mapping.ordered_at !== undefined ? `, ${quoteIdent(mapping.ordered_at)} AS ordered_at__text` : '';
  if (format === 'csv') {
    // One pass: DuckDB types the columns while reading; bad values land in the rejects table with their line.
    const spec = columns.map((c) => `${quoteLiteral(c.name)}: '${typeOf.get(c.name) ?? 'VARCHAR'}'`).join(', ');
    const reader = readerSql(file, 'csv', `columns={${spec}}, store_rejects=true, rejects_table='${REJECTS}', rejects_scan='${REJECT_SCANS}'`);
    await store.run(`DROP TABLE IF EXISTS ${REJECTS}; DROP TABLE IF EXISTS ${REJECT_SCANS}`);
    try {
      await wrapReadError(file, () => store.run(`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} AS SELECT\n  ${select}${timeText}\nFROM ${reader}`));
      await throwOnRejects(store, file);
    } finally {
      await dropTemp(store, REJECTS, REJECT_SCANS);
    }
    await throwOnBadValues(store, file, format, STAGE_TABLE, ORDER_FIELDS.map((field) => ({ field, column: mapping[field], ref: field })));
    if (timeText) await store.run(`ALTER TABLE ${STAGE_TABLE} DROP COLUMN ordered_at__text`);
  } else {
    await wrapReadError(file, () => store.run(`CREATE OR REPLACE TEMP TABLE ${RAW_TABLE} AS SELECT * FROM ${readerSql(file, 'parquet')}`));
    try {
      // A column already of the field's type (DOUBLE, or a number type for a DOUBLE field; TIMESTAMP for a time)
      // always casts: only its required-field test remains.
      const parquetType = new Map(columns.map((c) => [c.name, c.type]));
      const castsAlways = (field: OrderField, column: string | undefined): boolean => {
        const type = column === undefined ? undefined : parquetType.get(column);
        if (type === undefined) return false;
        if (FIELD_TYPES[field] === 'DOUBLE') return /^(DOUBLE|FLOAT|REAL|(U?(BIG|SMALL|TINY|HUGE)?INT(EGER)?)|DECIMAL.*)$/.test(type);
        if (FIELD_TYPES[field] === 'TIMESTAMPTZ') return /^TIMESTAMP( WITH TIME ZONE)?$/.test(type);
        return false;
      };
      await throwOnBadValues(store, file, format, RAW_TABLE, ORDER_FIELDS.map((field) => ({ field, column: mapping[field], ref: mapping[field], typed: castsAlways(field, mapping[field]) })));
      await store.run(`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} AS SELECT\n  ${select}\nFROM ${RAW_TABLE}`);
    } finally {
      await dropTemp(store, RAW_TABLE);
    }
  }
  const rows = Number(await store.scalar(`SELECT count(*) FROM ${STAGE_TABLE}`));
  return { rows, mapping };
}

/** The staged value of one field: typed, text trimmed to NULL when empty, float-printed integer ids fixed. */
function fieldExpr(field: OrderField, column: string | undefined): string {
  const type = FIELD_TYPES[field];
  if (column === undefined) return field === 'discount' ? '0::DOUBLE' : `NULL::${type === 'TIMESTAMPTZ' ? 'TIMESTAMP' : type}`;
  const source = quoteIdent(column);
  if (type === 'DOUBLE') return `try_cast(${source} AS DOUBLE)`;
  if (type === 'TIMESTAMPTZ') return `timezone('UTC', try_cast(${source} AS TIMESTAMPTZ))`;
  const text = `nullif(trim(CAST(${source} AS VARCHAR)), '')`;
  // `17850.0` (a float-printed id, as in Online Retail's CustomerID) is stored as `17850`.
  // The regular expression runs only on ids with a dot in them (cheap test first).
  if (field === 'customer_id') {
    return `CASE WHEN contains(${text}, '.') THEN regexp_replace(${text}, '^(-?[0-9]+)\\.0+$', '\\1') ELSE ${text} END`;
  }
  return text;
}

async function throwOnRejects(store: Store, file: string): Promise<void> {
  const total = Number(await store.scalar(`SELECT count(*) FROM ${REJECTS}`));
  if (total === 0) return;
  const rows = await store.rows<{ line: number; column_name: string | null; error_type: string; csv_line: string; error_message: string }>(
    `SELECT line, column_name, error_type, csv_line, error_message FROM ${REJECTS} ORDER BY line LIMIT ${MAX_ISSUES}`);
  const issues: InputIssue[] = rows.map((r) => ({ path: `${fileLabel(file)}:${r.line}`, message: rejectMessage(r) }));
  throw manyIssues(issues, total);
}

function rejectMessage(r: { column_name: string | null; error_type: string; csv_line: string; error_message: string }): string {
  const cast = /Could not convert string "(.*)" to '([A-Z ]+)'/.exec(r.error_message);
  if (r.error_type === 'CAST' && cast) {
    return `column ${r.column_name}: cannot read ${describeValue(cast[1])} as ${TYPE_WORDS[cast[2] ?? ''] ?? cast[2]}`;
  }
  return `${r.error_type.toLowerCase()}: ${(r.error_message.split('\n')[0] ?? '').trim()} (line ${describeValue(r.csv_line)})`;
}

/**
 * Required fields that are empty, and values that do not cast to the field's type (times in CSV, everything in
 * Parquet): one counting scan, and the details only when something is wrong.
 */
async function throwOnBadValues(store: Store, file: string, format: FileFormat, table: string,
  fields: readonly { field: OrderField; column: string | undefined; ref: string | undefined; typed?: boolean }[]): Promise<void> {
  // Inside a transaction DuckDB numbers new rows from 2^55, so the position is taken relative to the first row.
  // The readers keep file order (and glob order across part files), so this is the row's index in the input.
  const position = `(rowid - (SELECT min(rowid) FROM ${table}))`;
  const checks: { column: string; condition: string; rule: string; value: string }[] = [];
  for (const { field, column, ref, typed } of fields) {
    if (column === undefined || ref === undefined) continue;
    const timeText = format === 'csv' && FIELD_TYPES[field] === 'TIMESTAMPTZ';
    const raw = timeText ? quoteIdent(`${ref}__text`) : `CAST(${quoteIdent(ref)} AS VARCHAR)`;
    if (REQUIRED_ORDER_FIELDS.includes(field)) {
      const empty = typed ? `${quoteIdent(ref)} IS NULL` : `(${raw} IS NULL OR trim(${raw}) = '')`;
      checks.push({ column, condition: empty, rule: 'is required but empty', value: raw });
    }
    if (format === 'csv' && FIELD_TYPES[field] === 'TIMESTAMPTZ') {
      const text = quoteIdent(`${ref}__text`);
      checks.push({ column, condition: `(${quoteIdent(ref)} IS NULL AND trim(${text}) <> '')`, rule: 'cannot read as a time', value: text });
    }
    if (format === 'parquet' && FIELD_TYPES[field] !== 'VARCHAR' && !typed) {
      const cast = `try_cast(${quoteIdent(ref)} AS ${FIELD_TYPES[field]})`;
      checks.push({ column, condition: `(${cast} IS NULL AND trim(${raw}) <> '')`, rule: `cannot read as ${TYPE_WORDS[FIELD_TYPES[field]]}`, value: raw });
    }
  }
  if (checks.length === 0) return;
  // On the CSV stage every problem leaves a required field NULL (text is trimmed to NULL, numbers are typed by
  // the reader, times are cast): that cheap test comes first, the detailed conditions only if it finds any.
  const anyBad = format === 'csv'
    ? REQUIRED_ORDER_FIELDS.map((f) => `${f} IS NULL`).join(' OR ')
    : checks.map((c) => c.condition).join(' OR ');
  if (Number(await store.scalar(`SELECT count(*) FROM ${table} WHERE ${anyBad}`)) === 0) return;
  const total = Number(await store.scalar(`SELECT count(*) FROM ${table} WHERE ${checks.map((c) => c.condition).join(' OR ')}`));
  if (total === 0) return;
  const found: { seq: number; col: string; value: string | null; rule: string }[] = [];
  for (const c of checks) {
    const rows = await store.rows<{ seq: number | bigint; value: string | null }>(
      `SELECT ${position} AS seq, ${c.value} AS value FROM ${table} WHERE ${c.condition} ORDER BY ${position} LIMIT ${MAX_ISSUES}`);
    for (const r of rows) found.push({ seq: Number(r.seq), col: c.column, value: r.value, rule: c.rule });
  }
  found.sort((x, y) => x.seq - y.seq);
  const issues = found.slice(0, MAX_ISSUES).map((r) => {
    const where = format === 'csv' ? `${fileLabel(file)}:${r.seq + 2}` : `${fileLabel(file)}: row ${r.seq + 1}`;
    const message = r.rule.startsWith('cannot')
      ? `column ${r.col}: ${r.rule.replace(' as ', ` ${describeValue(r.value)} as `)}`
      : `column ${r.col}: ${r.rule}`;
    return { path: where, message };
  });
  throw manyIssues(issues, Math.max(total, issues.length));
}

/** One InputError for a list of issues: the first in the message, the count of the others after it. */
export function manyIssues(issues: readonly InputIssue[], total: number): InputError {
  const first = issues[0];
  const more = total > 1 ? ` (and ${total - 1} more problem${total > 2 ? 's' : ''})` : '';
  return new InputError(first ? `${first.path}: ${first.message}${more}` : 'invalid input', issues);
}
