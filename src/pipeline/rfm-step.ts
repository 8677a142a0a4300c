/**
 * RFM step of a run: reads recency, frequency and monetary of every customer from `customer_features` (as
 * typed columns), scores them (quintiles, 125-code lookup) and returns the scores by customer id.
 * Customers without a purchase get no RFM score.
 */
import { scoreRfm, type RfmWeights } from '../segments/rfm/index.js';
import type { Store } from '../store/db.js';

export interface CustomerRfm {
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly code: string;
  readonly segment: string;
}

export async function scoreCustomersRfm(store: Store, weights?: RfmWeights): Promise<{ byCustomer: Map<string, CustomerRfm>; scored: number }> {
  const read = await store.readMatrix(`SELECT customer_id, recency_days, frequency, monetary FROM customer_features ORDER BY customer_id`);
  const n = read.rows;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    recency[i] = read.values[i * 3]!;
    frequency[i] = read.values[i * 3 + 1]!;
    monetary[i] = read.values[i * 3 + 2]!;
  }
  const scores = scoreRfm(recency, frequency, monetary, weights ? { weights } : {});
  const byCustomer = new Map<string, CustomerRfm>();
  for (let i = 0; i < n; i++) {
    const s = scores.segment[i]!;
    if (s < 0) continue;
    byCustomer.set(read.ids[i]!, { r: scores.r[i]!, f: scores.f[i]!, m: scores.m[i]!, code: String(scores.codes[i]), segment: scores.segmentNames[s]! });
  }
  return { byCustomer, scored: scores.scored };
}
