/* global window */
/**
 * Customers: a search box (any id: customer id, user id or anonymous id) and, for one customer, the profile:
 * segment and strategy, RFM, predictions, features, activity and a timeline of events.
 */
import { api, ApiError } from '../api.js';
import { axis, chartCard } from '../charts.js';
import { el, fmt, humanise, isNumber, notice, pageHeader, section, stateNotice, swatch, table } from '../ui.js';

export const title = 'Customers';

export async function render(params) {
  if (params.param !== null) return profilePage(params.param);
  const q = (params.query.get('q') ?? '').trim();
  const nodes = [...pageHeader('Customers', 'Find a customer by any of their ids: customer id, user id or anonymous id.'), searchForm(q)];
  if (q === '') return nodes;
  const data = await api('customers', { q });
  const banner = stateNotice(data);
  if (banner) nodes.push(banner);
  if (data.results.length === 0) {
    if (data.state === 'ready') nodes.push(notice('empty', 'No match', data.message ?? `No customer id or alias contains “${q}”.`));
    return nodes;
  }
  nodes.push(section(`Results for “${data.query}”`, el('div', { class: 'card', 'data-results': '' }, table([
    { label: 'Customer', value: (h) => h.customerId, render: (h) => el('a', { href: `#/customers/${encodeURIComponent(h.customerId)}` }, h.customerId) },
    { label: 'Matched id', value: (h) => h.id },
    { label: 'Match', value: (h) => (h.isAlias ? 'alias (user or anonymous id)' : 'customer id') },
  ], data.results, { label: 'Search results' }))));
  return nodes;
}

