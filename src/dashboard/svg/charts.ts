/**
 * Server-side SVG charts: plain strings, no browser needed, so the static report opens from disk and the
 * same charts can be embedded elsewhere. Each chart carries <title> tooltips on its marks.
 */
import { esc } from './escape.js';
import { divergingColour } from './palette.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly colour: string;
  readonly text?: string;
}

/** Horizontal bar chart, one bar per item, value labels at the bar ends. */
export function barChart(bars: readonly Bar[], options: { width?: number; title: string; format?: (v: number) => string }): string {
  const width = options.width ?? 640;
  const labelWidth = 210;
  const rowHeight = 26;
  const height = bars.length * rowHeight + 36;
  const max = Math.max(1e-12, ...bars.map((b) => b.value));
  const plot = width - labelWidth - 140;
  const format = options.format ?? ((v: number) => v.toLocaleString('en-US'));
  const rows = bars
    .map((b, i) => {
      const y = 28 + i * rowHeight;
      const w = Math.max(1, (b.value / max) * plot);
      return `<g class="bar"><title>${esc(`${b.label}: ${b.text ?? format(b.value)}`)}</title>` +
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 8}" rx="3" fill="${b.colour}"/>` +
        `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}">${esc(b.text ?? format(b.value))}</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title)}">` +
    `<text x="0" y="16" class="chart-title">${esc(options.title)}</text>${rows}</svg>`;
}

/** Heatmap of rows (segments) × columns (features) coloured by z, with the z value in each cell. */
export function heatmap(rowLabels: readonly string[], colLabels: readonly string[], z: readonly (readonly number[])[], options: { title: string; rowColours?: readonly string[] }): string {
  const cell = 58;
  const left = 220;
  const top = 120;
  const width = left + colLabels.length * cell + 80;
  const height = top + rowLabels.length * 30 + 10;
  const heads = colLabels
    .map((c, j) => `<text transform="translate(${left + j * cell + cell / 2},${top - 8}) rotate(-40)" class="axis">${esc(c)}</text>`)
    .join('');
  const rows = rowLabels
    .map((label, i) => {
      const y = top + i * 30;
      const swatch = options.rowColours?.[i] ? `<rect x="${left - 14}" y="${y + 8}" width="10" height="12" fill="${options.rowColours[i]}"/>` : '';
      const cells = colLabels
        .map((c, j) => {
          const v = z[i]?.[j] ?? 0;
          return `<g><title>${esc(`${label} · ${c}: ${v >= 0 ? '+' : ''}${v.toFixed(2)}σ`)}</title><rect x="${left + j * cell}" y="${y}" width="${cell - 2}" height="28" fill="${divergingColour(v)}"/>` +
            `<text x="${left + j * cell + cell / 2 - 1}" y="${y + 18}" text-anchor="middle" class="cell">${v >= 0 ? '+' : ''}${v.toFixed(1)}</text></g>`;
        })
        .join('');
      return `<text x="${left - 20}" y="${y + 19}" text-anchor="end">${esc(label)}</text>${swatch}${cells}`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title)}">` +
    `<text x="0" y="16" class="chart-title">${esc(options.title)}</text>${heads}${rows}</svg>`;
}

/** Line chart of one or two series over x, each with its own y axis (left and right). */
export function lineChart(x: readonly number[], series: readonly { name: string; values: readonly number[]; colour: string }[], options: { title: string; xLabel: string; marker?: number }): string {
  const width = 640;
  const height = 260;
  const pad = { l: 60, r: 60, t: 34, b: 40 };
  const xs = (v: number) => pad.l + ((v - Math.min(...x)) / Math.max(1e-12, Math.max(...x) - Math.min(...x))) * (width - pad.l - pad.r);
  const parts: string[] = [];
  series.forEach((s, si) => {
    const lo = Math.min(...s.values);
    const hi = Math.max(...s.values);
    const ys = (v: number) => height - pad.b - ((v - lo) / Math.max(1e-12, hi - lo)) * (height - pad.t - pad.b);
    const path = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${xs(x[i]!).toFixed(1)},${ys(v).toFixed(1)}`).join('');
    parts.push(`<path d="${path}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
    s.values.forEach((v, i) => parts.push(`<circle cx="${xs(x[i]!).toFixed(1)}" cy="${ys(v).toFixed(1)}" r="4" fill="${s.colour}"><title>${esc(`${s.name} at ${x[i]}: ${v.toPrecision(4)}`)}</title></circle>`));
    const axisX = si === 0 ? pad.l - 6 : width - pad.r + 6;
    const anchor = si === 0 ? 'end' : 'start';
    parts.push(`<text x="${axisX}" y="${ys(hi) + 4}" text-anchor="${anchor}" class="axis">${esc(hi.toPrecision(3))}</text>`);
    parts.push(`<text x="${axisX}" y="${ys(lo) + 4}" text-anchor="${anchor}" class="axis">${esc(lo.toPrecision(3))}</text>`);
    parts.push(`<text x="${si === 0 ? pad.l : width - pad.r}" y="${pad.t - 6}" text-anchor="${si === 0 ? 'start' : 'end'}" fill="${s.colour}" class="axis">${esc(s.name)}</text>`);
  });
  x.forEach((v) => parts.push(`<text x="${xs(v).toFixed(1)}" y="${height - pad.b + 16}" text-anchor="middle" class="axis">${v}</text>`));
  if (options.marker !== undefined) parts.push(`<line x1="${xs(options.marker)}" x2="${xs(options.marker)}" y1="${pad.t}" y2="${height - pad.b}" stroke="#444" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${width / 2}" y="${height - 6}" text-anchor="middle" class="axis">${esc(options.xLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title)}">` +
    `<text x="0" y="16" class="chart-title">${esc(options.title)}</text>${parts.join('')}</svg>`;
}
