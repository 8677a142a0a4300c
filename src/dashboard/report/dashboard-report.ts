/**
 * The static report with the dashboard's charts: the headline numbers, segment mix and value, the strategy per
 * segment, the segment × feature heatmap, a radar per segment, the cluster map and RFM grid, the centroids,
 * predictions, how k was chosen, cohort retention and revenue, the journey funnel, the RFM segments and the data
 * quality. Charts arrive as SVG (`renderReportCharts`); numbers come from the dashboard's payloads and are formatted
 * with the dashboard's own `fmt`, so both show the same figures. One self-contained HTML file (`page`).
 */
import { FAMILY_COLOURS } from '../svg/palette.js';
import { esc } from '../svg/escape.js';
import type { ChartBuilders } from './chart-builders.js';
import { notice, page } from './page.js';
import { predictionsSection } from './predictions-section.js';
import type { ReportChart, ReportSection } from './report-charts.js';
import type { ReportData } from './report-data.js';
import { centroidTable, featuresNote, rfmTable, strategyTable } from './tables.js';

type Fmt = ChartBuilders['fmt'];

/** Renders the report. `fmt` is the dashboard's (from the loaded builders). O(size of the data). */
export function renderDashboardReport(data: ReportData, charts: readonly ReportChart[], options: { title: string; fmt: Fmt; kpiTiles: ChartBuilders['kpiTiles'] }): string {
  const { fmt } = options;
  const ov = data.overview;
  const parts = [`<h1>${esc(options.title)}</h1>`, runLine(data, fmt)];
  if (ov.state !== 'ready' || ov.message) parts.push(notice(ov.state === 'running' ? 'running' : 'empty', stateTitle(data), ov.message ?? ''));
  const inSection = (section: ReportSection) => charts.filter((c) => c.section === section);
  if (!ov.run) {
    // Cohorts, journeys and quality need orders and events, not a segmentation run.
    parts.push(cohortSection(data, inSection('cohorts'), fmt), funnelSection(data, inSection('funnel')), qualitySection(data, fmt));
    return page(options.title, parts.filter(Boolean).join('\n'));
  }
  parts.push(kpis(data, fmt, options.kpiTiles), ...segmentSections(data, inSection), ...runSummarySections(data), ...kSection(data, inSection('k')));
  parts.push(cohortSection(data, inSection('cohorts'), fmt), funnelSection(data, inSection('funnel')));
  if (data.run) parts.push('<h2>RFM segments</h2>', `<div class="card">${rfmTable(data.run)}</div>`);
  parts.push(qualitySection(data, fmt));
  if (data.run) parts.push(featuresNote(data.run));
  return page(options.title, parts.filter(Boolean).join('\n'));
}

/** Size and value, strategy, profile (heatmap and radars), and where customers sit (cluster map, RFM grid). */
function segmentSections(data: ReportData, inSection: (section: ReportSection) => ReportChart[]): string[] {
  const bySize = [...data.segments.segments].sort((a, b) => b.size - a.size || a.cluster - b.cluster);
  const parts = [
    '<h2>Segments: size and value</h2>', grid(inSection('segments')), ...inSection('change').map(card),
    '<h2>Strategy per segment</h2>', `<div class="card">${strategyTable(bySize)}</div>`,
    '<h2>What sets each segment apart</h2>', ...inSection('profile').map(card),
  ];
  const radars = inSection('radar');
  if (radars.length > 0) parts.push('<h2>Segment profiles</h2>', '<p class="hint">Each feature scaled from 0 (lowest segment) to 1 (highest segment).</p>', grid(radars, 'three'));
  const map = inSection('map');
  if (map.length > 0) parts.push('<h2>Where customers sit</h2>', grid(map));
  return parts;
}

/** What only the run's stored summary holds: centroids in the features' units, and the predictions per segment. */
function runSummarySections(data: ReportData): string[] {
  if (!data.run) return [];
  const segs = [...data.run.segments].sort((a, b) => b.size - a.size);
  const colours = segs.map((s) => FAMILY_COLOURS[s.family]);
  return [
    '<h2>Segment centroids</h2>', '<p class="hint">Mean of each segment’s members in the features’ own units.</p>', `<div class="card">${centroidTable(data.run, segs, colours)}</div>`,
    predictionsSection(data.predictions, segs, colours),
  ];
}

function kSection(data: ReportData, charts: readonly ReportChart[]): string[] {
  if (charts.length === 0 && !data.model.chosenBy) return [];
  return ['<h2>How k was chosen</h2>', data.model.chosenBy ? `<p>${esc(data.model.chosenBy)}</p>` : '', grid(charts)];
}

