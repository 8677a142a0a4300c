/**
 * Cleaning rules as data: each says what it finds, what is done with it, and carries the SQL that counts the affected
 * rows (`sql`), the base it is a share of (`totalSql`) and up to five examples (`examplesSql`). Nothing is removed
 * silently: the kept-purchase filter in `../sources.ts` is exactly the union of the 'excluded from purchases' rules.
 * Rules overlap (a cancellation line usually also has a negative quantity); shares do not add up.
 * Line rules see order lines before `$as_of`.
 */
import { AS_OF, MONETARY_CTE } from '../sources.js';

export type CleaningAction = 'kept' | 'excluded from purchases' | 'dropped at import' | 'imputed' | 'winsorised for clustering';

export interface CleaningRule {
  readonly id: string;
  readonly description: string;
  readonly action: CleaningAction;
  /** What `rowsAffected` counts. */
  readonly unit: 'order lines' | 'orders' | 'events' | 'customers' | 'feature values';
  /** Counts affected units (one row, one column). */
  readonly sql: string;
  /** Counts the base the share is taken of. */
  readonly totalSql: string;
  /** At most five example rows, deterministic order. */
  readonly examplesSql: string;
}

const LINES = `(SELECT l.*, o.kind FROM order_lines l LEFT JOIN orders o ON o.order_id = l.order_id WHERE l.ordered_at < ${AS_OF}) l`;
const ALL_LINES = `SELECT count(*) FROM order_lines WHERE ordered_at < ${AS_OF}`;
const CANCELLED = `(starts_with(l.order_id, 'C') OR l.kind = 'cancellation')`;
const LINE_COLUMNS = 'l.order_id, l.line_no, l.customer_id, l.product_id, l.quantity, l.unit_price, l.ordered_at';

function lineRule(id: string, description: string, action: CleaningAction, where: string): CleaningRule {
  return {
    id, description, action, unit: 'order lines',
    sql: `SELECT count(*) FROM ${LINES} WHERE ${where}`,
    totalSql: ALL_LINES,
    examplesSql: `SELECT ${LINE_COLUMNS} FROM ${LINES} WHERE ${where} ORDER BY l.ordered_at, l.order_id, l.line_no LIMIT 5`,
  };
}

/** The report key(s) an importer writes for a skip reason: top level, or under `skipped` / `reasons`. */
function importCount(key: string): string {
  return `coalesce(TRY_CAST(json_extract_string(report, '$.${key}') AS BIGINT),
    TRY_CAST(json_extract_string(report, '$.skipped.${key}') AS BIGINT),
    TRY_CAST(json_extract_string(report, '$.reasons.${key}') AS BIGINT), 0)`;
}

function importRule(id: string, key: string, description: string): CleaningRule {
  return {
    id, description, action: 'dropped at import', unit: 'events',
    sql: `SELECT coalesce(sum(${importCount(key)}), 0) FROM imports WHERE kind = 'events'`,
    totalSql: `SELECT coalesce(sum(rows_read), 0) FROM imports WHERE kind = 'events'`,
    examplesSql: `SELECT import_id, source, ${importCount(key)} AS ${key} FROM imports
      WHERE kind = 'events' AND ${importCount(key)} > 0 ORDER BY started_at, import_id LIMIT 5`,
  };
}

const CUSTOMER_MONETARY = `WITH ${MONETARY_CTE},
  m AS (SELECT customer_id, monetary FROM src_monetary),
  f AS (SELECT quantile_cont(monetary, 0.75) + 3 * (quantile_cont(monetary, 0.75) - quantile_cont(monetary, 0.25)) AS fence FROM m)`;

export const CLEANING_RULES: readonly CleaningRule[] = [
  lineRule('cancelled_lines', "Lines of cancelled orders (invoice number starting with 'C', or orders.kind = 'cancellation'). Excluded from purchases.",
    'excluded from purchases', CANCELLED),
  {
    id: 'cancelled_orders', description: 'Distinct cancelled orders (same test as cancelled_lines, counted per order).',
    action: 'excluded from purchases', unit: 'orders',
    sql: `SELECT count(DISTINCT l.order_id) FROM ${LINES} WHERE ${CANCELLED}`,
    totalSql: `SELECT count(DISTINCT order_id) FROM order_lines WHERE ordered_at < ${AS_OF}`,
    examplesSql: `SELECT l.order_id, l.customer_id, min(l.ordered_at) AS ordered_at, count(*) AS lines, sum(l.quantity * l.unit_price) AS value
      FROM ${LINES} WHERE ${CANCELLED} GROUP BY l.order_id, l.customer_id ORDER BY ordered_at, l.order_id LIMIT 5`,
  },
  lineRule('returns', 'Lines with a negative quantity: kept in the table as returns, never counted as purchases.',
    'excluded from purchases', 'l.quantity < 0'),
  lineRule('zero_quantity', 'Lines with quantity 0: nothing bought, excluded from purchases.', 'excluded from purchases', 'l.quantity = 0'),
  lineRule('missing_customer', 'Lines without a customer id: cannot be attributed to a customer, excluded from purchases.',
    'excluded from purchases', 'l.customer_id IS NULL'),
  lineRule('non_positive_price', 'Lines with unit price ≤ 0 (free items, adjustments, bad debt): excluded from purchases.',
    'excluded from purchases', 'l.unit_price <= 0'),
  {
    id: 'exact_duplicate_lines',
    description: 'Extra copies of a line identical to another in order, product, quantity, price and time. KEPT: identical lines ' +
      'within one invoice are legal in the Online Retail layout (one row per scan) and its published totals include them.',
    action: 'kept', unit: 'order lines',
    sql: `SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM order_lines WHERE ordered_at < ${AS_OF}
      GROUP BY order_id, product_id, quantity, unit_price, ordered_at HAVING count(*) > 1)`,
    totalSql: ALL_LINES,
    examplesSql: `SELECT order_id, product_id, quantity, unit_price, ordered_at, count(*) AS copies FROM order_lines
      WHERE ordered_at < ${AS_OF} GROUP BY ALL HAVING count(*) > 1 ORDER BY ordered_at, order_id, product_id LIMIT 5`,
  },
  importRule('duplicate_message_id', 'duplicate_message_id',
    'Events whose messageId was already in the batch or store (Segment retries): dropped at import, counted in the import report.'),
  importRule('exact_duplicate_events', 'exact_duplicate',
    'Events identical in every field to another event under a different messageId: dropped at import, counted in the import report.'),
  importRule('already_imported', 'already_imported',
    'Events of a file imported before (same content): dropped at import, counted in the import report.'),
  {
    id: 'monetary_outliers',
    description: 'Customers whose monetary value is above Q3 + 3·IQR of per-customer monetary (upper fence only). Reported and ' +
      'kept in the stored facts; readFeatureMatrix caps them at the fence only when building clustering input.',
    action: 'winsorised for clustering', unit: 'customers',
    sql: `${CUSTOMER_MONETARY} SELECT count(*) FROM m, f WHERE monetary > fence`,
    totalSql: `${CUSTOMER_MONETARY} SELECT count(*) FROM m`,
    examplesSql: `${CUSTOMER_MONETARY} SELECT customer_id, monetary, fence FROM m, f WHERE monetary > fence
      ORDER BY monetary DESC, customer_id LIMIT 5`,
  },
];
