/**
 * Model checks from Fader, Hardie & Lee (2005): tracking expected vs actual repeat purchases across the holdout,
 * and expected vs actual customers by number of calibration repeat purchases.
 */
import type { ConditionalExpected } from './clv.js';
import type { HoldoutSummary } from './summarise.js';
import type { RfmSummary } from './summary.js';

/** Holdout tracking, one entry per period; cumulative columns run from the calibration end. */
export interface TrackingTable {
  /** End of each period in units after the calibration end (the last one is cut at the holdout duration). */
  readonly periodEnd: Float64Array;
  readonly actualIncremental: Float64Array;
  readonly expectedIncremental: Float64Array;
  readonly actualCumulative: Float64Array;
  readonly expectedCumulative: Float64Array;
}

/**
 * Expected (Σ_i E[Y(t) | x_i, t_x,i, T_i]) vs actual repeat purchase days per period of `periodLength` across the
 * holdout, incremental and cumulative. `summary` and `holdout` must come from the same `summarise` call.
 * Cost O(n × periods × cost(expected)).
 */
export function holdoutTracking(
  expected: ConditionalExpected,
  summary: RfmSummary,
  holdout: HoldoutSummary,
  periodLength: number,
): TrackingTable {
  const n = summary.frequency.length;
  if (holdout.frequency.length !== n || !(periodLength > 0) || !(holdout.duration > 0)) {
    throw new RangeError(`holdoutTracking requires a holdout of the summary's ${n} customers, duration > 0 and periodLength > 0 (got ${holdout.frequency.length} customers, duration ${holdout.duration}, periodLength ${periodLength})`);
  }
  const periods = Math.ceil(holdout.duration / periodLength - 1e-9);
  const periodEnd = Float64Array.from({ length: periods }, (_, k) => Math.min((k + 1) * periodLength, holdout.duration));
  const actualIncremental = new Float64Array(periods);
  for (let j = 0; j < holdout.times.length; j++) {
    const k = Math.min(periods - 1, Math.max(0, Math.ceil(holdout.times[j]! / periodLength - 1e-9) - 1));
    actualIncremental[k] = actualIncremental[k]! + 1;
  }
  const expectedCumulative = new Float64Array(periods);
  for (let i = 0; i < n; i++) {
    const w = summary.weights ? summary.weights[i]! : 1;
    for (let k = 0; k < periods; k++) {
      expectedCumulative[k] = expectedCumulative[k]! + w * expected(periodEnd[k]!, summary.frequency[i]!, summary.recency[i]!, summary.T[i]!);
    }
  }
  const actualCumulative = new Float64Array(periods);
  const expectedIncremental = new Float64Array(periods);
  for (let k = 0; k < periods; k++) {
    actualCumulative[k] = (k > 0 ? actualCumulative[k - 1]! : 0) + actualIncremental[k]!;
    expectedIncremental[k] = expectedCumulative[k]! - (k > 0 ? expectedCumulative[k - 1]! : 0);
  }
  return { periodEnd, actualIncremental, expectedIncremental, actualCumulative, expectedCumulative };
}

/** Expected vs actual customers per calibration frequency bucket 0, 1, …, maxBucket−1 and maxBucket+. */
export interface FrequencyFit {
  readonly labels: readonly string[];
  readonly expected: Float64Array;
  readonly actual: Float64Array;
  /** Pearson χ² = Σ (actual − expected)² / expected over the buckets. */
  readonly chiSquare: number;
}

/**
 * Goodness of fit by frequency: expected customers with k repeat purchases = Σ_i P(X(T_i) = k) from the model's
 * new-customer distribution `pmf(t, k)` (e.g. `bgnbdProbabilityOfN` bound to its parameters), last bucket = the
 * rest. Caches the pmf per distinct T. Cost O(distinct T × maxBucket² + n).
 */
export function frequencyFit(pmf: (t: number, k: number) => number, summary: RfmSummary, maxBucket = 7): FrequencyFit {
  if (!(Number.isInteger(maxBucket) && maxBucket >= 1)) throw new RangeError(`frequencyFit requires a whole maxBucket ≥ 1 (got ${maxBucket})`);
  const buckets = maxBucket + 1;
  const expected = new Float64Array(buckets);
  const actual = new Float64Array(buckets);
  const cache = new Map<number, Float64Array>();
  for (let i = 0; i < summary.frequency.length; i++) {
    const w = summary.weights ? summary.weights[i]! : 1;
    const T = summary.T[i]!;
    let probs = cache.get(T);
    if (!probs) {
      probs = new Float64Array(buckets);
      let rest = 1;
      for (let k = 0; k < maxBucket; k++) {
        probs[k] = pmf(T, k);
        rest -= probs[k]!;
      }
      probs[maxBucket] = Math.max(0, rest);
      cache.set(T, probs);
    }
    for (let k = 0; k < buckets; k++) expected[k] = expected[k]! + w * probs[k]!;
    const b = Math.min(summary.frequency[i]!, maxBucket);
    actual[b] = actual[b]! + w;
  }
  let chiSquare = 0;
  for (let k = 0; k < buckets; k++) chiSquare += (actual[k]! - expected[k]!) ** 2 / expected[k]!;
  const labels = Array.from({ length: buckets }, (_, k) => (k === maxBucket ? `${k}+` : `${k}`));
  return { labels, expected, actual, chiSquare };
}
