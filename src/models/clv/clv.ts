/**
 * Customer lifetime value: expected purchases per period from a purchase model times the expected spend from the
 * Gamma-Gamma model, discounted per period — the sum `lifetimes` computes in `customer_lifetime_value`.
 */

/** E[Y(t) | x, t_x, T] of a fitted purchase model (BG/NBD, MBG/NBD or Pareto/NBD with its parameters bound). */
export type ConditionalExpected = (t: number, x: number, tx: number, T: number) => number;

/** Options of `customerLifetimeValue`. */
export interface ClvOptions {
  /** Number of periods in the horizon (lifetimes' `time`, in months there; default 12). */
  readonly periods?: number;
  /** Length of one period in the model's time unit (4.345 weeks or 30 days for a month; default 4.345). */
  readonly periodLength?: number;
  /** Discount rate per period (default 0.01). */
  readonly discountRate?: number;
}

/**
 * CLV_i = Σ_{k=1..K} spend_i · (E[Y(kL)] − E[Y((k−1)L)]) / (1 + d)^k for each customer i, where L is the period
 * length, d the discount rate per period and spend_i the Gamma-Gamma expected spend. Writes into `out` when given.
 * Cost O(n × K × cost(expected)). Reference: lifetimes `utils._customer_lifetime_value` (Davidson-Pilon et al.).
 */
export function customerLifetimeValue(
  expected: ConditionalExpected,
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
  expectedSpend: Float64Array,
  options: ClvOptions = {},
  out: Float64Array = new Float64Array(frequency.length),
): Float64Array {
  const periods = options.periods ?? 12;
  const length = options.periodLength ?? 4.345;
  const rate = options.discountRate ?? 0.01;
  const n = frequency.length;
  if (recency.length !== n || T.length !== n || expectedSpend.length !== n || out.length !== n) {
    throw new RangeError(`customerLifetimeValue requires columns of one length (got ${[n, recency.length, T.length, expectedSpend.length, out.length].join(', ')})`);
  }
  if (!(Number.isInteger(periods) && periods >= 1) || !(length > 0) || !(rate > -1)) {
    throw new RangeError(`customerLifetimeValue requires periods ≥ 1 (whole), periodLength > 0 and discountRate > −1 (got ${periods}, ${length}, ${rate})`);
  }
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const tx = recency[i]!;
    const t = T[i]!;
    let previous = 0;
    let value = 0;
    for (let k = 1; k <= periods; k++) {
      const cumulative = expected(k * length, x, tx, t);
      value += (expectedSpend[i]! * (cumulative - previous)) / Math.pow(1 + rate, k);
      previous = cumulative;
    }
    out[i] = value;
  }
  return out;
}
