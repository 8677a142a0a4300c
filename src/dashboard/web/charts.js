/* global document, window, Blob, setTimeout */
/**
 * The one chart helper every page uses: a card with a heading, an ECharts chart with tooltips and a
 * "save as PNG" toolbox button, and a "Download CSV" button that saves the chart's data. Charts are
 * tracked so the router can dispose of them when the page changes and resize them with the window.
 * How a chart looks (base option, axes, scales) lives in ./options/style.js, shared with the static report.
 */
import { withBase } from './options/style.js';
import { el } from './ui.js';

export { axis, scales, wrap } from './options/style.js';

const live = new Set();

/** The ECharts global (loaded by a classic script tag before the modules run). */
export function echarts() {
  const lib = globalThis.echarts;
  if (!lib) throw new Error('ECharts did not load (/vendor/echarts.min.js); the charts cannot be drawn.');
  return lib;
}

/**
 * A chart card. `spec`: { id, title, hint?, height?, option, csv: { headers, rows }, onClick?(params) } — a spec from
 * ./options (plus `onClick`), or one a page builds itself.
 * `id` names the PNG and CSV files and the `data-chart` attribute tests look for. Returns the card element;
 * the chart is drawn once the card is in the document (`mount` below, called by the router after render).
 */
export function chartCard(spec) {
  const box = el('div', { class: 'chart', 'data-chart': spec.id, role: 'img', 'aria-label': `${spec.title} (chart; the data is also available as CSV)`, style: spec.height ? { height: `${spec.height}px` } : {} });
  const button = el('button', { type: 'button', class: 'csv', 'data-csv': spec.id, 'aria-label': `Download the data of “${spec.title}” as CSV`, onclick: () => downloadCsv(spec.id, spec.csv) }, 'Download CSV');
  const card = el('section', { class: 'card', 'aria-label': spec.title },
    el('div', { class: 'card-head' }, el('h3', {}, spec.title), button),
    spec.hint ? el('p', { class: 'hint' }, spec.hint) : null,
    box);
  pending.push({ box, spec });
  return card;
}

let pending = [];

/** Draws every chart card created since the last call (they must be in the document by now). */
export function mountCharts() {
  const lib = echarts();
  const todo = pending;
  pending = [];
  for (const { box, spec } of todo) {
    if (!box.isConnected) continue;
    const chart = lib.init(box, null, { renderer: 'canvas' });
    chart.setOption(withDefaults(spec));
    if (spec.onClick) chart.on('click', spec.onClick);
    live.add(chart);
  }
}

/** Disposes of every chart (on page change). */
export function disposeCharts() {
  for (const chart of live) chart.dispose();
  live.clear();
  pending = [];
}

window.addEventListener('resize', () => {
  for (const chart of live) chart.resize();
});

function withDefaults(spec) {
  const option = spec.option;
  return {
    ...withBase(option),
    toolbox: {
      right: 4, top: 0, itemSize: 14,
      feature: { saveAsImage: { name: spec.id, title: 'Save as PNG', pixelRatio: 2, backgroundColor: '#fff' } },
      ...(option.toolbox ?? {}),
    },
  };
}

/** CSV text: quoted when needed; text cells that a spreadsheet would run as a formula are prefixed with '. */
export function toCsv(headers, rows) {
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Saves `{ headers, rows }` as `<name>.csv`. */
export function downloadCsv(id, csv) {
  const blob = new Blob([toCsv(csv.headers, csv.rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: `${id}.csv`, style: { display: 'none' } });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
