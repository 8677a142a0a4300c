/**
 * `Order Completed` events → `orders` (source 'events') and `order_lines` from `properties.products[]`, so that
 * importing a shop's events file or its orders file first gives the same orders: an order id already stored
 * (from either source) is counted and not written again. Products seen in any track event are upserted.
 */
import { quoteLiteral, type SqlParams, type Store } from '../db.js';
import { upsertProducts, upsertProductsSql } from './orders.js';

const CANDIDATES = 'import_event_order_candidates';
const ORDERS = 'import_event_orders';
const LINES = 'import_event_order_lines';

export interface EventOrdersWritten {
  readonly orders: number;
  readonly lines: number;
  readonly products: number;
  /** `Order Completed` events whose order id was already stored (or repeated in the file): not written again. */
  readonly alreadyStored: number;
}

/**
 * Writes the orders of the `Order Completed` events of import `importId` (the rows just written to `events`; of
 * several with one order id, the earliest, ties broken by messageId). Products take the latest name, category
 * and price; ties in time are broken by a hash of the messageId, so the result does not depend on row order.
 * Customer: the event's userId, else the resolved customer of its anonymousId. Lines: `product_id`, `name`,
 * `category`, `price`, `quantity` (default 1), `discount` of each product; when no product carries a discount, the order's
 * `properties.discount` is put on line 1, so revenue = Σ(quantity × price − discount) for the order and its
 * lines alike. An order without products has no lines and takes `properties.revenue` (else `total`).
 *
 * Cost: a fixed number of set-based statements, whatever the import's size: 8 calls (10 statements) when it has
 * new orders, 4 when all its orders are stored, 3 when it holds no `Order Completed` (the server's browsing), plus
 * work linear in the import's events. The stored-order check reads `orders` by key, so a server commit's step does
 * not grow with `orders`. Measured on 2 loaded cores over 2 million events and 200,000 orders, a transaction of 100
 * events (insert, step, commit): with 10 orders ~40–60 ms against ~70–120 ms with the previous 14 statements;
 * with browsing only ~15–20 ms against ~60–85 ms.
 */
export async function writeEventOrders(store: Store, importId: string): Promise<EventOrdersWritten> {
  const completed = completedFrom('$1');
  const params = [importId];
  const created: string[] = [];
  try {
    // Every `Order Completed` event on narrow columns; the row count is the number of such events (no count query).
    const completedEvents = await createTemp(store, created, CANDIDATES, `SELECT k.message_id, k.order_id, k.ts, CASE WHEN k.user_id IS NULL THEN k.anonymous_id END AS anonymous_buyer ${completed}`, params);
    // The new orders: the candidates whose order id is not stored, the earliest event of each; the JSON of their
    // events is read only for them (on a shop whose orders file was imported first, none). The stored ids come from
    // a semi join of `orders` with the candidates: DuckDB builds its hash table on the candidates and pushes their ids
    // into the `orders` scan, a key index lookup for a server commit's few ids. Written as `NOT EXISTS` on `orders`,
    // it reads the whole of `orders` per commit instead (over the events, whose uncommitted rows DuckDB takes for
    // many, it builds on `orders`; over the candidates, it probes `orders` without pushing the ids): measured ~35 ms
    // against ~2 ms per server commit with 200,000 orders stored (DuckDB 1.5).
    // The anonymous buyers' customers, from the identities of those ids only: a semi join with the candidates, whose
    // size DuckDB knows, builds on them and pushes their ids into the scan of \`identities\`. A lookup per event built
    // a hash table of every id instead (at 286,877 ids, 40-80 ms of a server commit's order step).
    const buyers = `LEFT JOIN (SELECT alias_id, customer_id FROM identities SEMI JOIN ${CANDIDATES} b ON alias_id = b.anonymous_buyer) i
      ON i.alias_id = k.anonymous_id`;
    const orders = completedEvents === 0 ? 0 : await createTemp(store, created, ORDERS, `
      SELECT k.message_id, k.order_id, k.ts AS ordered_at,
        coalesce(k.user_id, i.customer_id, k.anonymous_id) AS customer_id,
        (k.context ->> '$.location.country') AS country,
        coalesce(k.discount, 0) AS order_discount,
        k.revenue AS stated_revenue,
        coalesce(json_extract(k.properties, '$.products[*]'), []::JSON[]) AS products
      ${completedFrom('$1', buyers)} AND k.message_id IN (
        SELECT c.message_id FROM ${CANDIDATES} c
        ANTI JOIN (SELECT order_id FROM orders SEMI JOIN ${CANDIDATES} USING (order_id)) stored USING (order_id)
        QUALIFY row_number() OVER (PARTITION BY c.order_id ORDER BY c.ts, c.message_id) = 1)`, params);
    if (orders === 0) {
      const products = await upsertProducts(store, productSource(false), params);
      return { orders: 0, lines: 0, products, alreadyStored: completedEvents };
    }
    await createTemp(store, created, LINES, `
      WITH unnested AS (
        SELECT o.*, unnest(products) AS p, generate_subscripts(products, 1) AS line_no FROM ${ORDERS} o),
      typed AS (
        SELECT order_id, line_no::INTEGER AS line_no, {'m': hash(message_id), 'l': line_no::INTEGER} AS seq, customer_id, country, ordered_at, order_discount,
          (p ->> '$.product_id') AS product_id, (p ->> '$.name') AS description, (p ->> '$.category') AS category,
          coalesce(try_cast(p ->> '$.quantity' AS DOUBLE), 1) AS quantity, try_cast(p ->> '$.price' AS DOUBLE) AS unit_price,
          try_cast(p ->> '$.discount' AS DOUBLE) AS line_discount
        FROM unnested)
      SELECT *, CASE WHEN bool_or(line_discount IS NOT NULL) OVER (PARTITION BY order_id) THEN coalesce(line_discount, 0)
                     WHEN line_no = 1 THEN order_discount ELSE 0 END AS discount
      FROM typed`);
    const lines = await store.run(`INSERT INTO order_lines
      SELECT order_id, line_no, customer_id, product_id, description, category, quantity, unit_price, discount, ordered_at, country, $1
      FROM ${LINES} ORDER BY ordered_at, seq`, params);
    await store.run(`INSERT INTO orders
      SELECT o.order_id, o.customer_id, o.ordered_at, 'purchase',
        CASE WHEN len(o.products) > 0 THEN l.revenue ELSE o.stated_revenue END,
        CASE WHEN len(o.products) > 0 THEN l.discount ELSE o.order_discount END, o.country, 'events', $1
      FROM ${ORDERS} o LEFT JOIN (SELECT order_id, sum(quantity * unit_price - discount) AS revenue, sum(discount) AS discount
                                 FROM ${LINES} GROUP BY order_id) l USING (order_id)
      ORDER BY o.ordered_at, o.message_id`, params);
    const products = await upsertProducts(store, productSource(true), params);
    await store.run(`INSERT INTO customers (customer_id, first_seen, last_seen, country)
      SELECT customer_id, min(ordered_at), max(ordered_at), arg_max(country, ordered_at) FILTER (WHERE country IS NOT NULL)
      FROM ${ORDERS} WHERE customer_id IS NOT NULL GROUP BY customer_id
      ON CONFLICT (customer_id) DO UPDATE SET first_seen = least(customers.first_seen, excluded.first_seen),
        last_seen = greatest(customers.last_seen, excluded.last_seen), country = coalesce(customers.country, excluded.country)`);
    return { orders, lines, products, alreadyStored: completedEvents - orders };
  } finally {
    // One call for all; the names are ours and only tables. After a failure the transaction is aborted and its
    // rollback removes them anyway, so an error here must not hide the original one.
    if (created.length > 0) await store.run(created.map((name) => `DROP TABLE IF EXISTS ${name}`).join('; ')).catch(() => undefined);
  }
}

