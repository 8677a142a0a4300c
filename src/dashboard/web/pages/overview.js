/* global window */
/**
 * Overview: the headline numbers of the latest run (customers, active, revenue, orders, AOV, repeat rate), the
 * segment mix, and how each segment's size changed since the previous run.
 */
import { api } from '../api.js';
import { axis, chartCard } from '../charts.js';
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
  const card = (id, label, value, shown, extra) => el('div', { class: 'kpi', 'data-kpi': id, 'data-value': value ?? '' },
    el('span', { class: 'label' }, label), el('span', { class: 'value' }, shown), extra ? el('span', { class: 'delta' }, extra) : null);
  return section('Key numbers',
    el('div', { class: 'kpis' },
      card('customers', 'Customers', k.customers, fmt.int(k.customers), `${fmt.int(k.buyers)} with a purchase`),
      card('active', 'Active customers', k.activeCustomers, fmt.int(k.activeCustomers), `${fmt.pct(k.activeShare)} bought in the last 90 days`),
      card('revenue', 'Revenue', k.revenue, fmt.money(k.revenue)),
      card('orders', 'Orders', k.orders, fmt.int(k.orders)),
      card('aov', 'Average order value', k.aov, fmt.money(k.aov)),
      card('repeat', 'Repeat rate', k.repeatRate, fmt.pct(k.repeatRate), 'buyers with 2 or more orders'),
    ),
    data.featuresAsOf && data.asOf && data.featuresAsOf !== data.asOf
      ? el('p', { class: 'hint' }, `The customer numbers are as of ${fmt.date(data.featuresAsOf)}; the segments are from the run as of ${fmt.date(data.asOf)}.`)
      : null,
  );
}

function segmentMix(data) {
  const segs = [...data.segments].sort((a, b) => b.size - a.size);
  if (segs.length === 0) return [];
  const mix = chartCard({
    id: 'segment-mix',
    title: 'Segment mix',
    hint: 'Customers per segment in the latest run.',
    option: {
      tooltip: { trigger: 'item', formatter: (p) => `${p.marker}${p.name}<br>${fmt.int(p.value)} customers (${fmt.pct(p.percent / 100)})` },
      series: [{
        type: 'pie', radius: ['40%', '68%'], center: ['50%', '52%'], avoidLabelOverlap: true,
        label: { formatter: (p) => `${p.name} ${fmt.pct(p.percent / 100, 0)}`, color: '#1d232b' },
        labelLine: { length: 10, length2: 12 },
        data: segs.map((s) => ({ name: s.name, value: s.size, itemStyle: { color: s.colour } })),
      }],
    },
    csv: { headers: ['cluster', 'segment', 'customers', 'share', 'revenue', 'revenue_share'], rows: segs.map((s) => [s.cluster, s.name, s.size, s.share, s.revenue, s.revenueShare]) },
  });
  const revenue = chartCard({
    id: 'segment-revenue',
    title: 'Revenue by segment',
    hint: 'Share of all revenue each segment brings.',
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.money(v) },
      grid: { left: 150, right: 60, top: 30, bottom: 48 },
      xAxis: axis.value('revenue'),
      yAxis: axis.category(segs.map((s) => s.name), { inverse: true }),
      series: [{ type: 'bar', name: 'Revenue', data: segs.map((s) => ({ value: s.revenue, itemStyle: { color: s.colour } })), label: { show: true, position: 'right', formatter: (p) => fmt.pct(segs[p.dataIndex].revenueShare), color: '#1d232b' } }],
    },
    csv: { headers: ['segment', 'revenue', 'revenue_share'], rows: segs.map((s) => [s.name, s.revenue, s.revenueShare]) },
  });
  const nodes = [section('Segments', el('div', { class: 'grid' }, mix, revenue))];
  if (data.previousRun && data.changes.length > 0) {
    const changes = [...data.changes].sort((a, b) => b.delta - a.delta);
    const colourOf = new Map(segs.map((s) => [s.name, s.colour]));
    nodes.push(section('Change since the previous run',
      chartCard({
        id: 'segment-change',
        title: `Segment size change since run ${data.previousRun.runId}`,
        hint: 'Customers gained (right) or lost (left) by each segment between the two latest runs.',
        option: {
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => { const c = changes[ps[0].dataIndex]; return `${c.name}<br>${fmt.int(c.previousSize)} → ${fmt.int(c.size)} (${fmt.delta(c.delta)})`; } },
          grid: { left: 150, right: 60, top: 30, bottom: 48 },
          xAxis: axis.value('customers'),
          yAxis: axis.category(changes.map((c) => c.name), { inverse: true }),
          series: [{ type: 'bar', name: 'Change', data: changes.map((c) => ({ value: c.delta, itemStyle: { color: colourOf.get(c.name) ?? '#7F7F7F' } })), label: { show: true, position: 'right', formatter: (p) => fmt.delta(p.value), color: '#1d232b' } }],
        },
        csv: { headers: ['segment', 'previous_size', 'size', 'change'], rows: changes.map((c) => [c.name, c.previousSize, c.size, c.delta]) },
      })));
  } else {
    nodes.push(el('p', { class: 'hint' }, 'This is the first segmentation run: the change since the previous run will show here after the next one.'));
  }
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
