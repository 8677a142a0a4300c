/**
 * How every chart looks, in the dashboard and in the static report alike: the base option, axes, colour scales,
 * label wrapping and the tooltip text. DOM-free, like every module of this folder: Node imports it for the report.
 */
import { fmt } from '../ui.js';

/**
 * The page's font stack, so the report's SVG text matches the dashboard's canvas text. Single quotes: ECharts writes it
 * unescaped into a double-quoted SVG style attribute.
 */
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** The ink of labels on charts (contrast 14.8:1 on white). */
export const INK = '#1d232b';

/** The colour of a segment no chart knows a colour for (e.g. a name gone since the previous run). */
export const OTHER_COLOUR = '#7F7F7F';

/**
 * The base every chart starts from. Animation is off: a marketer reads numbers, and screenshots, tests and the
 * server-side SVG see the final chart at once. A chart's own `tooltip` replaces the base one.
 */
export function withBase(option) {
  return {
    animation: false,
    textStyle: { fontFamily: FONT, color: INK },
    tooltip: { trigger: 'item', confine: true },
    ...option,
  };
}

/** Shared axis and label settings so every chart reads the same way. */
export const axis = {
  category: (data, extra = {}) => ({ type: 'category', data, axisLabel: { color: '#47525c', fontSize: 12 }, axisLine: { lineStyle: { color: '#9aa6b2' } }, ...extra }),
  /** A value axis with short labels (12k) and its name centred along it; `extra` overrides any of it. */
  value: (name, extra = {}) => ({
    type: 'value', name, nameLocation: 'middle', nameGap: 30, nameTextStyle: { color: '#47525c' },
    axisLabel: { color: '#47525c', formatter: (v) => fmt.compact(v) }, splitLine: { lineStyle: { color: '#e6e9ed' } }, ...extra,
  }),
};

/** A sequential blue scale for counts and a diverging scale for z-scores, readable in greyscale too. */
export const scales = {
  // The darkest colours stay light enough for dark label text on top (contrast ≥ 4.5:1).
  sequential: ['#f4f8fc', '#d6e6f4', '#a8cbe8', '#7bb0dc', '#5a9fd6'],
  diverging: ['#0571b0', '#92c5de', '#f7f7f7', '#f4a582', '#ca0020'],
  /** Money: light to dark green. */
  money: ['#f3fbf7', '#a1d99b', '#41ab5d', '#006d2c', '#00441b'],
};

/** Breaks a long label into lines of about `width` characters at spaces. */
export function wrap(text, width = 14) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/**
 * An ECharts tooltip formatter showing `describe(seriesIndex, dataIndex)`: plain text, one line per '\n'. The same
 * text becomes each mark's <title> in the report's SVG, so the browser and the static file say the same thing.
 * ECharts inserts a formatter's result as HTML, hence the escaping (segment names and customer ids are data).
 */
export function describedTooltip(describe) {
  return (params) => {
    const p = Array.isArray(params) ? params[0] : params;
    const text = p ? describe(p.seriesIndex ?? 0, p.dataIndex ?? 0) : null;
    return text === null || text === undefined ? '' : `${p.marker ?? ''}${escapeHtml(text).replace(/\n/g, '<br>')}`;
  };
}

/** Escapes text for HTML. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Segments largest first (ties by cluster), as the overview lists them. */
export function bySize(segments) {
  return [...segments].sort((a, b) => b.size - a.size || a.cluster - b.cluster);
}
