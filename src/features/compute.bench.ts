/**
 * Benchmark: computeFeatures on a synthetic store built with SQL range(). Prints the time against a peer in the same
 * run — one plain GROUP BY customer over events (the floor any feature pass pays) — as a ratio. Never gates CI.
 *   node --import tsx src/features/compute.bench.ts [events=1000000] [customers=100000] [lines=events/10]
 */
import { Store } from '../store/db.js';
import { computeFeatures } from './compute.js';

const events = Number(process.argv[2] ?? 1_000_000);
const customers = Number(process.argv[3] ?? 100_000);
const lines = Number(process.argv[4] ?? Math.round(events / 10));

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, (performance.now() - start) / 1000];
}

async function main(): Promise<void> {
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
    console.log(JSON.stringify({ events, customers, lines, loadSeconds: +load.toFixed(2), peerGroupBySeconds: +peer.toFixed(2),
      computeFeaturesSeconds: +features.toFixed(2), ratioToPeer: +(features / peer).toFixed(1), featureRows: snap.customers }));
  } finally {
    store.close();
  }
}

await main();