function stateTitle(data: ReportData): string {
  if (data.overview.state === 'running') return 'A segmentation run is in progress';
  if (data.overview.state === 'empty') return 'Nothing to report yet';
  return 'Note';
}

function runLine(data: ReportData, fmt: Fmt): string {
  const ov = data.overview;
  if (!ov.run) return '';
  const r = ov.run;
  const bits = [`Run ${r.runId}`, `created ${fmt.dateTime(r.createdAt)}`];
  if (ov.asOf) bits.push(`data as of ${fmt.date(ov.asOf)}`);
  if (r.k !== null) bits.push(`${r.method} with k = ${r.k}`);
  if (r.seed !== null) bits.push(`seed ${r.seed}`);
  if (ov.previousRun) bits.push(`compared with run ${ov.previousRun.runId} (${fmt.date(ov.previousRun.createdAt)})`);
  return `<div class="sub">${esc(bits.join(' · '))}</div>`;
}

/** The Overview's key numbers, plus the number of segments and the run's silhouette. */
function kpis(data: ReportData, fmt: Fmt, kpiTiles: ChartBuilders['kpiTiles']): string {
  const tiles = kpiTiles(data.overview.kpis);
  const segments = data.segments.segments.length;
  tiles.push({ id: 'segments', label: 'Segments', value: segments, shown: fmt.int(segments), extra: null });
  const silhouette = data.model.silhouette;
  if (silhouette !== null) tiles.push({ id: 'silhouette', label: 'Silhouette', value: silhouette, shown: fmt.num(silhouette, 3), extra: null });
  const tile = (t: (typeof tiles)[number]) =>
    `<div class="kpi" data-kpi="${t.id}" data-value="${t.value ?? ''}">${esc(t.label)}<b>${esc(t.shown)}</b>${t.extra ? `<small>${esc(t.extra)}</small>` : ''}</div>`;
  return `<div class="kpis">${tiles.map(tile).join('')}</div>`;
}

function cohortSection(data: ReportData, charts: readonly ReportChart[], fmt: Fmt): string {
  if (charts.length === 0) return '';
  const asOf = data.cohorts.asOf ? `, purchases before ${esc(fmt.date(data.cohorts.asOf))}` : '';
  return `<h2>Cohorts</h2><p class="hint">Customers by the month of their first purchase${asOf}. Recent cohorts have fewer months observed, hence the triangle.</p>${charts.map(card).join('')}`;
}

function funnelSection(data: ReportData, charts: readonly ReportChart[]): string {
  if (charts.length === 0) return '';
  return `<h2>Journey funnel</h2>${data.journeys.message ? `<p class="hint">${esc(data.journeys.message)}</p>` : ''}${charts.map(card).join('')}`;
}

/** Each cleaning rule with the rows it affected, as on the dashboard's Data quality page. */
function qualitySection(data: ReportData, fmt: Fmt): string {
  const q = data.quality;
  if (q.state !== 'ready' || q.rules.length === 0) return '';
  const rows = q.rules
    .map((r) => `<tr><td>${esc(r.id)}</td><td>${esc(r.description)}</td><td>${esc(r.action)}</td><td class="num">${esc(`${fmt.int(r.rowsAffected)} ${r.unit}`)}</td><td class="num">${esc(fmt.pct(r.share, 2))}</td></tr>`)
    .join('');
  const t = q.totals;
  const totals = t
    ? `<p class="hint">Kept ${esc(fmt.int(t.keptLines))} of ${esc(fmt.int(t.orderLines))} order lines (${esc(fmt.int(t.excludedLines))} excluded) in ${esc(fmt.int(t.keptOrders))} orders of ${esc(fmt.int(t.customers))} customers; revenue kept ${esc(fmt.money(t.revenue))}; ${esc(fmt.int(t.events))} events${q.asOf ? `, before ${esc(fmt.date(q.asOf))}` : ''}.</p>`
    : '';
  return `<h2>Data quality</h2><div class="card" data-section="quality">${totals}<table><thead><tr><th>Rule</th><th>What it checks</th><th>Action</th><th class="num">Rows affected</th><th class="num">Share</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function card(chart: ReportChart): string {
  return `<figure class="card" data-chart-card="${esc(chart.id)}"><h3>${esc(chart.title)}</h3>${chart.hint ? `<p class="hint">${esc(chart.hint)}</p>` : ''}${chart.svg}</figure>`;
}

function grid(charts: readonly ReportChart[], kind = ''): string {
  return charts.length === 0 ? '' : `<div class="grid${kind ? ` ${kind}` : ''}">${charts.map(card).join('')}</div>`;
}
