/**
 * `Order Completed` events → `orders` (source 'events') and `order_lines` from `properties.products[]`, so that
 * importing a shop's events file or its orders file first gives the same orders: an order id already stored
 * (from either source) is counted and not written again. Products seen in any track event are upserted.
 */
import { quoteLiteral, type Store } from '../db.js';
import { upsertProducts } from './orders.js';
import { dropTemp } from './source.js';

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
 */
export async function writeEventOrders(store: Store, importId: string): Promise<EventOrdersWritten> {
  const completed = `FROM events k WHERE k.import_id = $1 AND k.type = 'track' AND k.event = 'Order Completed'`;
  const total = Number(await store.scalar(`SELECT count(*) ${completed}`, [importId]));
  // The new orders are picked on narrow columns first; the JSON of their events is read only for them (on a
  // shop whose orders file was imported first, none).
  await store.run(`CREATE OR REPLACE TEMP TABLE ${ORDERS} AS
    WITH new_orders AS (
      SELECT k.message_id ${completed} AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = k.order_id)
      QUALIFY row_number() OVER (PARTITION BY k.order_id ORDER BY k.ts, k.message_id) = 1)
    SELECT k.message_id, k.order_id, k.ts AS ordered_at,
      coalesce(k.user_id, (SELECT i.customer_id FROM identities i WHERE i.alias_id = k.anonymous_id), k.anonymous_id) AS customer_id,
      (k.context ->> '$.location.country') AS country,
      coalesce(k.discount, 0) AS order_discount,
      k.revenue AS stated_revenue,
      coalesce(json_extract(k.properties, '$.products[*]'), []::JSON[]) AS products
    ${completed} AND k.message_id IN (SELECT message_id FROM new_orders)`, [importId]);
  try {
    await store.run(`CREATE OR REPLACE TEMP TABLE ${LINES} AS
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
      FROM ${LINES} ORDER BY ordered_at, seq`, [importId]);
    const orders = await store.run(`INSERT INTO orders
      SELECT o.order_id, o.customer_id, o.ordered_at, 'purchase',
        CASE WHEN len(o.products) > 0 THEN l.revenue ELSE o.stated_revenue END,
        CASE WHEN len(o.products) > 0 THEN l.discount ELSE o.order_discount END, o.country, 'events', $1
      FROM ${ORDERS} o LEFT JOIN (SELECT order_id, sum(quantity * unit_price - discount) AS revenue, sum(discount) AS discount
                                 FROM ${LINES} GROUP BY order_id) l USING (order_id)
      ORDER BY o.ordered_at, o.message_id`, [importId]);
    await store.run(`CREATE OR REPLACE TEMP VIEW import_event_products AS
      SELECT product_id, description, category, unit_price, ordered_at, seq FROM ${LINES}
      UNION ALL
      -- Rows with the same product, name, category and price collapse to their latest (the same arg_max result
      -- from a few thousand rows instead of millions).
      SELECT product_id, description, category, unit_price, latest.t, latest.s FROM (
        SELECT product_id, product_name AS description, category,
          price AS unit_price, max({'t': ts, 's': {'m': hash(message_id), 'l': 0}}) AS latest
        FROM events WHERE import_id = ${quoteLiteral(importId)} AND type = 'track' AND product_id IS NOT NULL
        GROUP BY ALL)`);
    const products = await upsertProducts(store, 'import_event_products');
    await store.run(`INSERT INTO customers (customer_id, first_seen, last_seen, country)
      SELECT customer_id, min(ordered_at), max(ordered_at), arg_max(country, ordered_at) FILTER (WHERE country IS NOT NULL)
      FROM ${ORDERS} WHERE customer_id IS NOT NULL GROUP BY customer_id
      ON CONFLICT (customer_id) DO UPDATE SET first_seen = least(customers.first_seen, excluded.first_seen),
        last_seen = greatest(customers.last_seen, excluded.last_seen), country = coalesce(customers.country, excluded.country)`);
    return { orders, lines, products, alreadyStored: total - orders };
  } finally {
    await dropTemp(store, ORDERS, LINES, 'import_event_products');
  }
}
