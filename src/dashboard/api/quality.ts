/** The data-quality page: every cleaning rule with the rows it affects and examples (`qualityReport`), and the totals. */
import { qualityReport } from '../../features/index.js';
import type { Store } from '../../store/db.js';
import { finiteOr, isoOrNull } from './numbers.js';
import { emptyState, loadRunState, tableExists } from './run-state.js';
import type { QualityPayload } from './types.js';

/**
 * The quality payload, as of the newest finished run's as-of (all facts when there is none). Examples are made
 * JSON-safe (dates as ISO strings, big integers as numbers or strings). Cost: that of `qualityReport`, a few scans of
 * order_lines and one count per feature.
 */
export async function quality(store: Store): Promise<QualityPayload> {
  const rs = await loadRunState(store);
  if (!rs.hasData || !(await tableExists(store, 'order_lines'))) return { ...emptyState(false), asOf: null, rules: [], totals: null };
  const asOf = rs.latest?.ref.asOf ?? null;
  const report = await qualityReport(store, asOf ? new Date(asOf) : undefined);
  const t = report.totals;
  return {
    state: 'ready',
    message: asOf ? null : 'No segmentation run yet: the report covers every stored fact.',
    asOf: isoOrNull(t.asOf) ?? asOf,
    rules: report.rules.map((r) => ({
      id: r.id, description: r.description, unit: r.unit, action: r.action,
      rowsAffected: finiteOr(r.rowsAffected), share: finiteOr(r.share),
      examples: r.examples.map(jsonSafe),
    })),
    totals: {
      orderLines: finiteOr(t.orderLines), keptLines: finiteOr(t.keptLines), excludedLines: finiteOr(t.excludedLines),
      keptOrders: finiteOr(t.keptOrders), customers: finiteOr(t.customers), revenue: finiteOr(t.revenue), events: finiteOr(t.events),
    },
  };
}

/** A row with Date → ISO string, bigint → number (or string when unsafe), non-finite numbers → null. */
function jsonSafe(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = isoOrNull(value);
    else if (typeof value === 'bigint') out[key] = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    else if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : null;
    else out[key] = value;
  }
  return out;
}