/**
 * Creates (or replaces) temp table `name` as the result of `select`, records it in `created` and returns its row
 * count (DuckDB answers `CREATE TABLE … AS` with one `Count` row).
 */
async function createTemp(store: Store, created: string[], name: string, select: string, params?: SqlParams): Promise<number> {
  const count = await store.scalar(`CREATE OR REPLACE TEMP TABLE ${name} AS ${select}`, params);
  created.push(name);
  return Number(count ?? 0);
}

/**
 * `writeEventOrders` for an import known to hold browsing only (the server's pending order step), as literal
 * statements for one script: the products its track events name are upserted, and a statement fails the script if
 * the import holds an `Order Completed` after all (the caller then runs `writeEventOrders`). Same products as
 * `writeEventOrders` writes for such an import.
 */
export function browsingProductsSql(importId: string): string[] {
  const id = quoteLiteral(importId);
  return [
    `SELECT CASE WHEN EXISTS (SELECT 1 ${completedFrom(id)}) THEN error(${quoteLiteral(`${BROWSING_ONLY_BROKEN}: ${importId}`)}) END`,
    upsertProductsSql(productSource(false, id)),
  ];
}

/** The import's `Order Completed` events as `k` (`id`: the import id's SQL). */
function completedFrom(id: string, join = ''): string {
  return `FROM events k ${join} WHERE k.import_id = ${id} AND k.type = 'track' AND k.event = 'Order Completed'`;
}

/** The message of the error `browsingProductsSql` raises when its import holds an order. */
export const BROWSING_ONLY_BROKEN = 'the import holds an Order Completed';

/**
 * The rows `upsertProducts` reads (`id`: the import id's SQL, `$1` by default): the lines of the new orders, when
 * there are any, and the products named by the import's track events. Event rows with the same product, name,
 * category and price collapse to their latest (the same `arg_max` result from a few thousand rows instead of millions).
 */
function productSource(withLines: boolean, id = '$1'): string {
  const fromEvents = `SELECT product_id, description, category, unit_price, latest.t AS ordered_at, latest.s AS seq FROM (
      SELECT product_id, product_name AS description, category, price AS unit_price,
        max({'t': ts, 's': {'m': hash(message_id), 'l': 0}}) AS latest
      FROM events WHERE import_id = ${id} AND type = 'track' AND product_id IS NOT NULL
      GROUP BY ALL)`;
  if (!withLines) return `(${fromEvents})`;
  return `(SELECT product_id, description, category, unit_price, ordered_at, seq FROM ${LINES} UNION ALL ${fromEvents})`;
}
