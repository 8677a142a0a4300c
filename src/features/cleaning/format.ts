/** Renders a quality report as a plain-text table for the terminal and the run log. */
import type { QualityReport } from './report.js';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** One line per rule (id, affected count and unit, share, action), then the totals, then each rule's description. */
export function formatQualityReport(report: QualityReport): string {
  const head = ['rule', 'affected', 'unit', 'share', 'action'];
  const body = report.rules.map((r) => [r.id, int.format(r.rowsAffected), r.unit, `${(r.share * 100).toFixed(2)}%`, r.action]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const right = new Set([1, 3]);
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const t = report.totals;
  const keptShare = t.orderLines > 0 ? ` (${((t.keptLines / t.orderLines) * 100).toFixed(2)}%)` : '';
  return [
    `Data quality${t.asOf ? ` before ${t.asOf.toISOString().slice(0, 10)}` : ''}`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `Kept purchase lines: ${int.format(t.keptLines)} of ${int.format(t.orderLines)}${keptShare}; excluded ${int.format(t.excludedLines)}.`,
    `Kept lines span ${int.format(t.keptOrders)} orders and ${int.format(t.customers)} customers; revenue ${money.format(t.revenue)}. Events: ${int.format(t.events)}.`,
    '',
    ...report.rules.map((r) => `${r.id}: ${r.description}`),
  ].join('\n');
}
