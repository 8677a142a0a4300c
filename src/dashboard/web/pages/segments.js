/* global window, document */
/**
 * Segments: the table of segments (size, revenue share, average R/F/M, CLV, strategy), the segment × feature
 * heatmap, one radar per segment, the cluster map (PCA of a sample), the RFM grid, and the flows between the
 * last two runs. Clicking a segment (table row, heatmap row, map point) opens its members below, paged.
 */
import { api } from '../api.js';
import { chartCard, mountCharts } from '../charts.js';
import { clusterMapChart, radarChart, rfmGridChart, segmentHeatmapChart } from '../options/segments.js';
import { OTHER_COLOUR } from '../options/style.js';
import { el, fmt, pageHeader, section, stateNotice, swatch, table, withCode } from '../ui.js';
import { membersPanel } from './members.js';

export const title = 'Segments';

let last = null;

export async function render(params) {
  const data = await api('segments');
  last = data;
  const nodes = [...pageHeader('Segments', data.run ? `Run ${data.run.runId} · ${data.run.method}${data.run.k !== null ? ` with k = ${data.run.k}` : ''} · ${fmt.int(sum(data.segments, 'size'))} customers` : null)];
  const banner = stateNotice(data);
  if (banner) nodes.push(banner);
  if (data.segments.length === 0) return nodes;
  const open = (cluster) => { window.location.hash = `#/segments/${cluster}`; };
  nodes.push(
    section('Segments at a glance', el('div', { class: 'card' }, segmentTable(data, open))),
    el('div', { id: 'members', 'data-members': '' }, params.param !== null ? await membersPanel(data, params) : el('p', { class: 'hint' }, 'Choose a segment in the table (or click it in a chart) to list its members.')),
    section('What sets each segment apart', heatmapCard(data, open)),
    section('Segment profiles', el('p', { class: 'hint' }, 'Each feature scaled from 0 (lowest segment) to 1 (highest segment).'), el('div', { class: 'grid three' }, data.segments.map((s) => radarCard(data, s)))),
    section('Where customers sit', el('div', { class: 'grid' }, clusterMapCard(data, open), rfmGridCard(data))),
  );
  const flows = flowsCard(data);
  nodes.push(section('Flows between runs', flows ?? el('p', { class: 'hint' }, 'Flows between runs appear after a second segmentation run.')));
  if (params.param !== null) window.setTimeout(() => document.getElementById('members')?.scrollIntoView({ block: 'start' }), 0);
  return nodes;
}

/** A new `#/segments/<cluster>` or pager step: redraw only the members panel. */
export async function update(params) {
  const box = document.getElementById('members');
  if (!box || !last) return;
  box.replaceChildren(params.param !== null ? await membersPanel(last, params) : el('p', { class: 'hint' }, 'Choose a segment to list its members.'));
  for (const row of document.querySelectorAll('tr[data-cluster]')) row.classList.toggle('selected', row.dataset.cluster === params.param);
  mountCharts();
  box.scrollIntoView({ block: 'start' });
}

function sum(rows, key) {
  return rows.reduce((total, r) => total + (r[key] ?? 0), 0);
}

function segmentTable(data, open) {
  const columns = [
    { label: 'Segment', value: (s) => s.name, render: (s) => [swatch(s.colour), s.name] },
    { label: 'Customers', numeric: true, value: (s) => fmt.int(s.size) },
    { label: 'Share', numeric: true, value: (s) => fmt.pct(s.share) },
    { label: 'Revenue share', numeric: true, value: (s) => fmt.pct(s.revenueShare) },
    { label: 'Avg recency (days)', numeric: true, value: (s) => fmt.num(s.avgRecencyDays, 0) },
    { label: 'Avg orders', numeric: true, value: (s) => fmt.num(s.avgFrequency, 1) },
    { label: 'Avg spend', numeric: true, value: (s) => fmt.money(s.avgMonetary) },
  ];
  columns.push({ label: 'Avg CLV', numeric: true, value: (s) => fmt.money(s.avgClv) });
  columns.push({
    label: 'Strategy', value: (s) => s.strategy?.goal ?? '–',
    render: (s) => s.strategy
      ? [el('b', {}, s.strategy.goal), el('div', { class: 'why' }, s.strategy.tactic), el('div', { class: 'why' }, `Channels: ${s.strategy.channels.join(', ')} · at most ${s.strategy.frequencyCap.maxContacts} per ${s.strategy.frequencyCap.per}`)]
      : el('span', { class: 'muted' }, 'no strategy'),
  });
  const rows = table(columns, data.segments, { label: 'Segments', onRow: (s) => open(s.cluster), rowAttrs: (s) => ({ 'data-cluster': s.cluster }) });
  const noClv = data.segments.every((s) => s.avgClv === null);
  return [rows, noClv ? el('p', { class: 'hint' }, withCode('Average lifetime value (CLV) appears once `segmenta clv` has stored predictions.')) : null];
}

function heatmapCard(data, open) {
  const segs = data.heatmap.segments;
  return chartCard({ ...segmentHeatmapChart(data), onClick: (p) => { const s = segs[p.data[1]]; if (s) open(s.cluster); } });
}

function radarCard(data, segment) {
  const spec = radarChart(data, segment);
  if (spec) return chartCard(spec);
  return el('section', { class: 'card', 'aria-label': segment.name }, el('h3', {}, [swatch(segment.colour), segment.name]), el('p', { class: 'hint' }, 'A profile needs at least three features.'));
}

function clusterMapCard(data, open) {
  const spec = clusterMapChart(data);
  if (!spec) return el('section', { class: 'card' }, el('h3', {}, 'Cluster map'), el('p', { class: 'hint' }, 'No customers to place on the map for this run.'));
  return chartCard({ ...spec, onClick: (p) => { const s = spec.seriesSegments[p.seriesIndex]; if (s) open(s.cluster); } });
}

function rfmGridCard(data) {
  return chartCard(rfmGridChart(data));
}

function flowsCard(data) {
  const links = data.flows.links.filter((l) => l.customers > 0);
  if (links.length === 0) return null;
  const colourOf = new Map(data.segments.map((s) => [s.name, s.colour]));
  const from = (l) => `${l.fromName ?? 'not in previous run'} (before)`;
  const to = (l) => `${l.toName ?? 'not in latest run'} (now)`;
  const names = new Map();
  for (const l of links) {
    names.set(from(l), l.fromName);
    names.set(to(l), l.toName);
  }
  return chartCard({
    id: 'segment-flows',
    title: `Customers moving between segments (run ${data.flows.fromRunId} → ${data.flows.toRunId})`,
    height: Math.max(360, names.size * 26),
    option: {
      tooltip: { trigger: 'item', formatter: (p) => (p.dataType === 'edge' ? `${p.data.source} → ${p.data.target}<br>${fmt.int(p.data.value)} customers` : `${p.name}<br>${fmt.int(p.value)} customers`) },
      series: [{
        type: 'sankey', left: 10, right: 160, top: 10, bottom: 10, nodeGap: 10, emphasis: { focus: 'adjacency' },
        label: { color: '#1d232b' },
        lineStyle: { color: 'gradient', opacity: 0.35 },
        data: [...names].map(([name, segment]) => ({ name, itemStyle: { color: colourOf.get(segment) ?? OTHER_COLOUR } })),
        links: links.map((l) => ({ source: from(l), target: to(l), value: l.customers })),
      }],
    },
    csv: { headers: ['from_cluster', 'from_segment', 'to_cluster', 'to_segment', 'customers'], rows: links.map((l) => [l.fromCluster, l.fromName, l.toCluster, l.toName, l.customers]) },
  });
}
