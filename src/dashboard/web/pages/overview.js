/* global window */
/**
 * Overview: the headline numbers of the latest run (customers, active, revenue, orders, AOV, repeat rate), the
 * segment mix, and how each segment's size changed since the previous run.
 */
import { api } from '../api.js';
import { chartCard } from '../charts.js';
import { kpiTiles, segmentChangeChart, segmentMixChart, segmentRevenueChart } from '../options/overview.js';
import { bySize } from '../options/style.js';
import { el, fmt, pageHeader, section, stateNotice, swatch, table } from '../ui.js';

export const title = 'Overview';

export async function render() {
  const data = await api('overview');
  const nodes = [...pageHeader('Overview', runLine(data))];
  const banner = stateNotice(data);
  if (banner) nodes.push(banner);
  if (!data.kpis) return nodes;
  nodes.push(kpiCards(data), ...segmentMix(data));
  return nodes;
}

function runLine(data) {
  if (!data.run) return null;
  const r = data.run;
  const parts = [`Latest run ${r.runId}`, `created ${fmt.dateTime(r.createdAt)}`];
  if (data.asOf) parts.push(`data as of ${fmt.date(data.asOf)}`);
  if (r.k !== null) parts.push(`${r.method} with k = ${r.k}`);
  if (data.previousRun) parts.push(`compared with run ${data.previousRun.runId} (${fmt.date(data.previousRun.createdAt)})`);
  return parts.join(' · ');
}

function kpiCards(data) {
  const k = data.kpis;
  const card = (t) => el('div', { class: 'kpi', 'data-kpi': t.id, 'data-value': t.value ?? '' },
    el('span', { class: 'label' }, t.label), el('span', { class: 'value' }, t.shown), t.extra ? el('span', { class: 'delta' }, t.extra) : null);
  return section('Key numbers',
    el('div', { class: 'kpis' }, ...kpiTiles(k).map(card)),
    data.featuresAsOf && data.asOf && data.featuresAsOf !== data.asOf
      ? el('p', { class: 'hint' }, `The customer numbers are as of ${fmt.date(data.featuresAsOf)}; the segments are from the run as of ${fmt.date(data.asOf)}.`)
      : null,
  );
}

function segmentMix(data) {
  const segs = bySize(data.segments);
  if (segs.length === 0) return [];
  const nodes = [section('Segments', el('div', { class: 'grid' }, chartCard(segmentMixChart(data)), chartCard(segmentRevenueChart(data))))];
  const change = segmentChangeChart(data);
  if (change) nodes.push(section('Change since the previous run', chartCard(change)));
  else nodes.push(el('p', { class: 'hint' }, 'This is the first segmentation run: the change since the previous run will show here after the next one.'));
  nodes.push(el('div', { class: 'card' }, table([
    { label: 'Segment', value: (s) => s.name, render: (s) => [swatch(s.colour), s.name] },
    { label: 'Customers', numeric: true, value: (s) => fmt.int(s.size) },
    { label: 'Share', numeric: true, value: (s) => fmt.pct(s.share) },
    { label: 'Revenue', numeric: true, value: (s) => fmt.money(s.revenue) },
    { label: 'Revenue share', numeric: true, value: (s) => fmt.pct(s.revenueShare) },
    { label: 'Previous run', numeric: true, value: (s) => fmt.int(s.previousSize) },
    { label: 'Change', numeric: true, value: (s) => fmt.delta(s.sizeDelta) },
  ], segs, { label: 'Segment mix', onRow: (s) => { window.location.hash = `#/segments/${s.cluster}`; } })));
  return nodes;
}
