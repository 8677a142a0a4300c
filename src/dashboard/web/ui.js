/* global document */
/**
 * Small DOM helpers shared by the pages: element building (text is always set as text, never as HTML, so
 * customer data cannot inject markup), number formats, tables, and the friendly notices for the
 * empty / running / failed states.
 */

/** Builds an element: `el('td', { class: 'num' }, '12')`. Attributes starting with `on` are listeners. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(node.style, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof globalThis.Node ? child : document.createTextNode(String(child)));
  }
}

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Number formats; `null`/`undefined`/NaN show as an en dash. */
export const fmt = {
  int: (v) => (isNumber(v) ? intFormat.format(v) : '–'),
  money: (v) => (isNumber(v) ? (Math.abs(v) >= 1000 ? intFormat.format(v) : moneyFormat.format(v)) : '–'),
  pct: (v, digits = 1) => (isNumber(v) ? `${(v * 100).toFixed(digits)}%` : '–'),
  num: (v, digits = 2) => (isNumber(v) ? Number(v).toFixed(digits) : '–'),
  date: (v) => (v ? String(v).slice(0, 10) : '–'),
  dateTime: (v) => (v ? String(v).replace('T', ' ').slice(0, 16) : '–'),
  /** Short form for axis labels and crowded cells: 1.2k, 3.4M. */
  compact: (v) => (isNumber(v) ? compactNumber(v) : '–'),
  /** A signed change: +12 / −3 / 0. */
  delta: (v, format = (x) => intFormat.format(x)) => (isNumber(v) ? `${v > 0 ? '+' : v < 0 ? '−' : '±'}${format(Math.abs(v))}` : '–'),
};

function compactNumber(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(a >= 1e10 ? 0 : 1)}B`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(a >= 10 ? 0 : 2);
}

export function isNumber(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Words from an identifier: `days_since_last_order` → `days since last order`. */
export function humanise(name) {
  return String(name).replace(/_/g, ' ');
}

/** A coloured square for a segment. */
export function swatch(colour) {
  return el('span', { class: 'swatch', style: { background: colour ?? '#999' }, 'aria-hidden': 'true' });
}

/**
 * A table. `columns` are `{ label, value(row), numeric?, render?(row) }`; `onRow(row)` makes rows clickable
 * (by mouse, and by keyboard through a button in the first cell).
 */
export function table(columns, rows, options = {}) {
  const head = el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.numeric ? 'num' : undefined, scope: 'col' }, c.label))));
  const body = el('tbody', {}, rows.map((row) => {
    const cells = columns.map((c, i) => {
      const content = c.render ? c.render(row) : c.value(row);
      const inner = i === 0 && options.onRow
        ? el('button', { type: 'button', class: 'link-button', onclick: (e) => { e.stopPropagation(); options.onRow(row); } }, content)
        : content;
      return el(i === 0 ? 'th' : 'td', { class: c.numeric ? 'num' : undefined, scope: i === 0 ? 'row' : undefined }, inner);
    });
    const attrs = options.onRow ? { class: 'clickable', onclick: () => options.onRow(row) } : {};
    if (options.rowAttrs) Object.assign(attrs, options.rowAttrs(row));
    return el('tr', attrs, cells);
  }));
  return el('div', { class: 'table-wrap' }, el('table', { 'aria-label': options.label }, options.caption ? el('caption', { class: 'visually-hidden' }, options.caption) : null, head, body));
}

/** The friendly notice for a payload that is not ready (`empty` or `running`), or for a failure. */
export function notice(kind, title, message) {
  return el('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-notice': kind },
    el('h2', {}, title), el('p', {}, withCode(message)));
}

/** Text with `backticked` commands shown as code. */
export function withCode(text) {
  return String(text ?? '').split('`').map((part, i) => (i % 2 === 1 ? el('code', {}, part) : part));
}

const STATE_TITLES = {
  empty: 'Nothing to show yet',
  running: 'A segmentation run is in progress',
};

/** Returns a notice for a payload whose state is not `ready`, or null when it is ready. */
export function stateNotice(payload) {
  if (!payload || payload.state === 'ready') return null;
  const title = STATE_TITLES[payload.state] ?? 'Nothing to show yet';
  const fallback = payload.state === 'running'
    ? 'The numbers will appear here when the run finishes. Reload the page in a moment.'
    : 'This database has no data for this page yet. Import orders and events, then run `segmenta segment`.';
  return notice(payload.state === 'running' ? 'running' : 'empty', title, payload.message || fallback);
}

/** A labelled section with a heading. */
export function section(title, ...children) {
  return el('section', { 'aria-label': title }, el('h2', {}, title), ...children);
}

/** A page heading with an optional subtitle. */
export function pageHeader(title, subtitle) {
  return subtitle ? [el('h1', {}, title), el('p', { class: 'sub' }, subtitle)] : [el('h1', {}, title)];
}
