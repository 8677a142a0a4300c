/**
 * A synthetic store for prediction tests, built in SQL: 400 customers whose orders come every `gap` days
 * (200, 90, 45 or 20 by customer), jittered ±5 days, each order kept with probability 0.8 (a seeded hash), and every
 * fifth customer lapsing after 2023-12-01. Buying in a window therefore depends on frequency and recency, with noise.
 */
import type { Store } from '../../store/db.js';

export const FIXTURE_AS_OF = new Date('2024-07-01T00:00:00Z');
export const FIXTURE_CUSTOMERS = 400;

export async function buildPredictFixture(store: Store): Promise<number> {
  return store.run(`INSERT INTO orders
    WITH cust AS (
      SELECT range AS c, [200, 90, 45, 20][1 + range % 4] AS gap, (hash(range) % 60)::INTEGER AS offs FROM range(${FIXTURE_CUSTOMERS})
    ), planned AS (
      SELECT c, k, TIMESTAMP '2023-01-01' + to_days((offs + k * gap + (hash(c, k) % 11)::INTEGER - 5)::INTEGER) + to_hours(10) AS ts
      FROM cust, range(0, 40) r(k)
    )
    SELECT 'o-' || c || '-' || k, 'c' || lpad(c::VARCHAR, 4, '0'), ts, 'purchase', 20 + (c % 7) * 5, 0, NULL, 'orders', 'synthetic'
    FROM planned
    WHERE ts < TIMESTAMP '2024-07-01' AND hash(c, k, 1) % 10 < 8 AND NOT (c % 5 = 0 AND ts >= TIMESTAMP '2023-12-01')`);
}
