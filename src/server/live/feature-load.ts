/**
 * Loads customers' feature states from the store, once per customer per process: the facts the run's snapshot
 * counted (everything before its as-of that was stored when it was computed), aggregated by the very source CTEs
 * the snapshot used, then every event stored after the run replayed through the same incremental code as live
 * events, so a restart loses nothing.
 *
 * Why not the snapshot row alone: it holds ratios without their denominators (dwell, email, cart rates), distinct
 * counts without their sets (sessions, categories) and a trend without the order times; none of them could be
 * moved by one more event. The snapshot row is what these statistics give at the as-of (the tests assert it).
 *
 * "After the run": an event with ts ≥ the as-of, or received after the snapshot was computed (a late event dated
 * before the as-of that the snapshot never saw).
 *
 * Two ways to load, by cost:
 * - `fast` (what the server does): the base statistics of every customer are computed once per run and process
 *   into a TEMP table (`createBaseTable`, one pass like the snapshot's), and a load reads its customers' rows there
 *   plus the events received after the run but before the process started watching commits (`until`): anything
 *   later it has seen committed. Cost: a key lookup and two zone-map-pruned scans.
 * - `full`: the base statistics recomputed for the customers from their own rows and every event after the run
 *   replayed, for a customer whose identities changed since the base table was built (and for tests). Cost: one
 *   filtered scan of events, orders and order lines.
 */
import { quoteIdent, type Store } from '../../store/db.js';
import { applyEvent, applyOrder, emptyFeatureState, setSessionFlags, SESSION_ADDED, SESSION_COMPLETED, type FeatureState, type LiveEvent } from './feature-state.js';
import { purchaseFromEvent, productLines, type OrderEvent } from './event-orders.js';
import { BASE_TABLE, baseSql, replaySql } from './feature-sql.js';

const DAY_MS = 86_400_000;

/** Where the run's snapshot ends: its as-of and the moment it was computed (epoch ms). */
export interface RunSplit {
  readonly asOf: number;
  readonly createdAt: number;
}

/** A loaded state and the message ids it replayed from the store (to skip them if they arrive live too). */
export interface LoadedState {
  readonly state: FeatureState;
  readonly replayed: Set<string>;
}

/** `fast`: base table + events received before `until` (epoch ms); `full`: everything from the facts. */
export type LoadMode = { readonly kind: 'fast'; readonly until: number } | { readonly kind: 'full' };

/** An event stored after the run, with its owners: the customer of the event and of its purchase order. */
export type StoredEvent = LiveEvent & OrderEvent & { readonly event_customer: string | null; readonly order_customer: string };

/** Purchase times before this can never enter a trend window at an as-of ≥ the run's. */
export function trendFloor(split: RunSplit): number {
  return split.asOf - 180 * DAY_MS;
}

