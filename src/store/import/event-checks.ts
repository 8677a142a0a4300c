/**
 * The event contract (events/contract.ts) as SQL conditions over the `import_events_src` view, so a file of
 * millions of messages is checked set-based. The import writes through `contractGuard`, which stops the
 * statement at the first bad row written (rows skipped as duplicates are not checked); only then are the details
 * (first 20 problems, in file order) read, by `checkEvents`. Field names and wording follow `validateMessage`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { describeValue, type InputIssue } from '../../core/errors.js';
import { CONSENT_PURPOSES, MESSAGE_TYPES, NUMERIC_PROPERTIES } from '../../events/contract.js';
import { quoteLiteral, type Store } from '../db.js';
import { EVENTS_SOURCE, mayHaveKey, type EventSource } from './events-source.js';
import { manyIssues } from './orders-stage.js';
import { fileLabel, wrapReadError } from './source.js';

const MAX_ISSUES = 20;

interface Check {
  /** True for a bad row (over the stage's columns). */
  readonly condition: string;
  /** The offending value, as text. */
  readonly value: string;
  readonly message: (value: string | null) => string;
}

const list = (values: readonly string[]): string => `[${values.map(quoteLiteral).join(', ')}]`;
const missing = (column: string): string => `(${column} IS NULL OR ${column} = '')`;
/**
 * A number DuckDB cannot read, or reads as ±Infinity/NaN (`inf`, `nan`, `1e400`), or with digit separators (`1_000`):
 * refused, as the HTTP API refuses them (`events/numeric-text.ts`), so both doors store the same values.
 */
const badNumber = (text: string): string => `(try_cast(${text} AS DOUBLE) IS NULL OR NOT isfinite(try_cast(${text} AS DOUBLE)) OR contains(${text}, '_'))`;

const numberOk = (json: string, path: string): string =>
  `(json_type(${json}, '${path}') IS NULL OR json_type(${json}, '${path}') = 'NULL' OR NOT ${badNumber(`(${json} ->> '${path}')`)})`;
const consentOk = (json: string, path: string): string => `(json_type(${json}, '${path}') = 'OBJECT' AND coalesce(list_bool_and(list_transform(
  json_keys(${json}, '${path}'), k -> list_contains(${list(CONSENT_PURPOSES)}, k) AND json_type(${json}, '${path}."' || k || '"') = 'BOOLEAN')), true))`;

const TIME_CHECKS: Check[] = (
  [['timestamp', '"timestamp"', 'ts_timestamp'], ['originalTimestamp', 'original_timestamp', 'ts_original'],
    ['sentAt', 'sent_at', 'ts_sent'], ['receivedAt', 'received_at', 'ts_received']] as const
).map(([field, text, parsed]) => ({
  condition: `(${text} IS NOT NULL AND ${parsed} IS NULL)`, value: text,
  message: (v) => `${field}: cannot read ${describeValue(v)} as an ISO 8601 time`,
}));

const JSON_CHECKS: Check[] = (['properties', 'traits', 'context'] as const).map((field) => ({
  // Valid JSON whose first character is '{' is an object: a text test instead of another parse. The plain test
  // first: DuckDB evaluates an AND's later terms only for the rows still true, so ltrim (a copy of the text) runs
  // only for documents that start with white space.
  condition: `((${field} IS NOT NULL AND NOT starts_with(${field}::VARCHAR, '{') AND NOT starts_with(ltrim(${field}::VARCHAR, ' \t\n\r'), '{'))
    OR (${field}_text IS NOT NULL AND ${field} IS NULL))`,
  value: `coalesce(${field}_text, ${field}::VARCHAR)`,
  message: (v) => `${field}: must be a JSON object (got ${describeValue(v)})`,
}));

const NUMBER_CHECKS: Check[] = NUMERIC_PROPERTIES.map((key) => ({
  condition: `(p_${key} IS NOT NULL AND ${badNumber(`p_${key}`)})`, value: `p_${key}`,
  message: (v) => `properties.${key}: cannot read ${describeValue(v)} as a number`,
}));

const ORDER = `(type = 'track' AND event = 'Order Completed')`;

