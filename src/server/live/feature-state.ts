/**
 * One customer's feature state, kept incrementally: the sufficient statistics of every feature in
 * `features/definitions.ts` (counts per event type, sums, first/last times, the sets and histograms that distinct
 * counts and the preferred hour need), so one event updates it in O(1) and any feature can be read at any as-of.
 * Pure data and functions, no I/O. `feature-values.ts` reads the features from it; `feature-load.ts` fills it from
 * the store.
 *
 * The structures kept beyond counters, all small per customer: the purchase order ids (an order counts once),
 * the purchase times of the trend windows (the last 180 days before the run's as-of, plus every later one), the
 * distinct purchase categories, the session ids with their added/completed flags, and two 24-bin hour
 * histograms (orders, events).
 */

/** A purchase order as the feature sources count it (one `src_orders` row). */
export interface PurchaseOrder {
  readonly orderId: string;
  /** Order time, epoch ms (fractional for µs). */
  readonly at: number;
  readonly amount: number;
  readonly discounted: boolean;
  /** Categories of its kept lines (already falling back to the product's category). */
  readonly categories: readonly string[];
}

/** The columns of an `events` row the features read (an `EventRow` fits). Times are epoch ms. */
export interface LiveEvent {
  readonly message_id: string;
  readonly type: string;
  readonly event: string | null;
  readonly ts: number;
  readonly session_id: string | null;
  readonly dwell_seconds: number | null;
}

/** Session flags: bit 0 a `Product Added` in it, bit 1 an `Order Completed` in it. */
export const SESSION_ADDED = 1;
export const SESSION_COMPLETED = 2;

export interface FeatureState {
  // Purchase orders (`src_orders`).
  readonly orderIds: Set<string>;
  frequency: number;
  monetary: number;
  discounted: number;
  /** Epoch ms of the first and last purchase; NaN without one. */
  firstOrder: number;
  lastOrder: number;
  /** Purchase times that can still fall into a trend window (≥ the run's as-of − 180 days). */
  readonly recentOrders: number[];
  /** Distinct categories of kept purchase lines (`src_lines`). */
  readonly categories: Set<string>;
  /** Purchase orders per UTC hour (`src_hours`, from_orders). */
  readonly orderHours: Int32Array;
  // Identified events (`src_events`); `seen` covers events and orders.
  /** Epoch ms of the first and last event or purchase; NaN when never seen. */
  firstSeen: number;
  lastSeen: number;
  events: number;
  readonly eventHours: Int32Array;
  // Behaviour: page and track events (`src_behaviour`).
  behaviour: number;
  pageViews: number;
  dwellSum: number;
  dwellCount: number;
  productViewed: number;
  productAdded: number;
  emailDelivered: number;
  emailOpened: number;
  emailClicked: number;
  /** Behaviour sessions (`src_sessions`): id → SESSION_ADDED | SESSION_COMPLETED bits. */
  readonly sessions: Map<string, number>;
  /** Sessions with a product added, and those of them without a completed order. */
  addedSessions: number;
  abandonedSessions: number;
}

export function emptyFeatureState(): FeatureState {
  return {
    orderIds: new Set(), frequency: 0, monetary: 0, discounted: 0, firstOrder: NaN, lastOrder: NaN, recentOrders: [],
    categories: new Set(), orderHours: new Int32Array(24),
    firstSeen: NaN, lastSeen: NaN, events: 0, eventHours: new Int32Array(24),
    behaviour: 0, pageViews: 0, dwellSum: 0, dwellCount: 0, productViewed: 0, productAdded: 0,
    emailDelivered: 0, emailOpened: 0, emailClicked: 0, sessions: new Map(), addedSessions: 0, abandonedSessions: 0,
  };
}

const DAY_MS = 86_400_000;

/** UTC hour 0–23 of an epoch-ms instant (DuckDB `hour(ts)` on a TIMESTAMP). */
export function utcHour(ms: number): number {
  return Math.floor((((ms % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000);
}

/** Counts an identified event (any type). O(1). */
export function applyEvent(state: FeatureState, e: LiveEvent): void {
  seen(state, e.ts);
  state.events++;
  state.eventHours[utcHour(e.ts)]!++;
  if (e.type !== 'page' && e.type !== 'track') return;
  state.behaviour++;
  if (e.type === 'page') {
    state.pageViews++;
    if (e.dwell_seconds !== null) {
      state.dwellSum += e.dwell_seconds;
      state.dwellCount++;
    }
  } else {
    countTrack(state, e.event);
  }
  if (e.session_id !== null) {
    const flags = (e.event === 'Product Added' ? SESSION_ADDED : 0) | (e.event === 'Order Completed' ? SESSION_COMPLETED : 0);
    setSessionFlags(state, e.session_id, (state.sessions.get(e.session_id) ?? 0) | flags);
  }
}

function countTrack(state: FeatureState, event: string | null): void {
  switch (event) {
    case 'Product Viewed': state.productViewed++; break;
    case 'Product Added': state.productAdded++; break;
    case 'Email Delivered': state.emailDelivered++; break;
    case 'Email Opened': state.emailOpened++; break;
    case 'Email Link Clicked': state.emailClicked++; break;
    default: break;
  }
}

/** Sets a session's flags, keeping the added/abandoned session counts in step. */
export function setSessionFlags(state: FeatureState, id: string, flags: number): void {
  const before = state.sessions.get(id);
  if (before !== undefined) {
    if (before === flags) return;
    if (before & SESSION_ADDED) {
      state.addedSessions--;
      if (!(before & SESSION_COMPLETED)) state.abandonedSessions--;
    }
  }
  state.sessions.set(id, flags);
  if (flags & SESSION_ADDED) {
    state.addedSessions++;
    if (!(flags & SESSION_COMPLETED)) state.abandonedSessions++;
  }
}

/**
 * Counts a purchase order unless its id was counted before; returns whether it counted. `keepFrom`: purchase
 * times before it can never enter a trend window again and are not kept. O(lines).
 */
export function applyOrder(state: FeatureState, order: PurchaseOrder, keepFrom: number): boolean {
  if (state.orderIds.has(order.orderId)) return false;
  state.orderIds.add(order.orderId);
  state.frequency++;
  state.monetary += order.amount;
  if (order.discounted) state.discounted++;
  state.firstOrder = Number.isNaN(state.firstOrder) ? order.at : Math.min(state.firstOrder, order.at);
  state.lastOrder = Number.isNaN(state.lastOrder) ? order.at : Math.max(state.lastOrder, order.at);
  if (order.at >= keepFrom) state.recentOrders.push(order.at);
  for (const category of order.categories) state.categories.add(category);
  state.orderHours[utcHour(order.at)]!++;
  seen(state, order.at);
  return true;
}

function seen(state: FeatureState, at: number): void {
  state.firstSeen = Number.isNaN(state.firstSeen) ? at : Math.min(state.firstSeen, at);
  state.lastSeen = Number.isNaN(state.lastSeen) ? at : Math.max(state.lastSeen, at);
}
