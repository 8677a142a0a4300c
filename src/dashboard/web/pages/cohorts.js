/**
 * Cohorts: customers grouped by the month of their first purchase; for each month since, the share still buying
 * (retention) and the revenue they brought, as triangles.
 */
import { api } from '../api.js';
import { axis, chartCard, scales } from '../charts.js';
import { el, fmt, pageHeader, section, stateNotice } from '../ui.js';

export const title = 'Cohorts';

export async function render() {
  const data = await api('cohorts');
  const nodes = [...pageHeader('Cohorts', `Customers by the month of their first purchase${data.asOf ? `, purchases before ${fmt.date(data.asOf)}` : ''}.`)];
  const banner = stateNotice(data);
  if (banner) nodes.push(banner);
  if (data.cohorts.length === 0) return nodes;
  const cohorts = data.cohorts;
  const offsets = Array.from({ length: data.maxOffset + 1 }, (_, m) => String(m));
  const rowLabels = cohorts.map((c) => `${c.cohort} (${fmt.int(c.customers)})`);
  const height = Math.max(320, 90 + cohorts.length * 24);
  const retention = [];
  const revenue = [];
  cohorts.forEach((c, row) => {
    c.activeShare.forEach((share, m) => { if (share !== null) retention.push([m, row, Number(share.toFixed(4)), c.active[m] ?? 0]); });
    c.revenue.forEach((value, m) => revenue.push([m, row, Number(value.toFixed(2))]));
  });
  // Month 0 is 100% by construction; scale the colours on the later months so their differences show.
  const laterMax = Math.max(0.05, ...retention.filter((p) => p[0] > 0).map((p) => p[2]));
  const revenueMax = Math.max(1, ...revenue.map((p) => p[2]));
  const showLabels = offsets.length <= 18 && cohorts.length <= 30;
  nodes.push(
    section('Retention', chartCard({
      id: 'cohort-retention',
      title: 'Share of each cohort buying again, by month since the first purchase',
      hint: 'Rows: the month of the first purchase (customers). Columns: months since then (0 = the first month).',
      height,
      option: {
        tooltip: { formatter: (p) => `${cohorts[p.data[1]].cohort}, month ${p.data[0]}<br>${fmt.pct(p.data[2])} active (${fmt.int(p.data[3])} of ${fmt.int(cohorts[p.data[1]].customers)})` },
        grid: { left: 120, right: 30, top: 20, bottom: 80 },
        xAxis: axis.category(offsets, { name: 'months since first purchase', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } }),
        yAxis: axis.category(rowLabels, { inverse: true }),
        visualMap: { dimension: 2, min: 0, max: laterMax, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: scales.sequential }, formatter: (v) => fmt.pct(v, 0), textStyle: { color: '#47525c' } },
        series: [{ type: 'heatmap', name: 'retention', data: retention, label: { show: showLabels, formatter: (p) => fmt.pct(p.data[2], 0), fontSize: 10, color: '#1d232b', textBorderColor: '#fff', textBorderWidth: 2 } }],
      },
      csv: { headers: ['cohort', 'customers', 'month', 'active', 'active_share'], rows: cohorts.flatMap((c) => c.active.map((a, m) => [c.cohort, c.customers, m, a, c.activeShare[m]])) },
    })),
    section('Revenue', chartCard({
      id: 'cohort-revenue',
      title: 'Revenue of each cohort by month since the first purchase',
      height,
      option: {
        tooltip: { formatter: (p) => `${cohorts[p.data[1]].cohort}, month ${p.data[0]}<br>revenue ${fmt.money(p.data[2])}` },
        grid: { left: 120, right: 30, top: 20, bottom: 80 },
        xAxis: axis.category(offsets, { name: 'months since first purchase', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } }),
        yAxis: axis.category(rowLabels, { inverse: true }),
        visualMap: { dimension: 2, min: 0, max: revenueMax, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f3fbf7', '#a1d99b', '#41ab5d', '#006d2c', '#00441b'] }, formatter: (v) => fmt.money(v), textStyle: { color: '#47525c' } },
        series: [{ type: 'heatmap', name: 'revenue', data: revenue, label: { show: showLabels, formatter: (p) => compact(p.data[2]), fontSize: 10, color: '#1d232b', textBorderColor: '#fff', textBorderWidth: 2 } }],
      },
      csv: { headers: ['cohort', 'customers', 'month', 'revenue'], rows: cohorts.flatMap((c) => c.revenue.map((r, m) => [c.cohort, c.customers, m, r])) },
    })),
    el('p', { class: 'hint' }, 'Recent cohorts have fewer months observed, hence the triangle.'),
  );
  return nodes;
}

function compact(v) {
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return v.toFixed(0);
}
