/**
 * The Cohorts page's charts from the `cohorts` payload: customers grouped by the month of their first purchase, and
 * for each month since, the share still buying (retention) and the revenue they brought, as triangles. Each builder
 * returns a chart spec (./index.js), or null when there is no cohort.
 */
import { fmt } from '../ui.js';
import { axis, describedTooltip, INK, scales } from './style.js';

/** What both triangles share: the axes, the height and whether the cells are few enough to label. */
function layout(data) {
  const cohorts = data.cohorts;
  return {
    cohorts,
    height: Math.max(320, 90 + cohorts.length * 24),
    showLabels: data.maxOffset + 1 <= 18 && cohorts.length <= 30,
    xAxis: axis.category(Array.from({ length: data.maxOffset + 1 }, (_, m) => String(m)), { name: 'months since first purchase', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } }),
    yAxis: axis.category(cohorts.map((c) => `${c.cohort} (${fmt.int(c.customers)})`), { inverse: true }),
  };
}

/** Share of each cohort active in each month since its first purchase. */
export function cohortRetentionChart(data) {
  if (data.cohorts.length === 0) return null;
  const { cohorts, height, showLabels, xAxis, yAxis } = layout(data);
  const points = [];
  cohorts.forEach((c, row) => c.activeShare.forEach((share, m) => { if (share !== null) points.push([m, row, Number(share.toFixed(4)), c.active[m] ?? 0]); }));
  // Month 0 is 100% by construction; scale the colours on the later months so their differences show.
  const laterMax = Math.max(0.05, ...points.filter((p) => p[0] > 0).map((p) => p[2]));
  const describe = (_series, i) => {
    const p = points[i];
    return p ? `${cohorts[p[1]].cohort}, month ${p[0]}\n${fmt.pct(p[2])} active (${fmt.int(p[3])} of ${fmt.int(cohorts[p[1]].customers)})` : null;
  };
  return {
    id: 'cohort-retention',
    title: 'Share of each cohort buying again, by month since the first purchase',
    hint: 'Rows: the month of the first purchase (customers). Columns: months since then (0 = the first month).',
    height,
    option: {
      tooltip: { formatter: describedTooltip(describe) },
      grid: { left: 120, right: 30, top: 20, bottom: 80 },
      xAxis, yAxis,
      visualMap: { dimension: 2, min: 0, max: laterMax, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: scales.sequential }, formatter: (v) => fmt.pct(v, 0), textStyle: { color: '#47525c' } },
      series: [{ type: 'heatmap', name: 'retention', data: points, label: { show: showLabels, formatter: (p) => fmt.pct(p.data[2], 0), fontSize: 10, color: INK, textBorderColor: '#fff', textBorderWidth: 2 } }],
    },
    csv: { headers: ['cohort', 'customers', 'month', 'active', 'active_share'], rows: cohorts.flatMap((c) => c.active.map((a, m) => [c.cohort, c.customers, m, a, c.activeShare[m]])) },
    describe,
  };
}

/** Revenue of each cohort in each month since its first purchase. */
export function cohortRevenueChart(data) {
  if (data.cohorts.length === 0) return null;
  const { cohorts, height, showLabels, xAxis, yAxis } = layout(data);
  const points = [];
  cohorts.forEach((c, row) => c.revenue.forEach((value, m) => points.push([m, row, Number(value.toFixed(2))])));
  const revenueMax = Math.max(1, ...points.map((p) => p[2]));
  const describe = (_series, i) => {
    const p = points[i];
    return p ? `${cohorts[p[1]].cohort}, month ${p[0]}\nrevenue ${fmt.money(p[2])}` : null;
  };
  return {
    id: 'cohort-revenue',
    title: 'Revenue of each cohort by month since the first purchase',
    hint: null,
    height,
    option: {
      tooltip: { formatter: describedTooltip(describe) },
      grid: { left: 120, right: 30, top: 20, bottom: 80 },
      xAxis, yAxis,
      visualMap: { dimension: 2, min: 0, max: revenueMax, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: scales.money }, formatter: (v) => fmt.money(v), textStyle: { color: '#47525c' } },
      series: [{ type: 'heatmap', name: 'revenue', data: points, label: { show: showLabels, formatter: (p) => compact(p.data[2]), fontSize: 10, color: INK, textBorderColor: '#fff', textBorderWidth: 2 } }],
    },
    csv: { headers: ['cohort', 'customers', 'month', 'revenue'], rows: cohorts.flatMap((c) => c.revenue.map((r, m) => [c.cohort, c.customers, m, r])) },
    describe,
  };
}

/** 1.2M / 3.4k / 12: cell labels short enough for a month column. */
function compact(v) {
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return v.toFixed(0);
}
