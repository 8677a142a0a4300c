/**
 * Journeys: shopping sessions as a Markov chain — the flow between steps as a graph, the chance of a purchase
 * from each step, what removing a step would cost (removal effect), the funnel with its drop-offs, and the
 * most common paths.
 */
import { api } from '../api.js';
import { axis, chartCard } from '../charts.js';
import { funnelChart, STATE_COLOURS } from '../options/journeys.js';
import { el, fmt, pageHeader, section, stateNotice, table } from '../ui.js';

export const title = 'Journeys';

/** Transitions below this probability are left out of the graph (they stay in the CSV). */
const MIN_EDGE = 0.05;
/** Transitions at least this likely decide a step's column in the graph (its main way in). */
const LAYER_EDGE = 0.1;

export async function render() {
  const data = await api('journeys');
  const s = data.sample;
  const nodes = [...pageHeader('Journeys', s && s.sessionsTotal > 0 ? `${fmt.int(s.sessionsUsed)} sessions${s.sampled ? ` (a ${fmt.pct(s.fraction, 0)} sample of ${fmt.int(s.sessionsTotal)}, seed ${s.seed})` : ''}.` : null)];
  const banner = stateNotice(data);
  if (banner) nodes.push(banner);
  if (data.states.length === 0) return nodes;
  nodes.push(section('How sessions move between steps', flowCard(data)));
  const side = [];
  if (data.purchaseProbability.some((p) => !absorbing(data, data.states.indexOf(p.state)))) side.push(purchaseCard(data));
  if (data.removalEffects.length > 0) side.push(removalCard(data));
  if (side.length > 0) nodes.push(section('Which steps lead to a purchase', el('div', { class: 'grid' }, side)));
  if (data.funnel.length > 0) nodes.push(section('Funnel', ...funnel(data)));
  if (data.paths.length > 0) nodes.push(section('Most common paths', el('div', { class: 'card' }, table([
    { label: 'Path', value: (p) => p.path.join(' → ') },
    { label: 'Sessions', numeric: true, value: (p) => fmt.int(p.count) },
  ], data.paths.slice(0, 15), { label: 'Most common paths' }))));
  return nodes;
}

function flowCard(data) {
  const colour = (i) => STATE_COLOURS[i % STATE_COLOURS.length];
  const purchase = new Map(data.purchaseProbability.map((p) => [p.state, p.probability]));
  const visits = data.states.map((_, i) => data.counts.reduce((total, row) => total + (row[i] ?? 0), 0));
  const maxVisits = Math.max(1, ...visits);
  const position = layout(data);
  const links = [];
  data.transitions.forEach((row, from) => row.forEach((p, to) => {
    if (from !== to && p >= MIN_EDGE) links.push({ source: from, target: to, value: Number(p.toFixed(4)), lineStyle: { width: 1 + p * 8, color: colour(from), opacity: 0.5, curveness: position[from].x === position[to].x ? 0.5 : 0.15 }, label: { show: p >= 0.3, formatter: fmt.pct(p, 0), color: '#1d232b', fontSize: 11 } });
  }));
  return chartCard({
    id: 'journey-flow',
    title: 'Step-to-step flow (Markov chain)',
    hint: `Arrows: the chance the next step is the one pointed at (shown when at least ${fmt.pct(MIN_EDGE, 0)}). Circle size: how often a step is visited.`,
    height: 480,
    option: {
      tooltip: { formatter: (p) => (p.dataType === 'edge'
        ? `${data.states[p.data.source]} → ${data.states[p.data.target]}<br>${fmt.pct(p.data.value)} of next steps (${fmt.int(data.counts[p.data.source]?.[p.data.target])} times)`
        : `${p.name}<br>${fmt.int(visits[p.dataIndex])} arrivals${purchase.has(p.name) ? `<br>P(purchase) ${fmt.pct(purchase.get(p.name))}` : ''}`) },
      series: [{
        type: 'graph', layout: 'none', roam: true, left: 60, right: 110, top: 40, bottom: 40,
        edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 9,
        label: { show: true, position: 'right', color: '#1d232b', fontSize: 12 },
        data: data.states.map((name, i) => ({ name, value: visits[i], x: position[i].x, y: position[i].y, symbolSize: 16 + 34 * Math.sqrt(visits[i] / maxVisits), itemStyle: { color: colour(i) } })),
        links,
      }],
    },
    csv: { headers: ['from', 'to', 'probability', 'count'], rows: data.transitions.flatMap((row, from) => row.map((p, to) => [data.states[from], data.states[to], p, data.counts[from]?.[to] ?? 0])) },
  });
}

