/* global window, document */
/**
 * Segments: the table of segments (size, revenue share, average R/F/M, CLV, strategy), the segment × feature
 * heatmap, one radar per segment, the cluster map (PCA of a sample), the RFM grid, and the flows between the
 * last two runs. Clicking a segment (table row, heatmap row, map point) opens its members below, paged.
 */
import { api } from '../api.js';
import { axis, chartCard, mountCharts, scales, wrap } from '../charts.js';
import { el, fmt, humanise, pageHeader, section, stateNotice, swatch, table, withCode } from '../ui.js';
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
    section('Segment profiles', el('p', { class: 'hint' }, 'Each feature scaled from 0 (lowest segment) to 1 (highest segment).'), el('div', { class: 'grid three' }, data.segments.map((s, i) => radarCard(data, s, i)))),
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
  const h = data.heatmap;
  const points = [];
  h.values.forEach((row, s) => row.forEach((z, f) => { if (z !== null) points.push([f, s, Number(z.toFixed(2))]); }));
  const maxAbs = Math.max(1, ...points.map((p) => Math.abs(p[2])));
  return chartCard({
    id: 'segment-heatmap',
    title: 'Segment × feature (standard deviations from the average customer)',
    hint: 'Red: above the average customer; blue: below. Hover for the segment’s mean in the feature’s own units.',
    height: Math.max(260, 60 + h.segments.length * 36),
    option: {
      tooltip: { formatter: (p) => { const [f, s, z] = p.data; const mean = h.means[s]?.[f]; return `${h.segments[s].name}<br>${humanise(h.features[f])}: ${fmt.num(mean)}<br>${z >= 0 ? '+' : ''}${z} sd from average`; } },
      grid: { left: 160, right: 90, top: 20, bottom: 110 },
      xAxis: axis.category(h.features.map(humanise), { axisLabel: { rotate: 35, color: '#47525c', interval: 0 }, splitArea: { show: true } }),
      yAxis: axis.category(h.segments.map((s) => s.name), { inverse: true, axisLabel: { color: '#1d232b', formatter: (v) => v } }),
      visualMap: { dimension: 2, min: -Math.min(maxAbs, 2.5), max: Math.min(maxAbs, 2.5), calculable: true, orient: 'vertical', right: 0, top: 'middle', inRange: { color: scales.diverging }, text: ['above', 'below'], textStyle: { color: '#47525c' } },
      series: [{ type: 'heatmap', name: 'z-score', data: points, label: { show: h.features.length <= 14, formatter: (p) => p.data[2].toFixed(1), fontSize: 11 }, emphasis: { itemStyle: { borderColor: '#1d232b', borderWidth: 1 } } }],
    },
    onClick: (p) => { const s = h.segments[p.data[1]]; if (s) open(s.cluster); },
    csv: { headers: ['segment', 'feature', 'z_score', 'mean'], rows: h.values.flatMap((row, s) => row.map((z, f) => [h.segments[s].name, h.features[f], z, h.means[s]?.[f] ?? null])) },
  });
}

function radarCard(data, segment) {
  const r = data.radar;
  const index = r.segments.findIndex((s) => s.cluster === segment.cluster);
  const values = index >= 0 ? r.values[index].map((v) => (v === null ? 0 : Number(v.toFixed(3)))) : [];
  if (values.length === 0 || r.features.length < 3) {
    return el('section', { class: 'card', 'aria-label': segment.name }, el('h3', {}, [swatch(segment.colour), segment.name]), el('p', { class: 'hint' }, 'A profile needs at least three features.'));
  }
  return chartCard({
    id: `radar-${segment.cluster}`,
    title: `${segment.name} (${fmt.int(segment.size)} customers)`,
    height: 280,
    option: {
      tooltip: { trigger: 'item', formatter: () => r.features.map((f, i) => `${humanise(f)}: ${values[i].toFixed(2)}`).join('<br>') },
      radar: { radius: '56%', center: ['50%', '54%'], indicator: r.features.map((f) => ({ name: humanise(f), max: 1, min: 0 })), axisName: { color: '#47525c', fontSize: 11, lineHeight: 13, formatter: (name) => wrap(name) }, splitArea: { areaStyle: { color: ['#fafbfc', '#f1f4f7'] } } },
      series: [{ type: 'radar', name: segment.name, data: [{ value: values, name: segment.name, itemStyle: { color: segment.colour }, lineStyle: { color: segment.colour, width: 2 }, areaStyle: { color: segment.colour, opacity: 0.25 } }] }],
    },
    csv: { headers: ['segment', 'feature', 'scaled_0_1'], rows: r.features.map((f, i) => [segment.name, f, values[i]]) },
  });
}

