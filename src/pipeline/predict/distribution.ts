/** The distribution of predicted probabilities: deciles, counts per 0.1-wide band, the mean, and the top customers. */
import { sortedQuantile } from '../../features/index.js';

export interface ScoreDistribution {
  readonly customers: number;
  readonly mean: number;
  /** Quantiles at 0, 0.1, …, 1 (type 7, linear interpolation). */
  readonly deciles: readonly number[];
  /** Customers per probability band [0, 0.1), [0.1, 0.2), …, [0.9, 1]. */
  readonly bands: readonly number[];
  /** Highest probability first; ties by customer id. */
  readonly top: readonly { readonly customerId: string; readonly probability: number }[];
}

/** Cost O(n log n) for the sort. */
export function scoreDistribution(ids: readonly string[], probability: Float64Array, top: number): ScoreDistribution {
  const n = probability.length;
  const sorted = Float64Array.from(probability).sort();
  const deciles: number[] = [];
  for (let q = 0; q <= 10; q++) deciles.push(n === 0 ? NaN : sortedQuantile(sorted, q / 10));
  const bands = new Array<number>(10).fill(0);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = probability[i]!;
    sum += p;
    const b = Math.min(9, Math.floor(p * 10));
    bands[b] = bands[b]! + 1;
  }
  const order = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => probability[b]! - probability[a]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0))
    .slice(0, top);
  return {
    customers: n,
    mean: n === 0 ? NaN : sum / n,
    deciles,
    bands,
    top: order.map((i) => ({ customerId: ids[i]!, probability: probability[i]! })),
  };
}
