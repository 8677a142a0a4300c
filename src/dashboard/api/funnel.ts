/** The checkout funnel: sessions that reached each step after the previous ones, and the drop-off between steps. */
import type { Store } from '../../store/db.js';
import { finiteOr, ratio } from './numbers.js';
import { sampleParams, type SessionSample } from './session-sample.js';
import type { FunnelStep } from './types.js';

export const FUNNEL_STEPS = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'] as const;

/**
 * Per session: t1 = first Product Viewed, t2 = first Product Added at or after t1, t3 = first Checkout Started at
 * or after t2, t4 = first Order Completed at or after t3 (the earliest such chain exists whenever any ordered chain
 * does); a session reaches step k when t_k exists.
 */
const FUNNEL_SQL = (predicate: string) => `
WITH s AS (
  SELECT session_id, event, ts FROM events
  WHERE session_id IS NOT NULL AND type = 'track' AND event IN ('Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed') AND ${predicate}
),
per AS (
  SELECT min(ts) FILTER (WHERE event = 'Product Viewed') AS t1,
         list(ts) FILTER (WHERE event = 'Product Added') AS l2,
         list(ts) FILTER (WHERE event = 'Checkout Started') AS l3,
         list(ts) FILTER (WHERE event = 'Order Completed') AS l4
  FROM s GROUP BY session_id
),
s2 AS (SELECT t1, list_min(list_filter(l2, lambda x: x >= t1)) AS t2, l3, l4 FROM per),
s3 AS (SELECT t1, t2, list_min(list_filter(l3, lambda x: x >= t2)) AS t3, l4 FROM s2)
SELECT count(t1) AS n1, count(t2) AS n2, count(t3) AS n3, count(list_min(list_filter(l4, lambda x: x >= t3))) AS n4 FROM s3`;

/** The funnel over the sampled sessions. Cost: one scan of events and one aggregation per sampled session. */
export async function checkoutFunnel(store: Store, sample: SessionSample): Promise<FunnelStep[]> {
  const row = (await store.rows<Record<string, unknown>>(FUNNEL_SQL(sample.predicate), sampleParams(sample)))[0] ?? {};
  const counts = [row.n1, row.n2, row.n3, row.n4].map((v) => finiteOr(v));
  return FUNNEL_STEPS.map((step, i) => ({
    step,
    sessions: counts[i]!,
    shareOfFirst: ratio(counts[i]!, counts[0]!),
    dropOff: i === 0 ? null : counts[i - 1]! > 0 ? 1 - counts[i]! / counts[i - 1]! : null,
  }));
}