function clusterMapCard(data, open) {
  const m = data.clusterMap;
  if (m.points.length === 0) return el('section', { class: 'card' }, el('h3', {}, 'Cluster map'), el('p', { class: 'hint' }, 'No customers to place on the map for this run.'));
  const byCluster = new Map();
  for (const p of m.points) {
    if (!byCluster.has(p.cluster)) byCluster.set(p.cluster, []);
    byCluster.get(p.cluster).push([Number(p.x.toFixed(3)), Number(p.y.toFixed(3)), p.id]);
  }
  const segs = data.segments.filter((s) => byCluster.has(s.cluster));
  const evr = m.explainedVarianceRatio.map((v) => fmt.pct(v, 0));
  return chartCard({
    id: 'cluster-map',
    title: 'Cluster map (principal components)',
    hint: `${fmt.int(m.sampled)} of ${fmt.int(m.total)} customers (seeded sample). Axes explain ${evr.join(' and ')} of the variance.`,
    height: 420,
    option: {
      tooltip: { formatter: (p) => `${p.marker}${p.seriesName}<br>customer ${p.data[2]}` },
      legend: { type: 'scroll', bottom: 0, textStyle: { color: '#1d232b' } },
      grid: { left: 50, right: 20, top: 30, bottom: 60 },
      xAxis: axis.value(`PC1 (${evr[0] ?? '–'})`, { nameLocation: 'middle', nameGap: 26, scale: true }),
      yAxis: axis.value(`PC2 (${evr[1] ?? '–'})`, { nameLocation: 'middle', nameGap: 34, scale: true }),
      series: segs.map((s) => ({ type: 'scatter', name: s.name, symbolSize: 5, data: byCluster.get(s.cluster), itemStyle: { color: s.colour, opacity: 0.75 }, large: byCluster.get(s.cluster).length > 2000 })),
    },
    onClick: (p) => { const s = segs[p.seriesIndex]; if (s) open(s.cluster); },
    csv: { headers: ['customer_id', 'cluster', 'segment', 'pc1', 'pc2'], rows: m.points.map((p) => [p.id, p.cluster, data.segments.find((s) => s.cluster === p.cluster)?.name ?? '', p.x, p.y]) },
  });
}

function rfmGridCard(data) {
  const cells = data.rfmGrid;
  const max = Math.max(1, ...cells.map((c) => c.customers));
  return chartCard({
    id: 'rfm-grid',
    title: 'RFM grid: recency × frequency',
    hint: 'Customers per R (5 = bought most recently) and F (5 = buys most often) score; the label shows the count and their total spend.',
    height: 420,
    option: {
      tooltip: { formatter: (p) => { const c = cells[p.data[3]]; return `R ${c.r} · F ${c.f}<br>${fmt.int(c.customers)} customers<br>spend ${fmt.money(c.monetary)}`; } },
      grid: { left: 70, right: 20, top: 20, bottom: 90 },
      xAxis: axis.category(['1', '2', '3', '4', '5'], { name: 'F score', nameLocation: 'middle', nameGap: 28, splitArea: { show: true } }),
      yAxis: axis.category(['1', '2', '3', '4', '5'], { name: 'R score', nameLocation: 'middle', nameGap: 40 }),
      visualMap: { dimension: 2, min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: scales.sequential }, textStyle: { color: '#47525c' } },
      series: [{
        type: 'heatmap', name: 'customers',
        data: cells.map((c, i) => [c.f - 1, c.r - 1, c.customers, i]),
        label: { show: true, formatter: (p) => { const c = cells[p.data[3]]; return c.customers > 0 ? `{n|${fmt.int(c.customers)}}\n{m|${fmt.compact(c.monetary)}}` : '{m|0}'; }, rich: { n: { fontSize: 13, lineHeight: 17, fontWeight: 'bold', color: '#1d232b' }, m: { fontSize: 11, lineHeight: 14, color: '#1d232b' } }, textBorderColor: '#fff', textBorderWidth: 2 },
      }],
    },
    csv: { headers: ['r', 'f', 'customers', 'monetary'], rows: cells.map((c) => [c.r, c.f, c.customers, c.monetary]) },
  });
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
        data: [...names].map(([name, segment]) => ({ name, itemStyle: { color: colourOf.get(segment) ?? '#7F7F7F' } })),
        links: links.map((l) => ({ source: from(l), target: to(l), value: l.customers })),
      }],
    },
    csv: { headers: ['from_cluster', 'from_segment', 'to_cluster', 'to_segment', 'customers'], rows: links.map((l) => [l.fromCluster, l.fromName, l.toCluster, l.toName, l.customers]) },
  });
}
