/**
 * Data quality: each cleaning rule, what it does, how many rows it touched and examples — the report
 * `segmenta quality` prints.
 */
import { api } from '../api.js';
import { axis, chartCard } from '../charts.js';
import { el, fmt, pageHeader, section, stateNotice, table } from '../ui.js';

export const title = 'Data quality';

export async function render() {
  const data = await api('quality');
  const nodes = [...pageHeader('Data quality', `The cleaning rules applied before the features are computed${data.asOf ? `, as of ${fmt.date(data.asOf)}` : ''}.`)];
  const banner = stateNotice(data);
  if (banner) nodes.push(banner);
  if (data.totals) {
    const t = data.totals;
    const card = (label, value) => el('div', { class: 'kpi' }, el('span', { class: 'label' }, label), el('span', { class: 'value' }, value));
    nodes.push(section('Totals', el('div', { class: 'kpis' },
      card('Order lines', fmt.int(t.orderLines)), card('Lines kept', fmt.int(t.keptLines)), card('Lines excluded', fmt.int(t.excludedLines)),
      card('Orders kept', fmt.int(t.keptOrders)), card('Customers', fmt.int(t.customers)), card('Revenue kept', fmt.money(t.revenue)), card('Events', fmt.int(t.events)))));
  }
  if (data.rules.length === 0) return nodes;
  const rules = data.rules;
  nodes.push(section('Cleaning rules',
    chartCard({
      id: 'quality-rules',
      title: 'Share of rows each rule affects',
      hint: 'Each rule counts its own unit (order lines, orders, events, customers or feature values), so the bars show the share of that unit.',
      height: Math.max(220, 60 + rules.length * 26),
      option: {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => { const r = rules[ps[0].dataIndex]; return `${r.id}<br>${fmt.int(r.rowsAffected)} ${r.unit} (${fmt.pct(r.share, 2)})<br>${r.action}`; } },
        grid: { left: 250, right: 150, top: 10, bottom: 48 },
        xAxis: axis.value('share of the rule’s unit', { axisLabel: { formatter: (v) => fmt.pct(v, 0), color: '#47525c' } }),
        yAxis: axis.category(rules.map((r) => r.id), { inverse: true, axisLabel: { color: '#47525c', width: 235, overflow: 'truncate' } }),
        series: [{ type: 'bar', name: 'share affected', data: rules.map((r) => Number(r.share.toFixed(6))), itemStyle: { color: '#E69F00' }, label: { show: true, position: 'right', formatter: (p) => `${fmt.int(rules[p.dataIndex].rowsAffected)} ${rules[p.dataIndex].unit}`, color: '#1d232b' } }],
      },
      csv: { headers: ['rule', 'description', 'unit', 'action', 'rows_affected', 'share'], rows: rules.map((r) => [r.id, r.description, r.unit, r.action, r.rowsAffected, r.share]) },
    }),
    el('div', { class: 'card' }, table([
      { label: 'Rule', value: (r) => r.id },
      { label: 'What it checks', value: (r) => r.description },
      { label: 'Action', value: (r) => r.action },
      { label: 'Rows affected', numeric: true, value: (r) => `${fmt.int(r.rowsAffected)} ${r.unit}` },
      { label: 'Share', numeric: true, value: (r) => fmt.pct(r.share, 2) },
      { label: 'Examples', value: (r) => examples(r.examples), render: (r) => examples(r.examples).map((line) => el('div', { class: 'why' }, line)) },
    ], rules, { label: 'Cleaning rules' }))));
  return nodes;
}

function examples(rows) {
  if (!rows || rows.length === 0) return ['–'];
  const show = (v) => (v === null ? '∅' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return rows.slice(0, 3).map((r) => Object.entries(r).map(([k, v]) => `${k}=${show(v)}`).join(' '));
}
