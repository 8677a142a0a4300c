/**
 * The SQL behind `feature-load.ts`. Base statistics are aggregated by the very source CTEs the feature snapshot
 * used (`features/sources.ts`), over the facts the snapshot counted: before the as-of and not received after the
 * snapshot was computed. Either for every customer at once (the per-process base table) or for a few customers, by
 * shadowing the fact tables with CTEs that hold only those customers' rows. Tables are qualified with the store's
 * catalog, so a `search_path` changed by other work on the shared connection cannot redirect them.
 *
 * Parameters: `$as_of`, `$created` (TIMESTAMP text), `$customers` (JSON array of customer ids) for the restricted
 * forms, `$until` for the replay before a watermark.
 */
import { SOURCE_CTES, trackCounter } from '../../features/sources.js';

/** The per-process table of base statistics (a TEMP table: this connection only, gone with the process). */
export const BASE_TABLE = 'temp.main.live_kmeans_base';

const TIME = (column: string) => `epoch_us(${column}) / 1000.0`;
const TRACK = (event: string) => `sum(${trackCounter(event)})::BIGINT`;

/** The customers and every id that resolves to them (their aliases, and the ids themselves). */
const KEYS = (home: string) => `ids AS (SELECT DISTINCT unnest(from_json($customers::JSON, '["VARCHAR"]')) AS customer_id),
keys AS (SELECT alias_id AS k FROM ${home}.identities WHERE customer_id IN (SELECT customer_id FROM ids) UNION SELECT customer_id FROM ids)`;

/** The fact tables under their own names: the customers' rows only (orders by id, so an order keeps all of its lines), or all. */
function facts(home: string, restricted: boolean): string {
  const notLate = `ts < $as_of::TIMESTAMP AND NOT coalesce(received_at > $created::TIMESTAMP, false)`;
  if (!restricted) {
    return `order_lines AS (SELECT * FROM ${home}.order_lines), orders AS (SELECT * FROM ${home}.orders),
events AS (SELECT * FROM ${home}.events WHERE ${notLate})`;
  }
  return `${KEYS(home)},
order_keys AS (SELECT order_id FROM ${home}.orders WHERE customer_id IN (SELECT k FROM keys)
  UNION SELECT order_id FROM ${home}.order_lines WHERE customer_id IN (SELECT k FROM keys)),
order_lines AS (SELECT * FROM ${home}.order_lines WHERE order_id IN (SELECT order_id FROM order_keys)),
orders AS (SELECT * FROM ${home}.orders WHERE order_id IN (SELECT order_id FROM order_keys)),
events AS MATERIALIZED (SELECT * FROM ${home}.events WHERE coalesce(user_id, anonymous_id) IN (SELECT k FROM keys) AND ${notLate})`;
}

/** Sufficient statistics at the as-of, one row per customer seen (all customers, or those of `$customers`). */
export function baseSql(home: string, restricted: boolean): string {
  const mine = restricted ? 'WHERE customer_id IN (SELECT customer_id FROM ids) GROUP BY customer_id' : 'GROUP BY customer_id';
  return `WITH ${facts(home, restricted)},
${SOURCE_CTES.join(',\n')},
b_orders AS (SELECT customer_id, list(order_id) AS order_ids, count(*) AS frequency, sum(amount) AS monetary,
    count(*) FILTER (WHERE discounted) AS discounted, min(${TIME('ordered_at')}) AS first_order, max(${TIME('ordered_at')}) AS last_order,
    list(${TIME('ordered_at')}) FILTER (WHERE ordered_at >= $as_of::TIMESTAMP - INTERVAL 180 DAY) AS recent_orders
  FROM src_orders ${mine}),
b_lines AS (SELECT customer_id, list(DISTINCT category) FILTER (WHERE category IS NOT NULL) AS categories FROM src_lines ${mine}),
b_seen AS (SELECT customer_id, min(${TIME('first_ts')}) AS first_seen, max(${TIME('last_ts')}) AS last_seen FROM src_seen ${mine}),
b_hours AS (SELECT customer_id, list({'o': from_orders, 'h': hour::INTEGER, 'n': n::INTEGER}) AS hours FROM src_hours ${mine}),
b_behaviour AS (SELECT customer_id, sum(behaviour)::BIGINT AS behaviour, sum(page_views)::BIGINT AS page_views,
    sum(page_dwell_sum) AS dwell_sum, sum(page_dwell_count)::BIGINT AS dwell_count,
    ${TRACK('Product Viewed')} AS viewed, ${TRACK('Product Added')} AS added, ${TRACK('Email Delivered')} AS delivered,
    ${TRACK('Email Opened')} AS opened, ${TRACK('Email Link Clicked')} AS clicked
  FROM src_behaviour ${mine}),
b_sessions AS (SELECT customer_id, list({'id': session_id, 'a': coalesce(added, false), 'c': coalesce(completed, false)}) AS sessions FROM src_sessions ${mine})
SELECT * FROM b_seen LEFT JOIN b_orders USING (customer_id) LEFT JOIN b_lines USING (customer_id) LEFT JOIN b_hours USING (customer_id)
  LEFT JOIN b_behaviour USING (customer_id) LEFT JOIN b_sessions USING (customer_id)
ORDER BY customer_id`;
}

const REPLAY_COLUMNS = `e.message_id, e.type, e.event, ${TIME('e.ts')} AS ts, e.session_id, e.dwell_seconds, e.order_id, e.revenue, e.discount,
  CASE WHEN e.type = 'track' AND e.event = 'Order Completed' THEN e.properties::VARCHAR END AS properties,
  coalesce(i.customer_id, e.user_id) AS event_customer, coalesce(i.customer_id, e.user_id, e.anonymous_id) AS order_customer`;

/**
 * Events stored after the run whose id resolves to one of `$customers`, oldest first. With `beforeWatermark`, only
 * those received before `$until` (or imported): two range conditions, each of which DuckDB answers from its zone
 * maps without reading the rows of later commits.
 */
export function replaySql(home: string, beforeWatermark: boolean): string {
  const from = (where: string) => `SELECT ${REPLAY_COLUMNS}
FROM ${home}.events e LEFT JOIN key_customers i ON i.alias_id = coalesce(e.user_id, e.anonymous_id)
WHERE coalesce(e.user_id, e.anonymous_id) IN (SELECT k FROM keys) AND ${where}`;
  const body = beforeWatermark
    ? `${from('e.received_at > $created::TIMESTAMP AND e.received_at < $until::TIMESTAMP')}
UNION ALL ${from('e.ts >= $as_of::TIMESTAMP AND (e.received_at IS NULL OR e.received_at <= $created::TIMESTAMP)')}`
    : from('(e.ts >= $as_of::TIMESTAMP OR e.received_at > $created::TIMESTAMP)');
  // The rows kept name a key, so only the keys' identities can match: the join reads those (a key lookup), not all of
  // `identities` (its hash table over 286,877 ids took most of a replay's ~90 ms at 100,000 customers).
  return `WITH ${KEYS(home)},
key_customers AS (SELECT alias_id, customer_id FROM ${home}.identities WHERE alias_id IN (SELECT k FROM keys))
${body}\nORDER BY ts, message_id`;
}
