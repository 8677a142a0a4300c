/**
 * The Model choice page's charts from the `model` payload: the elbow curve (inertia by k) and the silhouette by k,
 * each with the chosen k (and the elbow, when it differs) marked. Each builder returns a chart spec (./index.js).
 */
import { fmt, isNumber } from '../ui.js';
import { axis, describedTooltip, INK } from './style.js';

/** The candidates with a k, in the payload's order (k ascending); the charts need two or more. */
export function kCandidates(data) {
  return data.candidates.filter((c) => isNumber(c.k));
}

/** Inertia by k; null with fewer than two candidates. */
export function elbowChart(data) {
  return kLineChart(data, {
    id: 'elbow',
    title: 'Elbow curve: inertia by k',
    hint: 'Inertia (within-segment spread) always falls as k grows; the bend (“elbow”) is where extra segments stop paying off.',
    metric: 'inertia', shown: (v) => fmt.int(v), colour: '#D55E00', left: 70, nameGap: 48,
    csv: (c) => [c.k, c.inertia, c.silhouette], headers: ['k', 'inertia', 'silhouette'],
  });
}

/** Silhouette by k; null with fewer than two candidates. */
export function silhouetteByKChart(data) {
  return kLineChart(data, {
    id: 'silhouette-by-k',
    title: 'Silhouette by k (higher is better)',
    hint: 'How clearly customers sit in their own segment rather than the nearest other one, from −1 to 1.',
    metric: 'silhouette', shown: (v) => fmt.num(v, 3), colour: '#0072B2', left: 60, nameGap: 40,
    csv: (c) => [c.k, c.silhouette], headers: ['k', 'silhouette'],
  });
}

/** One candidate metric as a line over k, with the chosen k and the elbow marked; null with fewer than two candidates. */
function kLineChart(data, spec) {
  const candidates = kCandidates(data);
  if (candidates.length < 2) return null;
  const describe = (_series, i) => {
    const c = candidates[i];
    return c ? `k = ${c.k}\n${spec.metric} ${spec.shown(c[spec.metric])}` : null;
  };
  return {
    id: spec.id,
    title: spec.title,
    hint: spec.hint,
    height: 340,
    option: {
      tooltip: { trigger: 'axis', formatter: describedTooltip(describe) },
      grid: { left: spec.left, right: 30, top: 40, bottom: 40 },
      xAxis: axis.category(candidates.map((c) => String(c.k)), { name: 'k', nameLocation: 'middle', nameGap: 26 }),
      yAxis: axis.value(spec.metric, { nameGap: spec.nameGap }),
      series: [{ type: 'line', name: spec.metric, data: candidates.map((c) => c[spec.metric]), symbolSize: 7, itemStyle: { color: spec.colour }, markLine: marks(data) }],
    },
    csv: { headers: spec.headers, rows: candidates.map(spec.csv) },
    describe,
  };
}

/** Vertical lines at the chosen k and at the elbow. */
function marks(data) {
  const lines = [];
  if (data.chosenK !== null) lines.push({ xAxis: String(data.chosenK), name: 'chosen', label: { formatter: `chosen k = ${data.chosenK}`, color: INK }, lineStyle: { color: INK, type: 'solid' } });
  if (data.elbowK !== null && data.elbowK !== data.chosenK) lines.push({ xAxis: String(data.elbowK), name: 'elbow', label: { formatter: `elbow k = ${data.elbowK}`, color: '#47525c' }, lineStyle: { color: '#47525c', type: 'dashed' } });
  return { symbol: 'none', silent: true, data: lines };
}
