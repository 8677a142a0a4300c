import type { RunSummary } from '../../pipeline/types.js';
import { SEGMENT_METHOD_NAMES as METHOD_NAMES } from '../../segments/clustering/index.js';
import { table } from '../output.js';


/** The method, how k was chosen and how customers were assigned; a K-means run keeps its one line. */
function methodLines(run: RunSummary): string[] {
  const fit = run.method === 'ward' ? 'the tree is exact' : `${run.converged ? 'converged' : 'NOT converged'} in ${run.iterations} iterations`;
  const lines = [`${METHOD_NAMES[run.method] ?? run.method}: k=${run.k} (${run.kChoice.reason}); silhouette ${run.silhouette.toFixed(3)}; ${fit}`];
  if (run.method !== 'kmeans' && run.assignment) lines.push(run.assignment);
  if (run.stability) lines.push(`Stability: mean ARI ${run.stability.mean.toFixed(3)} ± ${run.stability.std.toFixed(3)} (worst ${run.stability.min.toFixed(3)}); ${run.stability.note}`);
  return lines;
}

/** The readable summary of a run: one line per segment with size, value and strategy. */
export function formatRun(run: RunSummary): string {
  const segs = [...run.segments].sort((a, b) => b.revenue - a.revenue);
  const lines = [
    `${run.customers.toLocaleString('en-US')} customers · ${run.orders.toLocaleString('en-US')} orders · revenue ${Math.round(run.revenue).toLocaleString('en-US')} · as of ${run.asOf.slice(0, 10)}`,
    ...methodLines(run),
    '',
    table(
      ['segment', 'customers', 'share', 'revenue', 'rev. share', 'recency d', 'orders', 'tactic'],
      segs.map((s) => [s.name, s.size, `${(s.share * 100).toFixed(1)}%`, Math.round(s.revenue), `${(s.revenueShare * 100).toFixed(1)}%`, s.avgRecencyDays === null ? '–' : s.avgRecencyDays.toFixed(0), Number(s.avgFrequency.toFixed(1)), s.strategy.tactic.split(':')[0]!]),
    ),
    '',
    'Why each name:',
    ...segs.map((s) => `  ${s.name}: ${s.reason}`),
  ];
  if (run.rfm.length > 0) {
    lines.push('', table(['RFM segment', 'customers', 'revenue'], run.rfm.map((r) => [r.segment, r.customers, Math.round(r.revenue)])));
  }
  return lines.join('\n');
}
