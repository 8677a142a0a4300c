/**
 * The report from a run's stored summary alone: no store needed, so it can be written synchronously at the end of a
 * run (`segmenta demo`) and for a run older than the latest, which the dashboard's payloads do not describe. One
 * self-contained HTML file (inline CSS and SVG, no script, no network). Sections: headline numbers, segment sizes and
 * value, the segment × feature heatmap, centroids in the features' own units, the strategy per segment, predictions
 * per segment (when given), how k was chosen, and the RFM segments. With a store, `buildReport` writes the fuller
 * report with the dashboard's charts.
 */
import type { PredictionSummary } from '../../pipeline/predict/index.js';
import type { RunSummary } from '../../pipeline/types.js';
import { SEGMENT_METHOD_NAMES } from '../../segments/clustering/index.js';
import { humanise } from '../../segments/naming/index.js';
import { barChart, heatmap, lineChart } from '../svg/charts.js';
import { esc } from '../svg/escape.js';
import { FAMILY_COLOURS } from '../svg/palette.js';
import { page } from './page.js';
import { predictionsSection } from './predictions-section.js';
import { centroidTable, featuresNote, money, pct, rfmTable, strategyTable } from './tables.js';

export interface ReportOptions {
  readonly title?: string;
  readonly quality?: string;
  /** Churn, propensity and segment-classifier figures per segment (`loadPredictionSummary`); no section when absent. */
  readonly predictions?: PredictionSummary | null;
  /** A sentence shown under the heading (e.g. why this report has fewer charts than the dashboard). */
  readonly note?: string;
}

/** The default title of every report. */
export const REPORT_TITLE = 'Segmenta — customer segments';

export function renderReport(run: RunSummary, options: ReportOptions = {}): string {
  const title = options.title ?? REPORT_TITLE;
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
  // In the sub-heading, a run stored before other methods existed has no method: it was K-means.
  const aov = run.orders > 0 ? run.revenue / run.orders : 0;
  const strategies = segs.map((s, i) => ({ name: s.name, colour: colours[i]!, reason: s.reason, strategy: s.strategy }));
  return page(title, `<h1>${esc(title)}</h1>
<div class="sub">Run ${esc(run.runId)} · as of ${esc(run.asOf.slice(0, 10))} · ${esc(SEGMENT_METHOD_NAMES[run.method] ?? 'K-means')} with k = ${run.k} (${esc(run.kChoice.reason)}) · seed ${run.seed}</div>
${options.note ? `<p class="notice">${esc(options.note)}</p>` : ''}
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
<div class="card">${centroidTable(run, segs, colours)}</div>
<h2>Strategy per segment</h2>
<div class="card">${strategyTable(strategies)}</div>
${predictionsSection(options.predictions, segs, colours)}
${kChart ? `<h2>How k was chosen</h2><div class="card">${kChart}</div>` : ''}
<h2>RFM segments</h2>
<div class="card">${rfmTable(run)}</div>
${options.quality ? `<h2>Data quality</h2><div class="card"><pre>${esc(options.quality)}</pre></div>` : ''}
${featuresNote(run)}`);
}
