/**
 * Finding and showing one customer: id search over customer ids and their aliases, and the profile page (the
 * server's `loadProfile`, plus a 200-event timeline and the stored predictions).
 */
import { InputError } from '../../core/errors.js';
import { loadProfile } from '../../server/read/profiles.js';
import type { Store } from '../../store/db.js';
import { finiteOrNull, isoOrNull } from './numbers.js';
import { emptyState, loadRunState, tableExists } from './run-state.js';
import type { CustomerProfilePayload, CustomerSearchHit, CustomerSearchPayload, PredictionRow, TimelineEvent } from './types.js';

export const MAX_SEARCH_LIMIT = 100;
export const TIMELINE_EVENTS = 200;
/** Events with properties kept in the profile itself (as `loadProfile` gives by default). */
export const PROFILE_EVENTS = 20;

/** Sources of searchable ids: [table, id column, customer id expression]. */
const ID_SOURCES = [
  ['identities', 'alias_id', 'customer_id'],
  ['customers', 'customer_id', 'customer_id'],
  ['customer_features', 'customer_id', 'customer_id'],
] as const;

/**
 * Ids (customer ids and aliases from `identities`) that start with or contain `query`, case-insensitively: prefix
 * matches first, then the rest, each in id order. An empty query gives no results. Cost: one scan of each id table.
 */
export async function customerSearch(store: Store, query: string, limit = 20): Promise<CustomerSearchPayload> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new InputError(`customer search requires limit between 1 and ${MAX_SEARCH_LIMIT} (got ${limit})`, [{ path: 'limit', message: `got ${limit}` }]);
  }
  const q = query.trim();
  const sources: string[] = [];
  for (const [table, id, customer] of ID_SOURCES) {
    if (await tableExists(store, table)) sources.push(`SELECT ${id} AS id, ${customer} AS customer_id FROM ${table}`);
  }
  if (sources.length === 0 || !(await loadRunState(store)).hasData) return { ...emptyState(false), query, results: [] };
  if (q === '') return { state: 'ready', message: 'Type part of a customer id or alias.', query, results: [] };
  const read = await store.readColumns(
    `WITH ids AS (${sources.join(' UNION ALL ')}),
          hits AS (SELECT id, min(customer_id) AS customer_id, starts_with(lower(id), lower($q)) AS prefix
                     FROM ids WHERE contains(lower(id), lower($q)) GROUP BY id)
     SELECT id, customer_id FROM hits ORDER BY prefix DESC, id LIMIT $limit`,
    { q, limit },
  );
  const ids = read.columns.id ?? [];
  const customers = read.columns.customer_id ?? [];
  const results: CustomerSearchHit[] = ids.map((id, i) => ({ id: String(id), customerId: String(customers[i]), isAlias: String(id) !== String(customers[i]) }));
  return { state: 'ready', message: results.length === 0 ? `No customer id or alias contains ${JSON.stringify(q)}.` : null, query, results };
}

/**
 * The profile of the customer `id` resolves to (any alias works): `loadProfile`, the last 200 events of all the
 * customer's ids (newest first) and the customer's rows of `customer_predictions` (as the profile read them).
 * Throws NotFoundError for an id never seen. Cost: the profile's lookups and its one scan of events.
 */
export async function customerProfile(store: Store, id: string): Promise<CustomerProfilePayload> {
  const rs = await loadRunState(store);
  if (!rs.hasData) return { ...emptyState(false), profile: null, timeline: [], predictions: [] };
  // One events scan serves both: the profile reads the last 200 events, the timeline keeps their headers and the
  // profile keeps its usual 20 (with properties).
  const full = await loadProfile(store, id, TIMELINE_EVENTS);
  const profile = { ...full, lastEvents: full.lastEvents.slice(0, PROFILE_EVENTS) };
  const timeline: TimelineEvent[] = full.lastEvents.map((e) => ({
    ts: isoOrNull(e.timestamp) ?? '',
    type: String(e.type),
    event: typeof e.event === 'string' ? e.event : null,
    name: typeof e.name === 'string' ? e.name : null,
  }));
  // The profile has read the customer's predictions; a payload holds finite numbers or null.
  const predictions: PredictionRow[] = full.predictions.map((p) => ({ ...p, probability: finiteOrNull(p.probability) }));
  return { state: 'ready', message: null, profile, timeline, predictions };
}
