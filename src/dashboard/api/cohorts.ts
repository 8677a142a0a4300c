/**
 * Monthly acquisition cohorts: customers grouped by the month of their first kept purchase, and per month since then
 * how many of them bought (the retention triangle, as counts and as a share of the cohort) and what they spent.
 * Purchases are cleaned exactly as the features clean them (`KEPT_LINES_CTE`, `ORDERS_CTE`).
 */
import { asOfParam, KEPT_LINES_CTE, ORDERS_CTE } from '../../features/sources.js';
import type { Store } from '../../store/db.js';
import { finiteOr, ratio } from './numbers.js';
import { emptyState, loadRunState, pageState } from './run-state.js';
import type { CohortRow, CohortsPayload } from './types.js';

/** The bound as-of when there is no run: every purchase counts. */
const NO_AS_OF = '9999-12-31 00:00:00';

const COHORTS_SQL = `
WITH ${KEPT_LINES_CTE}, ${ORDERS_CTE},
firsts AS (SELECT customer_id, date_trunc('month', min(ordered_at)) AS cohort FROM src_orders GROUP BY customer_id),
activity AS (
  SELECT o.customer_id, f.cohort, date_diff('month', f.cohort, date_trunc('month', o.ordered_at)) AS offset_months, sum(o.amount) AS amount
  FROM src_orders o JOIN firsts f USING (customer_id) GROUP BY ALL
)
SELECT year(cohort) * 12 + month(cohort) - 1 AS cohort_index, offset_months, count(*) AS active, coalesce(sum(amount), 0)::DOUBLE AS revenue
FROM activity GROUP BY ALL ORDER BY cohort_index, offset_months`;

/**
 * The cohort triangles as of the newest finished run's as-of (all purchases when there is no run); row c has one
 * column per month from its first month to the as-of month (else the last month with a purchase).
 * Cost: one pass over order_lines and orders, as the feature computation's purchase sources.
 */
export async function cohorts(store: Store): Promise<CohortsPayload> {
  const rs = await loadRunState(store);
  const base = rs.latest || rs.running ? pageState(rs) : { state: 'ready' as const, message: null };
  const asOf = rs.latest?.ref.asOf ?? null;
  const read = await store.readColumns(COHORTS_SQL, { as_of: asOf ? asOfParam(new Date(asOf)) : NO_AS_OF });
  if (read.rowCount === 0) {
    return { ...(rs.hasData ? { state: 'empty' as const, message: 'No kept purchases yet: cohorts need orders.' } : emptyState(false)), asOf, cohorts: [], maxOffset: 0 };
  }
  const index = (read.columns.cohort_index ?? []).map((v) => finiteOr(v));
  const offsets = (read.columns.offset_months ?? []).map((v) => finiteOr(v));
  const active = (read.columns.active ?? []).map((v) => finiteOr(v));
  const revenue = (read.columns.revenue ?? []).map((v) => finiteOr(v));
  const lastData = Math.max(...index.map((c, i) => c + offsets[i]!));
  const last = asOf ? monthIndex(new Date(new Date(asOf).getTime() - 1)) : lastData;
  const rows = new Map<number, { active: number[]; revenue: number[] }>();
  for (let i = 0; i < index.length; i++) {
    const c = index[i]!;
    let row = rows.get(c);
    if (!row) {
      const width = Math.max(1, last - c + 1);
      row = { active: new Array<number>(width).fill(0), revenue: new Array<number>(width).fill(0) };
      rows.set(c, row);
    }
    const m = offsets[i]!;
    if (m < row.active.length) {
      row.active[m] = active[i]!;
      row.revenue[m] = revenue[i]!;
    }
  }
  const out: CohortRow[] = [...rows.entries()].map(([c, row]) => {
    const customers = row.active[0] ?? 0;
    return { cohort: monthLabel(c), customers, active: row.active, activeShare: row.active.map((a) => ratio(a, customers)), revenue: row.revenue };
  });
  return { ...base, asOf, cohorts: out, maxOffset: Math.max(0, ...out.map((r) => r.active.length - 1)) };
}

/** Months since year 0 of a date, in UTC (year·12 + month − 1). */
function monthIndex(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** 'YYYY-MM' of a month index. */
function monthLabel(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}