/** A step is absorbing when a session that reaches it stays there (purchase, exit). */
function absorbing(data, i) {
  return (data.transitions[i]?.[i] ?? 0) >= 1 - 1e-9;
}

/**
 * Left-to-right columns: a step's column is its distance from the entry steps (no likely way in) along likely
 * transitions; absorbing steps (purchase, exit) form the last column. Steps share their column top to bottom.
 */
function layout(data) {
  const n = data.states.length;
  const column = new Array(n).fill(-1);
  const incoming = (j) => data.transitions.some((row, i) => i !== j && row[j] >= LAYER_EDGE);
  const queue = [];
  for (let i = 0; i < n; i++) if (!absorbing(data, i) && !incoming(i)) { column[i] = 0; queue.push(i); }
  if (queue.length === 0 && n > 0) { column[0] = 0; queue.push(0); }
  while (queue.length > 0) {
    const i = queue.shift();
    data.transitions[i].forEach((p, j) => {
      if (p >= LAYER_EDGE && column[j] < 0 && !absorbing(data, j)) { column[j] = column[i] + 1; queue.push(j); }
    });
  }
  const last = Math.max(0, ...column) + 1;
  for (let i = 0; i < n; i++) if (column[i] < 0) column[i] = absorbing(data, i) ? last : Math.max(1, last - 1);
  const position = [];
  for (let c = 0; c <= last; c++) {
    const members = column.map((col, i) => (col === c ? i : -1)).filter((i) => i >= 0);
    members.forEach((i, k) => { position[i] = { x: c * 200, y: (k + 0.5 - members.length / 2) * 120 + (c % 2) * 30 }; });
  }
  return position;
}

function purchaseCard(data) {
  // Absorbing steps are 100% (purchase) and 0% (exit) by definition: nothing to learn from them.
  const rows = data.purchaseProbability.filter((p) => { const i = data.states.indexOf(p.state); return i < 0 || !absorbing(data, i); }).sort((a, b) => b.probability - a.probability);
  return chartCard({
    id: 'journey-purchase',
    title: 'Chance of a purchase from each step',
    height: Math.max(240, 50 + rows.length * 30),
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.pct(v) },
      grid: { left: 150, right: 60, top: 10, bottom: 30 },
      xAxis: axis.value('', { min: 0, max: 1, axisLabel: { formatter: (v) => fmt.pct(v, 0), color: '#47525c' } }),
      yAxis: axis.category(rows.map((r) => r.state), { inverse: true }),
      series: [{ type: 'bar', name: 'P(purchase)', data: rows.map((r) => Number(r.probability.toFixed(4))), itemStyle: { color: '#009E73' }, label: { show: true, position: 'right', formatter: (p) => fmt.pct(p.value, 0), color: '#1d232b' } }],
    },
    csv: { headers: ['state', 'purchase_probability'], rows: rows.map((r) => [r.state, r.probability]) },
  });
}

function removalCard(data) {
  const rows = [...data.removalEffects].sort((a, b) => b.effect - a.effect);
  return chartCard({
    id: 'journey-removal',
    title: 'Removal effect: purchases lost without the step',
    hint: 'Share of purchases that would be lost if sessions could not pass through the step.',
    height: Math.max(240, 50 + rows.length * 30),
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.pct(v) },
      grid: { left: 150, right: 60, top: 10, bottom: 30 },
      xAxis: axis.value('', { axisLabel: { formatter: (v) => fmt.pct(v, 0), color: '#47525c' } }),
      yAxis: axis.category(rows.map((r) => r.state), { inverse: true }),
      series: [{ type: 'bar', name: 'removal effect', data: rows.map((r) => Number(r.effect.toFixed(4))), itemStyle: { color: '#D55E00' }, label: { show: true, position: 'right', formatter: (p) => fmt.pct(p.value, 0), color: '#1d232b' } }],
    },
    csv: { headers: ['state', 'purchase_probability_without', 'effect'], rows: rows.map((r) => [r.state, r.purchaseProbability, r.effect]) },
  });
}

function funnel(data) {
  const steps = data.funnel;
  const chart = chartCard(funnelChart(data));
  return [chart, el('div', { class: 'card' }, table([
    { label: 'Step', value: (s) => s.step },
    { label: 'Sessions', numeric: true, value: (s) => fmt.int(s.sessions) },
    { label: 'Of the first step', numeric: true, value: (s) => fmt.pct(s.shareOfFirst) },
    { label: 'Drop-off from the step before', numeric: true, value: (s) => fmt.pct(s.dropOff) },
  ], steps, { label: 'Funnel' }))];
}