/** Timestamp parameter text (UTC) for `$x::TIMESTAMP`. */
export function timestampParam(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

async function home(store: Store): Promise<string> {
  return `${quoteIdent(String(await store.scalar<string>('SELECT current_database()')))}.main`;
}

/** (Re)builds the base table of every customer's statistics at the run's as-of; returns its row count. */
export async function createBaseTable(store: Store, split: RunSplit): Promise<number> {
  await store.run(`CREATE OR REPLACE TEMP TABLE ${BASE_TABLE} AS ${baseSql(await home(store), false)}`, { as_of: timestampParam(split.asOf), created: timestampParam(split.createdAt) });
  return Number(await store.scalar(`SELECT count(*) FROM ${BASE_TABLE}`));
}

/** States of `customers` (resolved customer ids) at the run's as-of plus everything stored after the run. */
export async function loadStates(store: Store, customers: readonly string[], split: RunSplit, mode: LoadMode = { kind: 'full' }): Promise<Map<string, LoadedState>> {
  const out = new Map<string, LoadedState>();
  if (customers.length === 0) return out;
  const catalog = await home(store);
  const times = { as_of: timestampParam(split.asOf), created: timestampParam(split.createdAt) };
  const list = JSON.stringify(customers);
  const base = mode.kind === 'fast' ? await baseRows(store, customers) : await store.rows<BaseRow>(baseSql(catalog, true), { customers: list, ...times });
  for (const row of base) out.set(row.customer_id, { state: fromBase(row, split), replayed: new Set() });
  for (const c of customers) if (!out.has(c)) out.set(c, { state: emptyFeatureState(), replayed: new Set() });
  const replay = mode.kind === 'fast'
    ? await store.rows<StoredRow>(replaySql(catalog, true), { customers: list, ...times, until: timestampParam(mode.until) })
    : await store.rows<StoredRow>(replaySql(catalog, false), { customers: list, ...times });
  const events: StoredEvent[] = replay.map((r) => ({ ...r, properties: r.properties === null ? null : (JSON.parse(r.properties) as Record<string, unknown>) }));
  const categories = await productCategories(store, events);
  for (const e of events) {
    const owner = e.event_customer === null ? undefined : out.get(e.event_customer);
    if (owner) {
      applyEvent(owner.state, e);
      owner.replayed.add(e.message_id);
    }
    const buyer = isOrderEvent(e) ? out.get(e.order_customer) : undefined;
    if (buyer) {
      const order = purchaseFromEvent(e, (id) => categories.get(id) ?? null);
      if (order) applyOrder(buyer.state, order, trendFloor(split));
      buyer.replayed.add(e.message_id);
    }
  }
  return out;
}

/** Rows of the base table, by key lookups on its customer_id-sorted rows (zone maps), a thousand ids a statement. */
async function baseRows(store: Store, customers: readonly string[]): Promise<BaseRow[]> {
  const out: BaseRow[] = [];
  for (let i = 0; i < customers.length; i += 1000) {
    const chunk = customers.slice(i, i + 1000);
    out.push(...(await store.rows<BaseRow>(`SELECT * FROM ${BASE_TABLE} WHERE customer_id IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`, chunk)));
  }
  return out;
}

export function isOrderEvent(e: { readonly type: string; readonly event: string | null }): boolean {
  return e.type === 'track' && e.event === 'Order Completed';
}

/** Categories from the products table for order lines that name a product but no category. */
export async function productCategories(store: Store, orders: readonly OrderEvent[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const o of orders) for (const l of productLines(o)) if (l.category === null && l.productId !== null) ids.add(l.productId);
  const out = new Map<string, string>();
  if (ids.size === 0) return out;
  const rows = await store.rows<{ product_id: string; category: string }>(
    `SELECT product_id, category FROM products WHERE category IS NOT NULL AND product_id IN (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')))`,
    { ids: JSON.stringify([...ids]) },
  );
  for (const r of rows) out.set(r.product_id, r.category);
  return out;
}

interface BaseRow {
  customer_id: string;
  order_ids: string[] | null; frequency: number | null; monetary: number | null; discounted: number | null;
  first_order: number | null; last_order: number | null; recent_orders: number[] | null;
  categories: string[] | null;
  first_seen: number; last_seen: number;
  hours: { o: boolean; h: number; n: number }[] | null;
  behaviour: number | null; page_views: number | null; dwell_sum: number | null; dwell_count: number | null;
  viewed: number | null; added: number | null; delivered: number | null; opened: number | null; clicked: number | null;
  sessions: { id: string; a: boolean; c: boolean }[] | null;
}

function fromBase(r: BaseRow, split: RunSplit): FeatureState {
  const s = emptyFeatureState();
  for (const id of r.order_ids ?? []) s.orderIds.add(id);
  s.frequency = r.frequency ?? 0;
  s.monetary = r.monetary ?? 0;
  s.discounted = r.discounted ?? 0;
  s.firstOrder = r.first_order ?? NaN;
  s.lastOrder = r.last_order ?? NaN;
  for (const at of r.recent_orders ?? []) if (at >= trendFloor(split)) s.recentOrders.push(at);
  for (const c of r.categories ?? []) s.categories.add(c);
  s.firstSeen = r.first_seen;
  s.lastSeen = r.last_seen;
  for (const { o, h, n } of r.hours ?? []) {
    (o ? s.orderHours : s.eventHours)[h] = n;
    if (!o) s.events += n;
  }
  s.behaviour = r.behaviour ?? 0;
  s.pageViews = r.page_views ?? 0;
  s.dwellSum = r.dwell_sum ?? 0;
  s.dwellCount = r.dwell_count ?? 0;
  s.productViewed = r.viewed ?? 0;
  s.productAdded = r.added ?? 0;
  s.emailDelivered = r.delivered ?? 0;
  s.emailOpened = r.opened ?? 0;
  s.emailClicked = r.clicked ?? 0;
  for (const { id, a, c } of r.sessions ?? []) setSessionFlags(s, id, (a ? SESSION_ADDED : 0) | (c ? SESSION_COMPLETED : 0));
  return s;
}

interface StoredRow extends LiveEvent {
  readonly order_id: string | null;
  readonly revenue: number | null;
  readonly discount: number | null;
  readonly properties: string | null;
  readonly event_customer: string | null;
  readonly order_customer: string;
}
