/**
 * Reading the inputs of CLV and journeys through DuckDB: a transactions file (`customer_id,date[,amount]`), a
 * ready summary file (`frequency,recency,T[,monetary]`), the Online Retail preset, and journey steps from the
 * store's `events` table. Column sets are detected from the file's header.
 */
import { InputError } from '../../core/errors.js';
import { quoteIdent, quoteLiteral, type Store } from '../../store/db.js';
import { presetDefaultFile } from '../../store/import/index.js';
import type { Transactions } from '../../models/clv/index.js';
import { STATE, type JourneySteps } from '../../models/journeys/index.js';

/** A per-customer summary given directly (no transactions, so no holdout). */
export interface ReadySummary {
  readonly ids: readonly string[];
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly monetary?: Float64Array;
}

export type ClvInput =
  | { readonly kind: 'transactions'; readonly source: string; readonly transactions: Transactions }
  | { readonly kind: 'summary'; readonly source: string; readonly summary: ReadySummary };

/** Preset files: the order importer's presets, resolved the same way (see `presetDefaultFile`). */
export const PRESETS = {
  'online-retail': presetDefaultFile('online-retail'),
} as const;
export type Preset = keyof typeof PRESETS;

function reader(file: string): string {
  return /\.parquet$/i.test(file) ? `read_parquet(${quoteLiteral(file)})` : `read_csv(${quoteLiteral(file)}, header = true)`;
}

