/**
 * The Overview's charts from the `overview` payload: the segment mix, revenue by segment, and the size change since
 * the previous run. Each builder returns a chart spec `{ id, title, hint, height, option, csv, describe }`.
 */
import { fmt } from '../ui.js';
import { axis, bySize, describedTooltip, INK, OTHER_COLOUR } from './style.js';

/**
 * The headline numbers, in page order: `{ id, label, value, shown, extra }` (value: the raw number, for tests and
 * exports; shown: formatted). Empty when the payload has none. The dashboard draws them as cards, the report as tiles.
 */
export function kpiTiles(kpis) {
  if (!kpis) return [];
  const tile = (id, label, value, shown, extra = null) => ({ id, label, value, shown, extra });
  return [
    tile('customers', 'Customers', kpis.customers, fmt.int(kpis.customers), `${fmt.int(kpis.buyers)} with a purchase`),
    tile('active', 'Active customers', kpis.activeCustomers, fmt.int(kpis.activeCustomers), `${fmt.pct(kpis.activeShare)} bought in the last 90 days`),
    tile('revenue', 'Revenue', kpis.revenue, fmt.money(kpis.revenue)),
    tile('orders', 'Orders', kpis.orders, fmt.int(kpis.orders)),
    tile('aov', 'Average order value', kpis.aov, fmt.money(kpis.aov)),
    tile('repeat', 'Repeat rate', kpis.repeatRate, fmt.pct(kpis.repeatRate), 'buyers with 2 or more orders'),
  ];
}

/** Customers per segment as a donut, largest first. */
export function segmentMixChart(data) {
  const segs = bySize(data.segments);
  const describe = (_series, i) => {
    const s = segs[i];
    return s ? `${s.name}\n${fmt.int(s.size)} customers (${fmt.pct(s.share)})` : null;
  };
  return {
    id: 'segment-mix',
    title: 'Segment mix',
    hint: 'Customers per segment in the latest run.',
    height: 340,
    option: {
      tooltip: { trigger: 'item', formatter: describedTooltip(describe) },
      series: [{
        type: 'pie', radius: ['40%', '68%'], center: ['50%', '52%'], avoidLabelOverlap: true,
        label: { formatter: (p) => `${p.name} ${fmt.pct(p.percent / 100, 0)}`, color: INK },
        labelLine: { length: 10, length2: 12 },
        data: segs.map((s) => ({ name: s.name, value: s.size, itemStyle: { color: s.colour } })),
      }],
    },
    csv: { headers: ['cluster', 'segment', 'customers', 'share', 'revenue', 'revenue_share'], rows: segs.map((s) => [s.cluster, s.name, s.size, s.share, s.revenue, s.revenueShare]) },
    describe,
  };
}

/** Revenue per segment as bars labelled with the revenue share. */
export function segmentRevenueChart(data) {
  const segs = bySize(data.segments);
  const describe = (_series, i) => {
    const s = segs[i];
    return s ? `${s.name}\nrevenue ${fmt.money(s.revenue)} (${fmt.pct(s.revenueShare)} of all revenue)` : null;
  };
  return {
    id: 'segment-revenue',
    title: 'Revenue by segment',
    hint: 'Share of all revenue each segment brings.',
    height: 340,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: describedTooltip(describe) },
      grid: { left: 150, right: 60, top: 30, bottom: 48 },
      xAxis: axis.value('revenue'),
      yAxis: axis.category(segs.map((s) => s.name), { inverse: true }),
      series: [{ type: 'bar', name: 'Revenue', data: segs.map((s) => ({ value: s.revenue, itemStyle: { color: s.colour } })), label: { show: true, position: 'right', formatter: (p) => fmt.pct(segs[p.dataIndex].revenueShare), color: INK } }],
    },
    csv: { headers: ['segment', 'revenue', 'revenue_share'], rows: segs.map((s) => [s.name, s.revenue, s.revenueShare]) },
    describe,
  };
}

/** Customers gained or lost by each segment name since the previous run; null when there is no previous run. */
export function segmentChangeChart(data) {
  if (!data.previousRun || data.changes.length === 0) return null;
  const changes = [...data.changes].sort((a, b) => b.delta - a.delta);
  const colourOf = new Map(data.segments.map((s) => [s.name, s.colour]));
  const describe = (_series, i) => {
    const c = changes[i];
    return c ? `${c.name}\n${fmt.int(c.previousSize)} → ${fmt.int(c.size)} (${fmt.delta(c.delta)})` : null;
  };
  return {
    id: 'segment-change',
    title: `Segment size change since run ${data.previousRun.runId}`,
    hint: 'Customers gained (right) or lost (left) by each segment between the two latest runs.',
    height: 340,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: describedTooltip(describe) },
      grid: { left: 150, right: 60, top: 30, bottom: 48 },
      xAxis: axis.value('customers'),
      yAxis: axis.category(changes.map((c) => c.name), { inverse: true }),
      series: [{ type: 'bar', name: 'Change', data: changes.map((c) => ({ value: c.delta, itemStyle: { color: colourOf.get(c.name) ?? OTHER_COLOUR } })), label: { show: true, position: 'right', formatter: (p) => fmt.delta(p.value), color: INK } }],
    },
    csv: { headers: ['segment', 'previous_size', 'size', 'change'], rows: changes.map((c) => [c.name, c.previousSize, c.size, c.delta]) },
    describe,
  };
}