/**
 * True only for an order whose products are certainly valid: a non-empty array of objects, each with a numeric
 * price and numeric (or absent, or null) quantity and discount. One parse of `properties` into typed text
 * (`json_transform` keeps a number's text, and takes the first of repeated keys, as `->>` does); the exact
 * product checks below run only for the orders it cannot clear (no products, or any doubt). Without it, those
 * checks parsed `properties` and each product several times: ~6 s of CPU over 815,000 orders, then ~2 s (measured
 * at 100,000 customers, where all the checks and PII hashing together had cost ~15 s).
 */
const PRODUCTS_CLEARLY_VALID = `coalesce(list_bool_and(list_transform(
  json_transform(properties, '{"products": [{"price": "VARCHAR", "quantity": "VARCHAR", "discount": "VARCHAR"}]}').products,
  p -> p IS NOT NULL AND p.price IS NOT NULL AND NOT ${badNumber('p.price')}
    AND (p.quantity IS NULL OR NOT ${badNumber('p.quantity')}) AND (p.discount IS NULL OR NOT ${badNumber('p.discount')}))), false)`;
const SUSPECT_ORDER = `(${ORDER} AND NOT ${PRODUCTS_CLEARLY_VALID})`;
/**
 * The exact checks of an order's products, for the orders `PRODUCTS_CLEARLY_VALID` cannot clear (conditions without
 * that test: `CHECKS` and `ANY_VIOLATION` add it, the guard once for both).
 */
const PRODUCT_CHECKS: readonly Check[] = [
  { condition: `(json_type(properties, '$.products') IS NOT NULL AND json_type(properties, '$.products') <> 'ARRAY')`, value: `(properties ->> '$.products')`,
    message: (v) => `properties.products: must be an array (got ${describeValue(v)})` },
  { condition: `(json_type(properties, '$.products') = 'ARRAY' AND NOT list_bool_and(list_transform(json_extract(properties, '$.products[*]'),
      p -> json_type(p) = 'OBJECT' AND NOT ${badNumber(`(p ->> '$.price')`)} AND ${numberOk('p', '$.quantity')} AND ${numberOk('p', '$.discount')})))`,
    value: `(properties ->> '$.products')`,
    message: (v) => `properties.products: every product needs a numeric price, and numeric quantity and discount when present (got ${describeValue(v)})` },
];
/** Every check but the products': each row's fields, one by one. */
const FIELD_CHECKS: readonly Check[] = [
  { condition: missing('message_id'), value: 'message_id', message: (v) => `messageId: is required (got ${describeValue(v)})` },
  { condition: `(type IS NULL OR NOT list_contains(${list(MESSAGE_TYPES)}, type))`, value: 'type', message: (v) => `type: must be one of ${MESSAGE_TYPES.join(', ')} (got ${describeValue(v)})` },
  { condition: `(${missing('user_id')} AND ${missing('anonymous_id')})`, value: 'NULL', message: () => 'userId: userId or anonymousId is required (got neither)' },
  { condition: `(type = 'alias' AND ${missing('user_id')})`, value: 'user_id', message: () => 'userId: alias requires userId' },
  { condition: `(type = 'alias' AND ${missing('previous_id')})`, value: 'previous_id', message: (v) => `previousId: alias requires previousId (got ${describeValue(v)})` },
  { condition: `(type = 'track' AND ${missing('event')})`, value: 'event', message: (v) => `event: track requires event (got ${describeValue(v)})` },
  ...TIME_CHECKS,
  { condition: `("timestamp" IS NULL AND original_timestamp IS NULL AND received_at IS NULL)`, value: 'NULL', message: () => 'timestamp: is required (no timestamp, originalTimestamp or receivedAt)' },
  ...JSON_CHECKS,
  ...NUMBER_CHECKS,
  { condition: `(${mayHaveKey('context', 'consent')} AND json_type(context, '$.consent') IS NOT NULL AND NOT ${consentOk('context', '$.consent')})`, value: `(context ->> '$.consent')`,
    message: (v) => `context.consent: must be an object of ${CONSENT_PURPOSES.join('/')} → true/false (got ${describeValue(v)})` },
  { condition: `(type = 'track' AND event = 'Consent Updated' AND NOT ${consentOk('properties', '$.consent')})`, value: `(properties ->> '$.consent')`,
    message: (v) => `properties.consent: must be an object of ${CONSENT_PURPOSES.join('/')} → true/false (got ${describeValue(v)})` },
  { condition: `(${ORDER} AND p_order_id IS NULL)`, value: 'p_order_id',
    message: (v) => `properties.order_id: Order Completed requires order_id (got ${describeValue(v)})` },
];
const CHECKS: readonly Check[] = [...FIELD_CHECKS, ...PRODUCT_CHECKS.map((c) => ({ ...c, condition: `(${SUSPECT_ORDER} AND ${c.condition})` }))];