function searchForm(q) {
  const input = el('input', { id: 'customer-q', name: 'q', type: 'search', value: q, autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. c000123', maxlength: 200 });
  return el('form', { class: 'search card', role: 'search', 'aria-label': 'Customer search', onsubmit: (e) => {
    e.preventDefault();
    window.location.hash = `#/customers?q=${encodeURIComponent(input.value.trim())}`;
  } }, el('label', { for: 'customer-q' }, 'Customer id', input), el('button', { type: 'submit', class: 'primary' }, 'Search'));
}

async function profilePage(id) {
  let data;
  try {
    data = await api(`customers/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return [...pageHeader('Customer not found'), searchForm(id), notice('empty', `No customer “${id}”`, error.message)];
    }
    throw error;
  }
  const nodes = [el('p', {}, el('a', { href: '#/customers' }, '← Search customers'))];
  const banner = stateNotice(data);
  const p = data.profile;
  if (!p) return [...nodes, ...pageHeader(`Customer ${id}`), banner ?? notice('empty', 'No profile', data.message ?? 'This customer has no profile data.')];
  const segmentColour = await colourFor(p.segment);
  nodes.push(...pageHeader(`Customer ${p.customerId}`, p.ids.length > 1 ? `Also known as ${p.ids.filter((x) => x !== p.customerId).join(', ')}` : null));
  if (banner) nodes.push(banner);
  nodes.push(el('div', { class: 'grid' }, segmentCard(p, segmentColour), activityCard(p)));
  if (data.predictions.length > 0) nodes.push(section('Predictions', predictionsCard(data.predictions)));
  if (p.features) nodes.push(section('Features', el('div', { class: 'card' }, featureList(p.features))));
  nodes.push(section('Timeline', ...timeline(data.timeline)));
  const traits = Object.entries(p.traits ?? {});
  if (traits.length > 0) nodes.push(section('Traits', el('div', { class: 'card' }, el('dl', { class: 'facts' }, traits.map(([k, v]) => [el('dt', {}, humanise(k)), el('dd', {}, show(v))])))));
  return nodes;
}

/** The segment's colour, the same as on every other page (from the overview's segment list). */
async function colourFor(segment) {
  if (!segment || segment.cluster === null) return null;
  try {
    const overview = await api('overview');
    return overview.segments.find((s) => s.cluster === segment.cluster)?.colour ?? null;
  } catch {
    return null;
  }
}

function segmentCard(p, colour) {
  const s = p.segment;
  if (!s) return el('section', { class: 'card', 'aria-label': 'Segment' }, el('h2', {}, 'Segment'), el('p', { class: 'hint' }, 'Not in the latest segmentation run (no purchases before its as-of date, or joined since).'));
  const strategy = s.strategy && typeof s.strategy === 'object' ? s.strategy : null;
  const facts = [
    ['Segment', s.name !== null ? [colour ? swatch(colour) : null, s.name] : '–'],
    ['RFM score', s.rfm.score ?? '–'],
    ['RFM segment', s.rfm.segment ?? '–'],
    ['R / F / M', [s.rfm.r, s.rfm.f, s.rfm.m].map((v) => v ?? '–').join(' / ')],
  ];
  if (s.liveRfm) facts.push(['Live RFM (since the run)', `${s.liveRfm.score ?? '–'} ${s.liveRfm.segment ?? ''} (updated ${fmt.dateTime(s.liveRfm.updatedAt)})`]);
  facts.push(['Run', s.runId]);
  return el('section', { class: 'card', 'aria-label': 'Segment and strategy', 'data-profile-segment': s.name ?? '' },
    el('h2', {}, 'Segment and strategy'),
    el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    strategy ? el('div', {}, el('h3', { style: { marginTop: '12px' } }, 'What to do'), el('dl', { class: 'facts' },
      [['Goal', strategy.goal], ['Tactic', strategy.tactic], ['Channels', (strategy.channels ?? []).join(', ')], ['Offer', strategy.offer], ['Timing', strategy.timing],
        ['Contact cap', strategy.frequencyCap ? `at most ${strategy.frequencyCap.maxContacts} per ${strategy.frequencyCap.per}` : '–'], ['KPI', strategy.kpi]]
        .map(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '–')]))) : null);
}

function activityCard(p) {
  const a = p.activity;
  const facts = [['Orders', fmt.int(a.orders)], ['Revenue', fmt.money(a.revenue)], ['Events', fmt.int(a.events)], ['Sessions', fmt.int(a.sessions)], ['First seen', fmt.dateTime(a.firstSeen)], ['Last seen', fmt.dateTime(a.lastSeen)]];
  if (p.consent) facts.push(['Consent', Object.entries(p.consent).map(([k, v]) => `${k}: ${v ? 'yes' : 'no'}`).join(', ') || '–']);
  return el('section', { class: 'card', 'aria-label': 'Activity' }, el('h2', {}, 'Activity'), el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
}

function predictionsCard(predictions) {
  const rows = predictions.filter((r) => r.probability !== null);
  const label = (r) => `${r.target} within ${r.horizonDays} days`;
  const chart = rows.length > 0 ? chartCard({
    id: 'predictions',
    title: 'Predicted probabilities',
    height: Math.max(160, 40 + rows.length * 36),
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.pct(v) },
      grid: { left: 170, right: 60, top: 10, bottom: 30 },
      xAxis: axis.value('', { min: 0, max: 1, axisLabel: { formatter: (v) => fmt.pct(v, 0), color: '#47525c' } }),
      yAxis: axis.category(rows.map(label), { inverse: true }),
      series: [{ type: 'bar', name: 'probability', barMaxWidth: 28, data: rows.map((r) => Number(r.probability.toFixed(4))), itemStyle: { color: '#0072B2' }, label: { show: true, position: 'right', formatter: (p) => fmt.pct(p.value), color: '#1d232b' } }],
    },
    csv: { headers: ['target', 'horizon_days', 'probability', 'model', 'as_of'], rows: predictions.map((r) => [r.target, r.horizonDays, r.probability, r.model, r.asOf]) },
  }) : null;
  return [chart, el('div', { class: 'card' }, table([
    { label: 'Prediction', value: label },
    { label: 'Probability', numeric: true, value: (r) => fmt.pct(r.probability) },
    { label: 'Model', value: (r) => r.model },
    { label: 'As of', value: (r) => fmt.date(r.asOf) },
  ], predictions, { label: 'Predictions' }))];
}

function featureList(features) {
  const entries = Object.entries(features).filter(([k]) => k !== 'customer_id');
  return el('div', { class: 'feature-grid', 'data-features': '' }, entries.map(([k, v]) => el('div', {}, el('span', { class: 'k' }, humanise(k)), el('span', { class: 'num' }, isNumber(v) ? (Number.isInteger(v) ? fmt.int(v) : fmt.num(v, 2)) : show(v)))));
}

function show(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function timeline(events) {
  if (events.length === 0) return [el('p', { class: 'hint' }, 'No events recorded for this customer.')];
  const label = (e) => e.event ?? e.name ?? e.type;
  const kinds = [...new Set(events.map(label))].sort();
  const points = events.map((e) => [e.ts, kinds.indexOf(label(e)), e.type]);
  const chart = chartCard({
    id: 'timeline',
    title: `Events over time (last ${fmt.int(events.length)})`,
    height: Math.max(220, 70 + kinds.length * 28),
    option: {
      tooltip: { formatter: (p) => `${fmt.dateTime(p.data[0])}<br>${kinds[p.data[1]]} (${p.data[2]})` },
      grid: { left: 160, right: 30, top: 20, bottom: 40 },
      xAxis: { type: 'time', axisLabel: { color: '#47525c' }, splitLine: { lineStyle: { color: '#e6e9ed' } } },
      yAxis: axis.category(kinds),
      series: [{ type: 'scatter', name: 'events', symbolSize: 9, data: points, itemStyle: { color: '#0072B2', opacity: 0.7 } }],
    },
    csv: { headers: ['ts', 'type', 'event', 'name'], rows: events.map((e) => [e.ts, e.type, e.event, e.name]) },
  });
  const list = el('div', { class: 'card' }, table([
    { label: 'When', value: (e) => fmt.dateTime(e.ts) },
    { label: 'Type', value: (e) => e.type },
    { label: 'Event', value: (e) => e.event ?? e.name ?? '–' },
  ], events.slice(0, 20), { label: 'Latest events' }), events.length > 20 ? el('p', { class: 'hint' }, `The 20 newest of ${fmt.int(events.length)} events; download the chart’s CSV for all of them.`) : null);
  return [chart, list];
}
