/**
 * The facts every feature and cleaning rule reads, as SQL CTEs. Each source has rows with a resolved `customer_id`:
 * one per fact for orders and lines, one per (id, session, UTC hour) digest of events for the event sources (see
 * EVENT_COUNTERS); all of them count only facts strictly before the as-of time, bound once as `$as_of`.
 *
 * Identity: an id (userId, else anonymousId) is resolved through `identities(alias_id → customer_id)`. An event with a
 * userId and no identities row belongs to that userId; an event with only an anonymousId that `identities` does not
 * know belongs to nobody (an anonymous visitor is not a customer). Order lines and orders resolve their customer_id the
 * same way.
 */

/** The bound as-of instant, as SQL. Every definition refers to it through this text. */
export const AS_OF = '$as_of::TIMESTAMP';

/** Where a feature's rows come from: the CTE `src_<source>` it aggregates over, grouped by customer. */
export type FeatureSource = 'orders' | 'lines' | 'behaviour' | 'sessions' | 'seen' | 'hours';

/** The tests a line passes on its own (`l`): the kept-line rule below without its order's kind. */
const KEPT_LINE_OWN = `l.customer_id IS NOT NULL AND l.quantity > 0 AND l.unit_price > 0 AND NOT starts_with(l.order_id, 'C')`;

/**
 * A line is a kept purchase line when it has a customer, a positive quantity and a positive unit price, and its order
 * is not a cancellation (invoice number starting with `C`, or `orders.kind = 'cancellation'`). `l` is `order_lines`,
 * `o` is the left-joined `orders` row.
 */
export const KEPT_LINE_PREDICATE = `${KEPT_LINE_OWN} AND coalesce(o.kind, 'purchase') <> 'cancellation'`;

/**
 * The kept purchase lines of `KEPT_LINES_CTE` with only what totals need (customer, order, amount), as
 * `src_line_amounts`. It joins the identities and only the cancellation orders, not every order and product: at 1M
 * customers the join with all 8M orders held ~300 MB of hash table, and the quality totals' distinct counts beside
 * it ran out of the report's 512 MiB limit.
 */
export const KEPT_LINE_AMOUNTS_CTE = `src_line_amounts AS (
  SELECT coalesce(i.customer_id, l.customer_id) AS customer_id, l.order_id, l.quantity * l.unit_price - l.discount AS amount
  FROM order_lines l
  LEFT JOIN identities i ON i.alias_id = l.customer_id
  WHERE ${KEPT_LINE_OWN}
    AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = l.order_id AND o.kind = 'cancellation')
    AND l.ordered_at < ${AS_OF}
)`;

/** Kept purchase lines before as-of, customer resolved, category falling back to the product's. */
export const KEPT_LINES_CTE = `src_lines AS (
  SELECT coalesce(i.customer_id, l.customer_id) AS customer_id, l.order_id, l.ordered_at, l.quantity, l.unit_price,
         l.discount, coalesce(l.category, p.category) AS category, o.discount AS order_discount
  FROM order_lines l
  LEFT JOIN orders o ON o.order_id = l.order_id
  LEFT JOIN identities i ON i.alias_id = l.customer_id
  LEFT JOIN products p ON p.product_id = l.product_id
  WHERE ${KEPT_LINE_PREDICATE} AND l.ordered_at < ${AS_OF}
)`;

/** Purchase orders before as-of that have no lines (`o`, with the identities row `i` of its customer). */
const LINELESS_ORDERS_FROM = `FROM orders o
  ANTI JOIN order_lines ol ON ol.order_id = o.order_id
  LEFT JOIN identities i ON i.alias_id = o.customer_id
  WHERE o.kind = 'purchase' AND o.customer_id IS NOT NULL AND NOT starts_with(o.order_id, 'C')
    AND o.revenue > 0 AND o.ordered_at < ${AS_OF}`;

/**
 * Purchase orders before as-of, one row each: orders built from kept lines (amount = Σ quantity × unit_price − line
 * discount), plus purchase orders that have no lines at all (amount = revenue − discount, e.g. orders recorded from
 * `Order Completed` events).
 */
export const ORDERS_CTE = `src_orders AS (
  SELECT customer_id, order_id, min(ordered_at) AS ordered_at, sum(quantity * unit_price - discount) AS amount,
         bool_or(discount > 0 OR coalesce(order_discount, 0) > 0) AS discounted
  FROM src_lines GROUP BY customer_id, order_id
  UNION ALL
  SELECT coalesce(i.customer_id, o.customer_id), o.order_id, o.ordered_at, o.revenue - coalesce(o.discount, 0),
         coalesce(o.discount, 0) > 0
  ${LINELESS_ORDERS_FROM}
)`;

/**
 * Each customer's `monetary` as the features define it (Σ amount of `src_orders`), as `src_monetary`, from
 * `KEPT_LINE_AMOUNTS_CTE` without building the orders first: for totals and fences over every customer under a
 * low memory limit (the quality report's outlier rule at 1M customers).
 */
export const MONETARY_CTE = `${KEPT_LINE_AMOUNTS_CTE},
src_monetary AS (
  SELECT customer_id, sum(amount) AS monetary FROM (
    SELECT customer_id, amount FROM src_line_amounts
    UNION ALL
    SELECT coalesce(i.customer_id, o.customer_id), o.revenue - coalesce(o.discount, 0)
    ${LINELESS_ORDERS_FROM}
  ) GROUP BY customer_id
)`;

