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
  const candidates = kCandidates(data);
  if (candidates.length < 2) return null;
  const describe = (_series, i) => {
    const c = candidates[i];
    return c ? `k = ${c.k}\ninertia ${fmt.int(c.inertia)}` : null;
  };
  return {
    id: 'elbow',
    title: 'Elbow curve: inertia by k',
    hint: 'Inertia (within-segment spread) always falls as k grows; the bend (“elbow”) is where extra segments stop paying off.',
    height: 340,
    option: {
      tooltip: { trigger: 'axis', formatter: describedTooltip(describe) },
      grid: { left: 70, right: 30, top: 40, bottom: 40 },
      xAxis: axis.category(candidates.map((c) => String(c.k)), { name: 'k', nameLocation: 'middle', nameGap: 26 }),
      yAxis: axis.value('inertia', { nameGap: 48 }),
      series: [{ type: 'line', name: 'inertia', data: candidates.map((c) => c.inertia), symbolSize: 7, itemStyle: { color: '#D55E00' }, markLine: marks(data) }],
    },
    csv: { headers: ['k', 'inertia', 'silhouette'], rows: candidates.map((c) => [c.k, c.inertia, c.silhouette]) },
    describe,
  };
}

/** Silhouette by k; null with fewer than two candidates. */
export function silhouetteByKChart(data) {
  const candidates = kCandidates(data);
  if (candidates.length < 2) return null;
  const describe = (_series, i) => {
    const c = candidates[i];
    return c ? `k = ${c.k}\nsilhouette ${fmt.num(c.silhouette, 3)}` : null;
  };
  return {
    id: 'silhouette-by-k',
    title: 'Silhouette by k (higher is better)',
    hint: 'How clearly customers sit in their own segment rather than the nearest other one, from −1 to 1.',
    height: 340,
    option: {
      tooltip: { trigger: 'axis', formatter: describedTooltip(describe) },
      grid: { left: 60, right: 30, top: 40, bottom: 40 },
      xAxis: axis.category(candidates.map((c) => String(c.k)), { name: 'k', nameLocation: 'middle', nameGap: 26 }),
      yAxis: axis.value('silhouette', { nameGap: 40 }),
      series: [{ type: 'line', name: 'silhouette', data: candidates.map((c) => c.silhouette), symbolSize: 7, itemStyle: { color: '#0072B2' }, markLine: marks(data) }],
    },
    csv: { headers: ['k', 'silhouette'], rows: candidates.map((c) => [c.k, c.silhouette]) },
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
