/**
 * The Segments page's charts from the `segments` payload: the segment × feature heatmap, one radar per segment, the
 * cluster map (PCA of a seeded sample) and the RFM grid. Each builder returns a chart spec (see ./index.js).
 */
import { fmt, humanise } from '../ui.js';
import { axis, describedTooltip, INK, scales, wrap } from './style.js';

/** z-scores of each segment's member means against all customers; rows follow `data.heatmap.segments`. */
export function segmentHeatmapChart(data) {
  const h = data.heatmap;
  const points = [];
  h.values.forEach((row, s) => row.forEach((z, f) => { if (z !== null) points.push([f, s, Number(z.toFixed(2))]); }));
  const maxAbs = Math.max(1, ...points.map((p) => Math.abs(p[2])));
  const describe = (_series, i) => {
    const point = points[i];
    if (!point) return null;
    const [f, s, z] = point;
    return `${h.segments[s].name}\n${humanise(h.features[f])}: ${fmt.num(h.means[s]?.[f])}\n${z >= 0 ? '+' : ''}${z} sd from average`;
  };
  return {
    id: 'segment-heatmap',
    title: 'Segment × feature (standard deviations from the average customer)',
    hint: 'Red: above the average customer; blue: below. Hover for the segment’s mean in the feature’s own units.',
    height: Math.max(260, 60 + h.segments.length * 36),
    option: {
      tooltip: { formatter: describedTooltip(describe) },
      grid: { left: 160, right: 90, top: 20, bottom: 110 },
      xAxis: axis.category(h.features.map(humanise), { axisLabel: { rotate: 35, color: '#47525c', interval: 0 }, splitArea: { show: true } }),
      yAxis: axis.category(h.segments.map((s) => s.name), { inverse: true, axisLabel: { color: INK, formatter: (v) => v } }),
      visualMap: { dimension: 2, min: -Math.min(maxAbs, 2.5), max: Math.min(maxAbs, 2.5), calculable: true, orient: 'vertical', right: 0, top: 'middle', inRange: { color: scales.diverging }, text: ['above', 'below'], textStyle: { color: '#47525c' } },
      series: [{ type: 'heatmap', name: 'z-score', data: points, label: { show: h.features.length <= 14, formatter: (p) => p.data[2].toFixed(1), fontSize: 11 }, emphasis: { itemStyle: { borderColor: INK, borderWidth: 1 } } }],
    },
    csv: { headers: ['segment', 'feature', 'z_score', 'mean'], rows: h.values.flatMap((row, s) => row.map((z, f) => [h.segments[s].name, h.features[f], z, h.means[s]?.[f] ?? null])) },
    describe,
  };
}

/** One segment's profile, each feature scaled 0 (lowest segment) to 1 (highest); null when it cannot be drawn. */
export function radarChart(data, segment) {
  const r = data.radar;
  const index = r.segments.findIndex((s) => s.cluster === segment.cluster);
  const values = index >= 0 ? r.values[index].map((v) => (v === null ? 0 : Number(v.toFixed(3)))) : [];
  if (values.length === 0 || r.features.length < 3) return null;
  const describe = () => `${segment.name}\n${r.features.map((f, i) => `${humanise(f)}: ${values[i].toFixed(2)}`).join('\n')}`;
  return {
    id: `radar-${segment.cluster}`,
    title: `${segment.name} (${fmt.int(segment.size)} customers)`,
    hint: null,
    height: 280,
    option: {
      tooltip: { trigger: 'item', formatter: describedTooltip(describe) },
      radar: { radius: '56%', center: ['50%', '54%'], indicator: r.features.map((f) => ({ name: humanise(f), max: 1, min: 0 })), axisName: { color: '#47525c', fontSize: 11, lineHeight: 13, formatter: (name) => wrap(name) }, splitArea: { areaStyle: { color: ['#fafbfc', '#f1f4f7'] } } },
      series: [{ type: 'radar', name: segment.name, data: [{ value: values, name: segment.name, itemStyle: { color: segment.colour }, lineStyle: { color: segment.colour, width: 2 }, areaStyle: { color: segment.colour, opacity: 0.25 } }] }],
    },
    csv: { headers: ['segment', 'feature', 'scaled_0_1'], rows: r.features.map((f, i) => [segment.name, f, values[i]]) },
    describe,
  };
}

/**
 * Customers on the first two principal components, one series (colour) per segment; null without points.
 * `maxPoints` thins the payload's seeded sample by a fixed stride (the report keeps its SVG small; the dashboard
 * draws every point). `wrapLegend` lays the legend out on as many lines as it needs, for a static image that cannot
 * scroll it; with room to spare, since the server only estimates text widths.
 */
