/**
 * A hand-written scenario shared by the feature and cleaning tests: four customers, one anonymous visitor, and every
 * kind of line the cleaning rules count. Expected values are worked out by hand next to each test.
 */
import type { Store } from '../store/db.js';

export const SCENARIO_AS_OF = new Date('2024-03-01T00:00:00Z');

type Ev = [id: string, type: string, event: string | null, user: string | null, anon: string | null, ts: string, session: string | null, dwell: number | null];
type Line = [order: string, line: number, customer: string | null, product: string, category: string | null, qty: number, price: number, discount: number, ts: string];

const EVENTS: Ev[] = [
  // alice: browsed anonymously first, then identified (anon_a → u_alice in identities)
  ['m1', 'page', null, null, 'anon_a', '2023-09-15 08:00:00', 's1', 30],
  ['m2', 'page', null, 'u_alice', 'anon_a', '2024-02-20 10:00:00', 's2', 60],
  ['m3', 'track', 'Product Viewed', 'u_alice', null, '2024-02-20 10:01:00', 's2', null],
  ['m4', 'track', 'Product Viewed', 'u_alice', null, '2024-02-20 10:02:00', 's2', null],
  ['m5', 'track', 'Product Added', 'u_alice', null, '2024-02-20 10:03:00', 's2', null],
  ['m6', 'track', 'Order Completed', 'u_alice', null, '2024-02-20 10:15:00', 's2', null],
  ['m7', 'track', 'Product Viewed', 'u_alice', null, '2024-02-25 18:00:00', 's3', null],
  ['m8', 'track', 'Product Added', 'u_alice', null, '2024-02-25 18:01:00', 's3', null],
  ['m9', 'track', 'Email Delivered', 'u_alice', null, '2024-02-01 07:00:00', null, null],
  ['m10', 'track', 'Email Delivered', 'u_alice', null, '2024-02-08 07:00:00', null, null],
  ['m11', 'track', 'Email Opened', 'u_alice', null, '2024-02-08 09:00:00', null, null],
  ['m12', 'track', 'Email Link Clicked', 'u_alice', null, '2024-02-08 09:01:00', null, null],
  // carol: events only, no purchase; a page view without dwell time
  ['m13', 'page', null, 'u_carol', null, '2024-02-10 09:00:00', 's9', null],
  ['m14', 'track', 'Email Delivered', 'u_carol', null, '2024-02-11 09:30:00', null, null],
  // an anonymous visitor never identified: not a customer
  ['m15', 'page', null, null, 'anon_z', '2024-02-12 12:00:00', 's7', 10],
  // after as-of: ignored
  ['m16', 'page', null, 'u_carol', null, '2024-03-01 00:00:00', 's10', 99],
];

const LINES: Line[] = [
  ['O1', 1, 'u_alice', 'p1', 'toys', 2, 10, 0, '2024-02-20 10:15:00'],
  ['O1', 2, 'u_alice', 'p2', null, 1, 5, 0, '2024-02-20 10:15:00'], // category from products: books
  ['O1', 3, 'u_alice', 'p4', 'toys', 1, 0, 0, '2024-02-20 10:15:00'], // free line: non-positive price
  ['O2', 1, 'u_alice', 'p3', null, 1, 20, 2, '2024-01-10 10:40:00'], // p3 has no category anywhere
  ['O3', 1, 'u_alice', 'p1', 'toys', 1, 10, 0, '2023-10-01 14:00:00'],
  ['C4', 1, 'u_alice', 'p1', 'toys', -2, 10, 0, '2024-02-21 09:00:00'], // cancellation invoice and a return
  ['X5', 1, 'u_alice', 'p1', 'toys', 1, 100, 0, '2024-02-22 09:00:00'], // orders.kind = cancellation
  ['O6', 1, 'u_alice', 'p1', 'toys', 1, 10, 0, '2024-03-02 09:00:00'], // after as-of
  ['B1', 1, 'u_bob', 'p1', 'toys', 3, 4, 0, '2024-02-29 23:30:00'],
  ['B1', 2, 'u_bob', 'p1', 'toys', 3, 4, 0, '2024-02-29 23:30:00'], // exact duplicate line: kept
  ['N1', 1, null, 'p1', 'toys', 1, 10, 0, '2024-02-15 11:00:00'], // no customer id
  ['D1', 1, 'u_dave', 'p2', null, 1, 0, 0, '2024-02-15 11:00:00'], // dave only has a free line: not a customer
];

export async function loadScenario(store: Store): Promise<void> {
  for (const [id, type, event, user, anon, ts, session, dwell] of EVENTS) {
    await store.run(`INSERT INTO events (message_id, type, event, user_id, anonymous_id, ts, session_id, dwell_seconds, import_id)
      VALUES ($1, $2, $3, $4, $5, $6::TIMESTAMP, $7, $8, 'i-events')`, [id, type, event, user, anon, ts, session, dwell]);
  }
  for (const [order, lineNo, customer, product, category, qty, price, discount, ts] of LINES) {
    await store.run(`INSERT INTO order_lines (order_id, line_no, customer_id, product_id, category, quantity, unit_price, discount, ordered_at, import_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::TIMESTAMP, 'i-orders')`, [order, lineNo, customer, product, category, qty, price, discount, ts]);
  }
  await store.run(`INSERT INTO orders (order_id, customer_id, ordered_at, kind, revenue, discount, source, import_id) VALUES
    ('X5', 'u_alice', '2024-02-22 09:00:00', 'cancellation', 100, 0, 'orders', 'i-orders'),
    ('E1', 'u_erin', '2024-02-01 12:00:00', 'purchase', 50, 5, 'events', 'i-events')`);
  await store.run(`INSERT INTO products VALUES ('p1', 'Bear', 'toys', 10), ('p2', 'Atlas', 'books', 5), ('p3', 'Mystery', NULL, 20)`);
  await store.run(`INSERT INTO identities VALUES ('anon_a', 'u_alice'), ('u_alice', 'u_alice')`);
  await store.run(`INSERT INTO imports VALUES
    ('i-events', 'events', 'events.jsonl', 20, 16, 4, '2024-03-01', '2024-03-01', '{"duplicate_message_id": 3, "exact_duplicate": 1}'),
    ('i-orders', 'orders', 'orders.csv', 12, 12, 0, '2024-03-01', '2024-03-01', '{}')`);
}
