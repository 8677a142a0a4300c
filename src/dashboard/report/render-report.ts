/**
 * The static report: one self-contained HTML file (inline CSS and SVG, no script, no network) that opens
 * from disk. Sections: headline numbers, segment sizes and value, the segment × feature heatmap, centroids
 * in the features' own units, the strategy per segment, predictions per segment (when given), how k was chosen,
 * and the RFM segments.
 */
import type { PredictionSummary } from '../../pipeline/predict/index.js';
import type { RunSummary } from '../../pipeline/types.js';
import { humanise } from '../../segments/naming/index.js';
import { barChart, heatmap, lineChart } from '../svg/charts.js';
import { esc } from '../svg/escape.js';
import { FAMILY_COLOURS } from '../svg/palette.js';
import { predictionsSection } from './predictions-section.js';

const money = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export interface ReportOptions {
  readonly title?: string;
  readonly quality?: string;
  /** Churn, propensity and segment-classifier figures per segment (`loadPredictionSummary`); no section when absent. */
  readonly predictions?: PredictionSummary | null;
}

export function renderReport(run: RunSummary, options: ReportOptions = {}): string {
  const title = options.title ?? 'Segmenta — customer segments';
  const segs = [...run.segments].sort((a, b) => b.size - a.size);
  const colours = segs.map((s) => FAMILY_COLOURS[s.family]);
  const sizeChart = barChart(segs.map((s, i) => ({ label: s.name, value: s.size, colour: colours[i]!, text: `${s.size.toLocaleString('en-US')} (${pct(s.share)})` })), { title: 'Customers per segment' });
  const revenueChart = barChart(segs.map((s, i) => ({ label: s.name, value: s.revenue, colour: colours[i]!, text: `${money(s.revenue)} (${pct(s.revenueShare)})` })), { title: 'Revenue per segment' });
  const heat = heatmap(segs.map((s) => s.name), run.features.map(humanise), segs.map((s) => run.features.map((f) => s.zCentroid[f] ?? 0)), { title: 'Segment profile (standard deviations from the average customer)', rowColours: colours });
  const candidates = run.kChoice.candidates;
  const kChart = candidates.length > 1
    ? lineChart(candidates.map((c) => c.k), [
        { name: 'silhouette', values: candidates.map((c) => c.silhouette), colour: '#0072B2' },
        { name: 'inertia (elbow)', values: candidates.map((c) => c.inertia), colour: '#D55E00' },
      ], { title: 'Choosing k: silhouette (higher is better) and inertia', xLabel: 'k (number of segments)', marker: run.k })
    : '';
  const centroidRows = segs
    .map((s, i) => `<tr><td><span class="swatch" style="background:${colours[i]}"></span>${esc(s.name)}</td><td class="num">${s.size.toLocaleString('en-US')}</td>` +
      run.features.map((f) => `<td class="num">${formatFeature(f, s.centroid[f])}</td>`).join('') + '</tr>')
    .join('');
  const strategyRows = segs
    .map((s, i) => `<tr><td><span class="swatch" style="background:${colours[i]}"></span><b>${esc(s.name)}</b><div class="why">${esc(s.reason)}</div></td>` +
      `<td>${esc(s.strategy.goal)}</td><td>${esc(s.strategy.tactic)}</td><td>${esc(s.strategy.channels.join(', '))}</td><td>${esc(s.strategy.offer)}</td>` +
      `<td>${esc(s.strategy.timing)}</td><td>${esc(capText(s.strategy.frequencyCap))}</td><td>${esc(s.strategy.kpi)}</td></tr>`)
    .join('');
  const rfmRows = run.rfm
    .map((r) => `<tr><td>${esc(r.segment)}</td><td class="num">${r.customers.toLocaleString('en-US')}</td><td class="num">${money(r.revenue)}</td><td class="num">${r.avgRecencyDays.toFixed(0)}</td><td class="num">${r.avgFrequency.toFixed(1)}</td><td class="num">${money(r.avgMonetary)}</td></tr>`)
    .join('');
  const aov = run.orders > 0 ? run.revenue / run.orders : 0;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px}