/** Reads a transactions or summary file, telling them apart by their columns (case-insensitive). */
export async function readClvFile(store: Store, file: string): Promise<ClvInput> {
  const from = reader(file);
  let names: string[];
  try {
    names = (await store.rows<{ column_name: string }>(`DESCRIBE SELECT * FROM ${from}`)).map((r) => r.column_name);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const col = (...candidates: string[]): string | undefined => candidates.map((c) => byLower.get(c)).find((c) => c !== undefined);
  const freq = col('frequency', 'x');
  const rec = col('recency', 't_x');
  const T = col('t');
  if (freq && rec && T) {
    const money = col('monetary', 'monetary_value', 'zbar');
    const id = col('customer_id', 'id');
    const m = await store.readMatrix(
      `SELECT ${id ? `CAST(${quoteIdent(id)} AS VARCHAR)` : 'CAST(row_number() OVER () AS VARCHAR)'}, ` +
        `TRY_CAST(${quoteIdent(freq)} AS DOUBLE), TRY_CAST(${quoteIdent(rec)} AS DOUBLE), TRY_CAST(${quoteIdent(T)} AS DOUBLE)` +
        `${money ? `, TRY_CAST(${quoteIdent(money)} AS DOUBLE)` : ''} FROM ${from}`,
    );
    const column = (j: number) => Float64Array.from({ length: m.rows }, (_, i) => m.values[i * m.cols + j]!);
    return { kind: 'summary', source: file, summary: { ids: m.ids, frequency: column(0), recency: column(1), T: column(2), ...(money ? { monetary: column(3) } : {}) } };
  }
  const cid = col('customer_id');
  const date = col('date');
  if (!cid || !date) {
    throw new InputError(`${file} must have columns customer_id,date[,amount] (transactions) or frequency,recency,T[,monetary] (summary) (got ${names.join(',')})`);
  }
  const amount = col('amount');
  const text = `CAST(${quoteIdent(date)} AS VARCHAR)`;
  const time = `COALESCE(TRY_CAST(${text} AS TIMESTAMP), TRY_STRPTIME(${text}, '%Y%m%d'))`;
  return transactionsFrom(store, file,
    `SELECT CAST(${quoteIdent(cid)} AS VARCHAR), CAST(epoch_ms(${time}) AS DOUBLE)${amount ? `, TRY_CAST(${quoteIdent(amount)} AS DOUBLE)` : ''} FROM ${from}`,
    amount !== undefined);
}

/**
 * The UCI Online Retail preset as transactions: rows with a CustomerID, Quantity > 0, UnitPrice > 0 and no `C`
 * invoice; one transaction per invoice, amount = Σ Quantity × UnitPrice, date = the invoice's first InvoiceDate.
 */
export async function readOnlineRetail(store: Store, file: string = PRESETS['online-retail']): Promise<ClvInput> {
  const sql = `
    SELECT CAST(CAST(TRY_CAST(CustomerID AS DOUBLE) AS BIGINT) AS VARCHAR) AS customer_id,
           CAST(epoch_ms(min(TRY_CAST(InvoiceDate AS TIMESTAMP))) AS DOUBLE) AS t,
           sum(TRY_CAST(Quantity AS DOUBLE) * TRY_CAST(UnitPrice AS DOUBLE)) AS amount
    FROM read_csv(${quoteLiteral(file)}, header = true, all_varchar = true)
    WHERE CustomerID IS NOT NULL AND CustomerID <> '' AND TRY_CAST(Quantity AS DOUBLE) > 0
      AND TRY_CAST(UnitPrice AS DOUBLE) > 0 AND NOT starts_with(InvoiceNo, 'C')
    GROUP BY InvoiceNo, customer_id`;
  return transactionsFrom(store, file, sql, true);
}

async function transactionsFrom(store: Store, file: string, sql: string, hasAmount: boolean): Promise<ClvInput> {
  let m: Awaited<ReturnType<Store['readMatrix']>>;
  try {
    m = await store.readMatrix(sql);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const time = new Float64Array(m.rows);
  const amount = hasAmount ? new Float64Array(m.rows) : undefined;
  for (let i = 0; i < m.rows; i++) {
    time[i] = m.values[i * m.cols]!;
    if (amount) amount[i] = m.values[i * m.cols + 1]!;
  }
  const missing = m.ids.findIndex((id) => id === 'null' || id === '');
  if (missing >= 0) throw new InputError(`${file}: row ${missing + 1}: customer_id must not be empty`);
  return { kind: 'transactions', source: file, transactions: { customerId: m.ids, time, ...(amount ? { amount } : {}) } };
}

/** SQL CASE mapping an event to a journey state code; NULL for events that are not journey steps. */
export const EVENT_STATE_SQL = `CASE
  WHEN type = 'track' AND event = 'Product Viewed' THEN ${STATE.product}
  WHEN type = 'track' AND event IN ('Product Added', 'Cart Viewed') THEN ${STATE.cart}
  WHEN type = 'track' AND event = 'Checkout Started' THEN ${STATE.checkout}
  WHEN type = 'track' AND event = 'Order Completed' THEN ${STATE.purchase}
  WHEN type IN ('page', 'screen') AND lower(name) LIKE '%home%' THEN ${STATE.home}
  WHEN type IN ('page', 'screen') AND lower(name) LIKE '%category%' THEN ${STATE.category}
  WHEN type IN ('page', 'screen') AND lower(name) LIKE '%product%' THEN ${STATE.product}
  WHEN type IN ('page', 'screen') AND lower(name) LIKE '%cart%' THEN ${STATE.cart}
  WHEN type IN ('page', 'screen') AND lower(name) LIKE '%checkout%' THEN ${STATE.checkout}
  WHEN type IN ('page', 'screen') THEN ${STATE.other}
END`;

/**
 * Journey steps from the store's `events`: events with a session id, mapped by `EVENT_STATE_SQL`, in order of
 * (session_id, ts, message_id); other track events are not steps. Sessions are numbered 0.. in that order.
 */
export async function readJourneySteps(store: Store): Promise<JourneySteps & { readonly sessionIds: readonly string[] }> {
  const m = await store.readMatrix(`
    SELECT session_id, state FROM (SELECT session_id, ts, message_id, ${EVENT_STATE_SQL} AS state FROM events WHERE session_id IS NOT NULL)
    WHERE state IS NOT NULL ORDER BY session_id, ts, message_id`);
  const session = new Int32Array(m.rows);
  const state = new Uint8Array(m.rows);
  const sessionIds: string[] = [];
  for (let i = 0; i < m.rows; i++) {
    if (i === 0 || m.ids[i] !== m.ids[i - 1]) sessionIds.push(m.ids[i]!);
    session[i] = sessionIds.length - 1;
    state[i] = m.values[i]!;
  }
  return { session, state, sessionIds };
}