/** The text of the error `contractGuard` raises; `isContractViolation` recognises it. */
const VIOLATION = 'segmenta: an event breaks the contract';

/**
 * True for a row that breaks the contract (SQL over the view's columns). The product checks share one test of
 * `PRODUCTS_CLEARLY_VALID`: DuckDB does not share it between two ORed conditions, and each evaluation parses every
 * order's products. The written columns and the guard over 10.9M events took 5.5, 5.8 and 6.8 s against 6.0, 6.3
 * and 7.5 s with the test twice, in three alternated pairs.
 */
const ANY_VIOLATION = `(${[...FIELD_CHECKS.map((c) => c.condition),
  `(${SUSPECT_ORDER} AND (${PRODUCT_CHECKS.map((c) => c.condition).join(' OR ')}))`].join('\n OR ')})`;

/**
 * `value` for a good row; an error for a bad one. Used in the write's projection (not its WHERE), so DuckDB
 * evaluates the checks together with the columns written and shares their JSON parsing: checking costs a
 * fraction of a separate pass.
 */
export function contractGuard(value: string): string {
  return `(CASE WHEN ${ANY_VIOLATION} THEN error(${quoteLiteral(VIOLATION)}) ELSE ${value} END)`;
}

/** Counts the bad rows (one pass over the input). */
async function countContractViolations(store: Store): Promise<number> {
  return Number(await store.scalar(`SELECT count(*) FROM ${EVENTS_SOURCE} WHERE ${ANY_VIOLATION}`));
}

export function isContractViolation(error: unknown): boolean {
  return error instanceof Error && error.message.includes(VIOLATION);
}

/** Throws an `InputError` listing the first problems (file:line, field, value) when any message breaks the contract. */
export async function checkEvents(store: Store, file: string, source: EventSource): Promise<void> {
  // The first full read of a Parquet input: a damaged file fails here, named.
  const total = await wrapReadError(file, () => countContractViolations(store));
  if (total === 0) return;
  const found: { pos: number; message: string }[] = [];
  for (const check of CHECKS) {
    const rows = await store.rows<{ pos: number | bigint; value: string | null }>(
      `SELECT pos, CAST(${check.value} AS VARCHAR) AS value FROM ${EVENTS_SOURCE} WHERE ${check.condition} ORDER BY pos LIMIT ${MAX_ISSUES}`);
    for (const r of rows) found.push({ pos: Number(r.pos), message: check.message(r.value) });
  }
  found.sort((a, b) => a.pos - b.pos);
  const first = found.slice(0, MAX_ISSUES);
  const positions = first.map((f) => f.pos);
  const where = source.locate(positions) ?? await locateJsonLines(file, positions);
  const issues: InputIssue[] = first.map((f, i) => ({ path: where[i] ?? `${fileLabel(file)}: event ${f.pos + 1}`, message: f.message }));
  throw manyIssues(issues, Math.max(total, issues.length));
}

/**
 * Where each 0-based message index is in a JSONL file, as `events.jsonl:7`: DuckDB skips blank lines, so the
 * file is re-read to count them — only on this error path.
 */
async function locateJsonLines(file: string, positions: readonly number[]): Promise<string[]> {
  const label = fileLabel(file);
  const wanted = new Map<number, number>();
  const last = Math.max(...positions);
  const input = createReadStream(file);
  const lines = createInterface({ input: file.toLowerCase().endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let index = -1;
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    index++;
    if (positions.includes(index)) wanted.set(index, line);
    if (index >= last) break;
  }
  input.destroy();
  return positions.map((p) => `${label}:${wanted.get(p) ?? p + 1}`);
}