export function clusterMapChart(data, options = {}) {
  const m = data.clusterMap;
  if (m.points.length === 0) return null;
  const step = Math.max(1, Math.ceil(m.points.length / (options.maxPoints ?? Infinity)));
  const shown = m.points.filter((_, i) => i % step === 0);
  const byCluster = new Map();
  for (const p of shown) {
    if (!byCluster.has(p.cluster)) byCluster.set(p.cluster, []);
    byCluster.get(p.cluster).push([Number(p.x.toFixed(3)), Number(p.y.toFixed(3)), p.id]);
  }
  const segs = data.segments.filter((s) => byCluster.has(s.cluster));
  const evr = m.explainedVarianceRatio.map((v) => fmt.pct(v, 0));
  // About three legend items fit a line of a half-width chart.
  const legendLines = options.wrapLegend ? Math.ceil(segs.length / 3) : 1;
  const describe = (series, i) => {
    const s = segs[series];
    const point = s ? byCluster.get(s.cluster)[i] : undefined;
    return point ? `${s.name}\ncustomer ${point[2]}` : null;
  };
  return {
    id: 'cluster-map',
    title: 'Cluster map (principal components)',
    hint: `${fmt.int(shown.length)} of ${fmt.int(m.total)} customers (seeded sample). Axes explain ${evr.join(' and ')} of the variance.`,
    height: 396 + 24 * legendLines,
    option: {
      tooltip: { formatter: describedTooltip(describe) },
      legend: options.wrapLegend ? { type: 'plain', bottom: 0, itemGap: 18, textStyle: { color: INK } } : { type: 'scroll', bottom: 0, textStyle: { color: INK } },
      grid: { left: 50, right: 20, top: 30, bottom: 36 + 24 * legendLines },
      xAxis: axis.value(`PC1 (${evr[0] ?? '–'})`, { nameLocation: 'middle', nameGap: 26, scale: true }),
      yAxis: axis.value(`PC2 (${evr[1] ?? '–'})`, { nameLocation: 'middle', nameGap: 34, scale: true }),
      series: segs.map((s) => ({ type: 'scatter', name: s.name, symbolSize: 5, data: byCluster.get(s.cluster), itemStyle: { color: s.colour, opacity: 0.75 }, large: byCluster.get(s.cluster).length > 2000 })),
    },
    csv: { headers: ['customer_id', 'cluster', 'segment', 'pc1', 'pc2'], rows: m.points.map((p) => [p.id, p.cluster, data.segments.find((s) => s.cluster === p.cluster)?.name ?? '', p.x, p.y]) },
    describe,
    /** The segments in series order (the page maps a clicked point to its segment). */
    seriesSegments: segs,
  };
}

/** Customers per R × F score cell (all 25), labelled with their count and total spend. */
export function rfmGridChart(data) {
  const cells = data.rfmGrid;
  const max = Math.max(1, ...cells.map((c) => c.customers));
  const describe = (_series, i) => {
    const c = cells[i];
    return c ? `R ${c.r} · F ${c.f}\n${fmt.int(c.customers)} customers\nspend ${fmt.money(c.monetary)}` : null;
  };
  return {
    id: 'rfm-grid',
    title: 'RFM grid: recency × frequency',
    hint: 'Customers per R (5 = bought most recently) and F (5 = buys most often) score; the label shows the count and their total spend.',
    height: 420,
    option: {
      tooltip: { formatter: describedTooltip(describe) },
      grid: { left: 70, right: 20, top: 20, bottom: 90 },
      xAxis: axis.category(['1', '2', '3', '4', '5'], { name: 'F score', nameLocation: 'middle', nameGap: 28, splitArea: { show: true } }),
      yAxis: axis.category(['1', '2', '3', '4', '5'], { name: 'R score', nameLocation: 'middle', nameGap: 40 }),
      visualMap: { dimension: 2, min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: scales.sequential }, textStyle: { color: '#47525c' } },
      series: [{
        type: 'heatmap', name: 'customers',
        data: cells.map((c, i) => [c.f - 1, c.r - 1, c.customers, i]),
        label: { show: true, formatter: (p) => { const c = cells[p.data[3]]; return c.customers > 0 ? `{n|${fmt.int(c.customers)}}\n{m|${fmt.compact(c.monetary)}}` : '{m|0}'; }, rich: { n: { fontSize: 13, lineHeight: 17, fontWeight: 'bold', color: INK }, m: { fontSize: 11, lineHeight: 14, color: INK } }, textBorderColor: '#fff', textBorderWidth: 2 },
      }],
    },
    csv: { headers: ['r', 'f', 'customers', 'monetary'], rows: cells.map((c) => [c.r, c.f, c.customers, c.monetary]) },
    describe,
  };
}
