/**
 * Model choice: why this number of segments. The elbow curve (inertia by k) and the silhouette by k with the
 * chosen k marked, the silhouette of each segment, the dendrogram of a sample when the run kept one, and the
 * bootstrap stability.
 */
import { api } from '../api.js';
import { axis, chartCard } from '../charts.js';
import { elbowChart, silhouetteByKChart } from '../options/model.js';
import { el, fmt, isNumber, pageHeader, section, stateNotice } from '../ui.js';

export const title = 'Model choice';

export async function render() {
  const data = await api('model');
  const nodes = [...pageHeader('Model choice', data.run ? `Run ${data.run.runId} · ${data.method ?? data.run.method}${data.chosenK !== null ? ` · chosen k = ${data.chosenK}` : ''}` : null)];
  const banner = stateNotice(data);
  if (banner) nodes.push(banner);
  if (!data.run) return nodes;
  if (data.chosenBy) nodes.push(el('div', { class: 'card' }, el('h2', {}, 'How k was chosen'), el('p', {}, data.chosenBy), summary(data)));
  const elbow = elbowChart(data);
  const silhouette = silhouetteByKChart(data);
  if (elbow && silhouette) {
    nodes.push(section('Number of segments', el('div', { class: 'grid' }, chartCard(elbow), chartCard(silhouette))));
  } else {
    nodes.push(el('p', { class: 'hint' }, data.chosenK !== null ? `k = ${data.chosenK} was fixed for this run, so no other k was compared.` : 'This run compared no values of k.'));
  }
  const perCluster = data.perCluster.filter((c) => c.silhouette !== null);
  if (perCluster.length > 0) nodes.push(section('How well each segment holds together', perClusterCard(data, perCluster)));
  const stability = stabilitySection(data.stability);
  if (stability) nodes.push(stability);
  if (data.dendrogram && data.dendrogram.merges.length > 0) nodes.push(section('Dendrogram', dendrogramCard(data)));
  return nodes;
}

function summary(data) {
  const facts = [['Chosen k', data.chosenK ?? '–'], ['Elbow at k', data.elbowK ?? '–'], ['Silhouette of the run', fmt.num(data.silhouette, 3)]];
  if (data.silhouetteSample) facts.push(['Silhouette sample', `${fmt.int(data.silhouetteSample.size)} customers (seed ${data.silhouetteSample.seed})`]);
  return el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]));
}

function perClusterCard(data, rows) {
  const sorted = [...rows].sort((a, b) => b.silhouette - a.silhouette);
  return chartCard({
    id: 'silhouette-per-segment',
    title: 'Silhouette per segment',
    hint: 'Segments near 0 overlap with a neighbour; negative values mean many members are closer to another segment.',
    height: Math.max(240, 50 + sorted.length * 34),
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => { const r = sorted[ps[0].dataIndex]; return `${r.name}<br>silhouette ${fmt.num(r.silhouette, 3)} (${fmt.int(r.sampled)} sampled members)`; } },
      grid: { left: 160, right: 60, top: 20, bottom: 48 },
      xAxis: axis.value('silhouette', { min: (v) => Math.min(0, v.min), max: (v) => Math.max(0.1, v.max) }),
      yAxis: axis.category(sorted.map((r) => r.name), { inverse: true }),
      series: [{ type: 'bar', name: 'silhouette', data: sorted.map((r) => ({ value: Number(r.silhouette.toFixed(4)), itemStyle: { color: r.colour } })), label: { show: true, position: 'right', formatter: (p) => fmt.num(p.value, 2), color: '#1d232b' } }],
    },
    csv: { headers: ['cluster', 'segment', 'sampled', 'silhouette'], rows: sorted.map((r) => [r.cluster, r.name, r.sampled, r.silhouette]) },
  });
}

