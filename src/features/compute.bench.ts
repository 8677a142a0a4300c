/**
 * Benchmark: computeFeatures on a synthetic store built with SQL range(). Prints the time against a peer in the same
 * run — one plain GROUP BY customer over events (the floor any feature pass pays) — as a ratio. Never gates CI.
 * Sizes: 10M events / 1M customers (`--quick`: 1M / 100k), order lines = events / 10.
 */
import type { Bench, BenchRow } from '../bench/types.js';
import { Store } from '../store/db.js';
import { computeFeatures } from './compute.js';

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, (performance.now() - start) / 1000];
}

async function measure(events: number, customers: number, lines: number): Promise<BenchRow> {
  const store = await Store.open(':memory:');
  try {
    const [, load] = await timed(async () => {
      // 1 in 10 events is anonymous-only (resolved through identities); 1 in 5 is a page view; sessions of 8 events.
      await store.run(`INSERT INTO events (message_id, type, event, user_id, anonymous_id, ts, session_id, dwell_seconds, import_id)
        SELECT 'm' || i, CASE WHEN i % 5 = 0 THEN 'page' ELSE 'track' END,
               CASE WHEN i % 5 = 0 THEN NULL ELSE ['Product Viewed', 'Product Added', 'Order Completed', 'Email Delivered',
                 'Email Opened', 'Email Link Clicked', 'Product Viewed'][1 + i % 7] END,
               CASE WHEN i % 10 = 3 THEN NULL ELSE 'u' || (i % ${customers}) END, 'a' || (i % ${customers}),
               TIMESTAMP '2024-01-01' + to_seconds((i * 7919) % (365 * 86400)), 's' || (i // 8), (i % 120)::DOUBLE, 'bench'
        FROM range(${events}) t(i)`);
      await store.run(`INSERT INTO identities SELECT 'a' || i, 'u' || i FROM range(${customers}) t(i)`);
      await store.run(`INSERT INTO order_lines (order_id, line_no, customer_id, product_id, category, quantity, unit_price, discount, ordered_at, import_id)
        SELECT CASE WHEN i % 50 = 0 THEN 'C' ELSE 'O' END || (i // 3), i % 3, 'u' || ((i // 3) % ${customers}), 'p' || (i % 997),
               'cat' || (i % 13), 1 + i % 4, 1 + i % 50, CASE WHEN i % 9 = 0 THEN 1 ELSE 0 END,
               TIMESTAMP '2024-01-01' + to_seconds(((i // 3) * 104729) % (365 * 86400)), 'bench'
        FROM range(${lines}) t(i)`);
    });
    const [, peer] = await timed(() => store.run('CREATE OR REPLACE TABLE peer AS SELECT coalesce(user_id, anonymous_id) AS id, count(*) AS n FROM events GROUP BY 1'));
    const [snap, features] = await timed(() => computeFeatures(store, { asOf: new Date('2025-01-01T00:00:00Z') }));
    return {
      name: `computeFeatures, ${events.toLocaleString('en-US')} events / ${customers.toLocaleString('en-US')} customers`,
      oursSeconds: features,
      peerName: 'plain GROUP BY',
      peerSeconds: peer,
      note: `the peer is the floor any per-customer pass pays, not an equal task; load ${load.toFixed(1)} s; ${snap.customers} feature rows`,
    };
  } finally {
    store.close();
  }
}

const bench: Bench = {
  name: 'features',
  async run(ctx) {
    const [events, customers] = ctx.quick ? [1_000_000, 100_000] : [10_000_000, 1_000_000];
    return [await measure(events, customers, Math.round(events / 10))];
  },
};

export default bench;
