/**
 * Events import, first half: DuckDB reads a JSONL, CSV or Parquet file of Segment messages into the temp table
 * `import_events_stage` (one row per message, `pos` = its 0-based index in the file, times parsed to UTC,
 * properties/traits/context as JSON), then every row is checked against the contract (events/contract.ts).
 */
import { quoteIdent, quoteLiteral, type Store } from '../db.js';
import { discoverColumns, readerSql, wrapReadError, type FileFormat } from './source.js';

export const EVENTS_STAGE = 'import_events_stage';
const RAW = 'import_events_raw';

/** Segment field → stage column, in the order of the CSV/Parquet layout. */
export const EVENT_FIELDS = {
  messageId: 'message_id', type: 'type', event: 'event', name: 'name', userId: 'user_id', anonymousId: 'anonymous_id',
  previousId: 'previous_id', groupId: 'group_id', timestamp: 'timestamp', originalTimestamp: 'original_timestamp',
  sentAt: 'sent_at', receivedAt: 'received_at', properties: 'properties', traits: 'traits', context: 'context',
} as const;
type SegmentField = keyof typeof EVENT_FIELDS;
const JSON_FIELDS: readonly SegmentField[] = ['properties', 'traits', 'context'];

/**
 * `properties` keys copied into their own stage column `p_<key>` (as text) by one JSON parse per row; the
 * events columns and the numeric checks read these instead of parsing the JSON again.
 */
export const PROPERTY_KEYS = [
  'session_id', 'product_id', 'category', 'order_id', 'name', 'price', 'quantity', 'revenue', 'total', 'discount', 'dwell_seconds',
] as const;

/** Reads `file` into the stage table; returns the number of messages read. */
export async function stageEvents(store: Store, file: string, format: FileFormat): Promise<number> {
  const select = await rawSelect(store, file, format);
  await wrapReadError(file, () => store.run(`CREATE OR REPLACE TEMP TABLE ${RAW} AS ${select}`));
  // Inside a transaction DuckDB numbers new rows from 2^55: positions are taken relative to the first row.
  // The reader keeps file order (and glob order across part files), so the row id is the message's index
  // over the whole input; no sort of the wide rows is needed.
  const pos = `rowid - (SELECT min(rowid) FROM ${RAW})`;
  const parseTime = (column: string): string => `timezone('UTC', try_cast(${column} AS TIMESTAMPTZ))`;
  const asJson = (field: string): string =>
    `coalesce(${field}_json, try_cast(${field}_text AS JSON)) AS ${field}`;
  const paths = PROPERTY_KEYS.map((k) => quoteLiteral(`$.${k}`)).join(', ');
  const keys = PROPERTY_KEYS.map((k, i) => `pv[${i + 1}] AS p_${k}`).join(', ');
  // Event time (Segment spec): timestamp; else originalTimestamp corrected for clock skew; else receivedAt.
  await store.run(`CREATE OR REPLACE TEMP TABLE ${EVENTS_STAGE} AS
    SELECT * EXCLUDE (pv), ${keys}, coalesce(ts_timestamp,
        CASE WHEN ts_original IS NOT NULL AND ts_sent IS NOT NULL AND ts_received IS NOT NULL THEN ts_received - (ts_sent - ts_original) END,
        ts_original, ts_received) AS ts
    FROM (SELECT *, json_extract_string(properties, [${paths}]) AS pv
      FROM (SELECT (${pos})::BIGINT AS pos, * EXCLUDE (properties_json, traits_json, context_json),
        ${parseTime('"timestamp"')} AS ts_timestamp, ${parseTime('original_timestamp')} AS ts_original,
        ${parseTime('sent_at')} AS ts_sent, ${parseTime('received_at')} AS ts_received,
        ${asJson('properties')}, ${asJson('traits')}, ${asJson('context')}
      FROM ${RAW}))`);
  await store.run(`DROP TABLE ${RAW}`);
  return Number(await store.scalar(`SELECT count(*) FROM ${EVENTS_STAGE}`));
}

/** The SELECT that reads the file with one text column per Segment field (absent fields are NULL). */
async function rawSelect(store: Store, file: string, format: FileFormat): Promise<string> {
  const target = (field: SegmentField): string => (JSON_FIELDS.includes(field) ? `${EVENT_FIELDS[field]}_text` : EVENT_FIELDS[field]);
  const fields = Object.keys(EVENT_FIELDS) as SegmentField[];
  if (format === 'jsonl') {
    // JSON objects stay JSON (the reader has parsed them); the *_text columns are only for CSV and Parquet.
    const schema = fields.map((f) => `${quoteLiteral(f)}: '${JSON_FIELDS.includes(f) ? 'JSON' : 'VARCHAR'}'`).join(', ');
    const columns = fields.map((f) => (JSON_FIELDS.includes(f)
      ? `${quoteIdent(f)} AS ${EVENT_FIELDS[f]}_json, NULL::VARCHAR AS ${EVENT_FIELDS[f]}_text`
      : `${quoteIdent(f)} AS ${EVENT_FIELDS[f]}`)).join(', ');
    return `SELECT ${columns} FROM ${readerSql(file, 'jsonl', `columns={${schema}}, maximum_object_size=16777216`)}`;
  }
  const found = await discoverColumns(store, file, format);
  const typeOf = new Map(found.map((c) => [c.name, c.type]));
  const columns = fields.map((f) => {
    // Accept the Segment name or its snake_case column name (message_id, user_id, ...).
    const name = [f, EVENT_FIELDS[f]].find((n) => typeOf.has(n));
    const json = JSON_FIELDS.includes(f) ? `, NULL::JSON AS ${EVENT_FIELDS[f]}_json` : '';
    if (name === undefined) return `NULL::VARCHAR AS ${target(f)}${json}`;
    const type = typeOf.get(name) ?? 'VARCHAR';
    const nested = /^(STRUCT|MAP)|\[\]$/.test(type);
    // Typed Parquet times stay typed (parsed later by a cheap cast, not a round trip through text).
    if (/^TIMESTAMP/.test(type)) return `${quoteIdent(name)} AS ${target(f)}${json}`;
    return `${nested ? `to_json(${quoteIdent(name)})::VARCHAR` : `CAST(${quoteIdent(name)} AS VARCHAR)`} AS ${target(f)}${json}`;
  });
  const options = format === 'csv' ? 'all_varchar=true' : '';
  return `SELECT ${columns.join(', ')} FROM ${readerSql(file, format, options)}`;
}
