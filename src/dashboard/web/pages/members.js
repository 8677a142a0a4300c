/* global window */
/**
 * The members of one segment, paged (50 a page) and sortable, each linking to the customer's profile. Used by
 * the Segments page for `#/segments/<cluster>?offset=&sort=`.
 */
import { api, ApiError } from '../api.js';
import { downloadCsv } from '../charts.js';
import { el, fmt, notice, stateNotice, swatch, table } from '../ui.js';

const PAGE = 50;
const SORTS = [
  ['-monetary', 'spend, highest first'],
  ['monetary', 'spend, lowest first'],
  ['-frequency', 'orders, most first'],
  ['recency_days', 'most recent buyers first'],
  ['-recency_days', 'longest since last order first'],
  ['customer_id', 'customer id'],
  ['-rfm_score', 'RFM score, highest first'],
];

export async function membersPanel(segments, params) {
  const cluster = Number(params.param);
  const known = segments.segments.find((s) => s.cluster === cluster);
  const offset = Math.max(0, Number(params.query.get('offset') ?? 0) || 0);
  const sort = params.query.get('sort') || '-monetary';
  let data;
  try {
    data = await api(`segments/${encodeURIComponent(params.param)}/members`, { offset, limit: PAGE, sort });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      return panel(`Members of segment ${params.param}`, null, notice('empty', 'No such segment', `${error.message} Choose a segment from the table.`));
    }
    throw error;
  }
  const segment = data.segment ?? known;
  const heading = segment ? `Members of ${segment.name}` : `Members of segment ${cluster}`;
  const banner = stateNotice(data);
  if (data.members.length === 0) {
    return panel(heading, segment, banner ?? notice('empty', 'No members on this page', data.total > 0 ? `This segment has ${fmt.int(data.total)} members; this page starts after the last one.` : 'This segment has no members in the latest run.'));
  }
  const go = (nextOffset, nextSort = sort) => { window.location.hash = `#/segments/${cluster}?offset=${nextOffset}&sort=${encodeURIComponent(nextSort)}`; };
  const sortSelect = el('select', { id: 'member-sort', onchange: (e) => go(0, e.target.value) },
    SORTS.map(([value, label]) => el('option', { value, selected: value === sort }, label)));
  const first = data.offset + 1;
  const lastShown = data.offset + data.members.length;
  const rows = table([
    { label: 'Customer', value: (m) => m.customerId, render: (m) => el('a', { href: `#/customers/${encodeURIComponent(m.customerId)}` }, m.customerId) },
    { label: 'RFM score', value: (m) => m.rfmScore ?? '–' },
    { label: 'RFM segment', value: (m) => m.rfmSegment ?? '–' },
    { label: 'Days since last order', numeric: true, value: (m) => fmt.num(m.recencyDays, 0) },
    { label: 'Orders', numeric: true, value: (m) => fmt.num(m.frequency, 0) },
    { label: 'Spend', numeric: true, value: (m) => fmt.money(m.monetary) },
  ], data.members, { label: heading });
  return panel(heading, segment,
    banner,
    data.total === 1 ? el('p', { class: 'hint' }, 'This segment has a single customer: its averages are that customer’s own numbers.') : null,
    el('div', { class: 'pager' }, el('label', { for: 'member-sort' }, 'Sort by '), sortSelect,
      el('button', { type: 'button', class: 'csv', 'data-csv': 'members', onclick: () => downloadCsv(`members-${cluster}-${data.offset + 1}`, {
        headers: ['customer_id', 'rfm_score', 'rfm_segment', 'recency_days', 'frequency', 'monetary'],
        rows: data.members.map((m) => [m.customerId, m.rfmScore, m.rfmSegment, m.recencyDays, m.frequency, m.monetary]),
      }) }, 'Download this page as CSV')),
    rows,
    el('div', { class: 'pager', 'data-pager': '' },
      el('button', { type: 'button', disabled: data.offset === 0, onclick: () => go(Math.max(0, data.offset - PAGE)) }, '← Previous'),
      el('span', { 'data-range': '' }, `${fmt.int(first)}–${fmt.int(lastShown)} of ${fmt.int(data.total)}`),
      el('button', { type: 'button', disabled: lastShown >= data.total, onclick: () => go(data.offset + PAGE) }, 'Next →'),
    ),
  );
}

function panel(heading, segment, ...children) {
  return el('section', { class: 'card', 'aria-label': heading, 'data-members-of': segment ? segment.cluster : '' },
    el('h2', {}, segment ? swatch(segment.colour) : null, heading), ...children);
}