.sub{color:#5b6670;margin-bottom:16px}
.kpis{display:flex;flex-wrap:wrap;gap:12px}.kpi{background:#fff;border-radius:8px;padding:12px 16px;min-width:140px;box-shadow:0 1px 2px #0001}
.kpi b{display:block;font-size:22px}.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 2px #0001;overflow-x:auto;margin-bottom:16px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}
th{background:#fafbfc;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}.why{color:#5b6670;font-size:12px}
.chart{max-width:100%;height:auto}.chart text{font-size:12px;fill:#1d232b}.chart .chart-title{font-weight:600;font-size:13px}.chart .axis{fill:#5b6670;font-size:11px}.chart .cell{font-size:11px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
pre{white-space:pre-wrap;font-size:12px}
</style></head><body><main>
<h1>${esc(title)}</h1>
<div class="sub">Run ${esc(run.runId)} · as of ${esc(run.asOf.slice(0, 10))} · K-means with k = ${run.k} (${esc(run.kChoice.reason)}) · seed ${run.seed}</div>
<div class="kpis">
<div class="kpi">Customers<b>${run.customers.toLocaleString('en-US')}</b></div>
<div class="kpi">Orders<b>${run.orders.toLocaleString('en-US')}</b></div>
<div class="kpi">Revenue<b>${money(run.revenue)}</b></div>
<div class="kpi">Average order<b>${aov.toFixed(2)}</b></div>
<div class="kpi">Segments<b>${run.k}</b></div>
<div class="kpi">Silhouette<b>${run.silhouette.toFixed(3)}</b></div>
</div>
<h2>Segments: size and value</h2>
<div class="grid"><div class="card">${sizeChart}</div><div class="card">${revenueChart}</div></div>
<h2>What sets each segment apart</h2>
<div class="card">${heat}</div>
<h2>Segment centroids</h2>
<div class="card"><table><thead><tr><th>Segment</th><th class="num">customers</th>${run.features.map((f) => `<th class="num">${esc(humanise(f))}</th>`).join('')}</tr></thead><tbody>${centroidRows}</tbody></table></div>
<h2>Strategy per segment</h2>
<div class="card"><table><thead><tr><th>Segment and why</th><th>Goal</th><th>Tactic</th><th>Channels</th><th>Offer</th><th>Timing</th><th>Frequency cap</th><th>KPI</th></tr></thead><tbody>${strategyRows}</tbody></table></div>
${predictionsSection(options.predictions, segs, colours)}
${kChart ? `<h2>How k was chosen</h2><div class="card">${kChart}</div>` : ''}
<h2>RFM segments</h2>
<div class="card"><table><thead><tr><th>RFM segment</th><th class="num">customers</th><th class="num">revenue</th><th class="num">avg recency (days)</th><th class="num">avg orders</th><th class="num">avg spend</th></tr></thead><tbody>${rfmRows}</tbody></table></div>
${options.quality ? `<h2>Data quality</h2><div class="card"><pre>${esc(options.quality)}</pre></div>` : ''}
<div class="sub">Features used: ${esc(run.features.join(', '))}. Transforms: ${esc(run.transforms.join('; '))}.${run.droppedFeatures.length ? ` Dropped (missing for every customer): ${esc(run.droppedFeatures.join(', '))}.` : ''}</div>
</main></body></html>
`;
}

function formatFeature(feature: string, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (feature.endsWith('_rate') || feature.endsWith('_share')) return pct(v);
  if (Math.abs(v) >= 100) return money(v);
  return v.toFixed(2);
}

function capText(cap: { maxContacts: number; per: string; pauseAfterUnanswered?: number; retryAfterDays?: number }): string {
  let text = `≤ ${cap.maxContacts} per ${cap.per}`;
  if (cap.pauseAfterUnanswered) text += `; pause after ${cap.pauseAfterUnanswered} unanswered`;
  if (cap.retryAfterDays) text += `; retry after ${cap.retryAfterDays} days`;
  return text;
}