/**
 * What the event sources count per (id, session, UTC hour): one aggregate over raw `events` rows each. Events are
 * digested to these counts BEFORE the identity join and everything downstream sums them, so a statement reads and
 * resolves ~1.5 rows per visit instead of every event (at 1M customers: ~18M rows instead of 109M, which no longer
 * spill through a materialised 109M-row CTE). A behaviour feature that needs a new count adds one entry here.
 */
export const EVENT_COUNTERS: readonly { readonly column: string; readonly sql: string }[] = [
  { column: 'events', sql: 'count(*)' },
  { column: 'behaviour', sql: "count(*) FILTER (WHERE type IN ('page', 'track'))" },
  { column: 'page_views', sql: "count(*) FILTER (WHERE type = 'page')" },
  { column: 'page_dwell_sum', sql: "sum(dwell_seconds) FILTER (WHERE type = 'page')" },
  { column: 'page_dwell_count', sql: "count(dwell_seconds) FILTER (WHERE type = 'page')" },
  ...['Product Viewed', 'Product Added', 'Order Completed', 'Email Delivered', 'Email Opened', 'Email Link Clicked'].map((event) => ({
    column: trackCounter(event),
    sql: `count(*) FILTER (WHERE type = 'track' AND event = '${event}')`,
  })),
];

/** The digest column counting track events named `event`: 'Product Viewed' → `n_product_viewed`. */
export function trackCounter(event: string): string {
  return `n_${event.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

/**
 * Events before as-of, digested per raw id (userId, else anonymousId), session and UTC hour: first and last time,
 * and the counters above. `has_user` keeps the identity rule exact (a userId without an identities row is its own
 * customer; an unknown anonymousId is nobody).
 */
const EVENT_DIGEST_CTE = `src_event_digest AS (
  SELECT coalesce(user_id, anonymous_id) AS id, user_id IS NOT NULL AS has_user, session_id, hour(ts)::BIGINT AS hour,
         min(ts) AS first_ts, max(ts) AS last_ts${EVENT_COUNTERS.map((c) => `,\n         ${c.sql} AS ${c.column}`).join('')}
  FROM events WHERE ts < ${AS_OF} GROUP BY ALL
)`;

/**
 * Every identified event before as-of (any type), as digest rows (one per id, session and hour) with their resolved
 * customer. Features sum the counters: `sum(page_views)`, not `count(*)`.
 */
const EVENTS_CTE = `src_events AS (
  SELECT coalesce(i.customer_id, CASE WHEN d.has_user THEN d.id END) AS customer_id, d.* EXCLUDE (id, has_user)
  FROM src_event_digest d
  LEFT JOIN identities i ON i.alias_id = d.id
  WHERE coalesce(i.customer_id, CASE WHEN d.has_user THEN d.id END) IS NOT NULL
)`;

/** Digest rows holding behaviour (page and track events). A customer with none has every behaviour feature null. */
const BEHAVIOUR_CTE = `src_behaviour AS (
  SELECT * FROM src_events WHERE behaviour > 0
)`;

/**
 * One row per visit (behaviour sharing a session_id): whether a product was added and whether an order completed in
 * it. An anonymous and an identified id of one customer that share a session_id are one visit.
 */
const SESSIONS_CTE = `src_sessions AS (
  SELECT customer_id, session_id, bool_or(${trackCounter('Product Added')} > 0) AS added, bool_or(${trackCounter('Order Completed')} > 0) AS completed
  FROM src_behaviour WHERE session_id IS NOT NULL GROUP BY customer_id, session_id
)`;

/**
 * Every stretch in which a customer was seen: digest rows of identified events and purchase orders, each with its
 * first and last time (an order's are its time). Its customers are the universe.
 */
const SEEN_CTE = `src_seen AS (
  SELECT customer_id, first_ts, last_ts FROM src_events UNION ALL SELECT customer_id, ordered_at, ordered_at FROM src_orders
)`;

/** Orders and identified events counted per customer and UTC hour of the day (`from_orders` tells them apart). */
const HOURS_CTE = `src_hours AS (
  SELECT customer_id, from_orders, hour, sum(n)::BIGINT AS n FROM (
    SELECT customer_id, true AS from_orders, hour(ordered_at)::BIGINT AS hour, 1 AS n FROM src_orders
    UNION ALL SELECT customer_id, false, hour, events FROM src_events
  ) GROUP BY ALL
)`;

/** All source CTEs in dependency order (DuckDB skips the ones a statement never references). */
export const SOURCE_CTES: readonly string[] = [
  KEPT_LINES_CTE, ORDERS_CTE, EVENT_DIGEST_CTE, EVENTS_CTE, BEHAVIOUR_CTE, SESSIONS_CTE, SEEN_CTE, HOURS_CTE,
];

/** Formats an as-of Date as the bound parameter value (UTC, `YYYY-MM-DD HH:MM:SS.mmm`). */
export function asOfParam(asOf: Date): string {
  return asOf.toISOString().replace('T', ' ').replace('Z', '');
}