/** Bootstrap stability: `{ mean, std, min, ari }` (ari an array or an object of numbers), or per-k rows. */
function stabilitySection(stability) {
  if (!stability || typeof stability !== 'object') return null;
  const ariValues = (s) => (Array.isArray(s.ari) ? s.ari : s.ari && typeof s.ari === 'object' ? Object.values(s.ari) : []).filter(isNumber);
  if (isNumber(stability.mean)) {
    const ari = ariValues(stability);
    const facts = el('dl', { class: 'facts' },
      el('dt', {}, 'Mean agreement (ARI)'), el('dd', {}, fmt.num(stability.mean, 3)),
      el('dt', {}, 'Spread (sd)'), el('dd', {}, fmt.num(stability.std, 3)),
      el('dt', {}, 'Worst resample'), el('dd', {}, fmt.num(stability.min, 3)));
    const nodes = [el('div', { class: 'card' }, el('p', { class: 'hint' }, 'The segmentation refitted on bootstrap resamples of the customers, compared with the run by the adjusted Rand index (1 = the same segments every time).'), facts)];
    if (ari.length > 0) {
      nodes.push(chartCard({
        id: 'stability',
        title: 'Agreement of each bootstrap refit with the run (ARI)',
        option: {
          tooltip: { trigger: 'axis', valueFormatter: (v) => fmt.num(v, 3) },
          grid: { left: 50, right: 20, top: 30, bottom: 40 },
          xAxis: axis.category(ari.map((_, i) => String(i + 1)), { name: 'resample', nameLocation: 'middle', nameGap: 26 }),
          yAxis: axis.value('ARI', { max: 1, nameGap: 36 }),
          series: [{ type: 'bar', name: 'ARI', data: ari.map((v) => Number(v.toFixed(4))), itemStyle: { color: '#009E73' } }],
        },
        csv: { headers: ['resample', 'ari'], rows: ari.map((v, i) => [i + 1, v]) },
      }));
    }
    return section('Stability', ...nodes);
  }
  return null;
}

/** Draws scipy's linkage matrix: leaves in dendrogram order along x, merge height on y. */
function dendrogramCard(data) {
  const d = data.dendrogram;
  const n = d.leaves;
  const children = (id) => (id < n ? null : d.merges[id - n]);
  // Leaf order: depth-first from the root, left before right (as scipy draws it), without recursion.
  const order = [];
  const stack = [n + d.merges.length - 1];
  while (stack.length > 0) {
    const id = stack.pop();
    const m = children(id);
    if (!m) order.push(id);
    else stack.push(m[1], m[0]);
  }
  const x = new Map(order.map((leaf, i) => [leaf, i]));
  const height = (id) => (id < n ? 0 : d.merges[id - n][2]);
  const clusterOf = new Map();
  const colourOf = new Map(data.perCluster.map((c) => [c.cluster, c.colour]));
  if (d.leafClusters) d.leafClusters.forEach((c, leaf) => clusterOf.set(leaf, c));
  const lines = [];
  d.merges.forEach((m, i) => {
    const id = n + i;
    const [a, b, h] = m;
    const xa = x.get(a) ?? 0;
    const xb = x.get(b) ?? 0;
    x.set(id, (xa + xb) / 2);
    const ca = clusterOf.get(a);
    const same = ca !== undefined && ca === clusterOf.get(b);
    if (same) clusterOf.set(id, ca);
    lines.push({ coords: [[xa, height(a)], [xa, h], [xb, h], [xb, height(b)]], lineStyle: { color: same ? (colourOf.get(ca) ?? '#7F7F7F') : '#47525c', width: 1.2, opacity: 1 } });
  });
  const top = Math.max(1e-9, ...d.merges.map((m) => m[2]));
  return chartCard({
    id: 'dendrogram',
    title: `Dendrogram (${d.method} linkage, ${fmt.int(n)} sampled customers)`,
    hint: 'Branches join at the distance where two groups merge; branches inside one segment take its colour.',
    height: 380,
    option: {
      tooltip: { show: false },
      grid: { left: 60, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'value', min: -1, max: n, show: false },
      // A lines series does not size the axes itself: give them the tree's extent.
      yAxis: axis.value('merge distance', { nameGap: 40, min: 0, max: Number((top * 1.04).toPrecision(3)), axisLabel: { color: '#47525c', showMaxLabel: false } }),
      series: [{ type: 'lines', coordinateSystem: 'cartesian2d', polyline: true, data: lines, silent: true }],
    },
    csv: { headers: ['merge', 'left', 'right', 'distance', 'size'], rows: d.merges.map((m, i) => [n + i, m[0], m[1], m[2], m[3]]) },
  });
}
