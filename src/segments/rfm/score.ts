/**
 * RFM scoring on typed arrays: quintile scores for recency (fewer days = 5), frequency and monetary over the customers
 * with at least one purchase, the RFM code 100·R + 10·F + M, its named segment, and an optional weighted RFM value.
 * Reference for the method: Hughes, A. M. (1994) Strategic Database Marketing; the segment grid: see segments.ts.
 */
import { InputError } from '../../core/errors.js';
import { quintileScores } from './quintiles.js';
import { RFM_SEGMENTS, segmentIndexOfCode } from './segments.js';

export interface RfmWeights {
  readonly r: number;
  readonly f: number;
  readonly m: number;
}

export interface RfmOptions {
  /** Weights of the weighted RFM value (wR·R + wF·F + wM·M) / (wR + wF + wM). Default 1, 1, 1. */
  readonly weights?: RfmWeights;
}

export interface RfmScores {
  /** Number of customers scored (frequency ≥ 1). */
  readonly scored: number;
  /** Scores 1..5; 0 for customers without a purchase. */
  readonly r: Int8Array;
  readonly f: Int8Array;
  readonly m: Int8Array;
  /** 100·R + 10·F + M (e.g. 543); 0 when not scored. */
  readonly codes: Int16Array;
  /** Index into `segmentNames`; −1 when not scored. */
  readonly segment: Int8Array;
  readonly segmentNames: typeof RFM_SEGMENTS;
  /** Weighted RFM value in [1, 5]; NaN when not scored. */
  readonly value: Float64Array;
}

/**
 * Scores every customer (one index per customer across the three arrays). A customer is scored when its frequency is
 * ≥ 1; recency and monetary must then be finite. Throws an InputError for unequal lengths, bad weights, or a scored
 * customer with a non-finite recency or monetary (naming the index). Cost: O(n log n).
 */
export function scoreRfm(recency: Float64Array, frequency: Float64Array, monetary: Float64Array, options: RfmOptions = {}): RfmScores {
  const n = recency.length;
  if (frequency.length !== n || monetary.length !== n) {
    throw new InputError(`scoreRfm requires arrays of equal length (got recency=${n}, frequency=${frequency.length}, monetary=${monetary.length})`);
  }
  const w = options.weights ?? { r: 1, f: 1, m: 1 };
  const wSum = w.r + w.f + w.m;
  if (![w.r, w.f, w.m].every((x) => Number.isFinite(x) && x >= 0) || !(wSum > 0)) {
    throw new InputError(`scoreRfm requires finite non-negative weights with a positive sum (got r=${w.r}, f=${w.f}, m=${w.m})`);
  }
  const eligible = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!(frequency[i]! >= 1)) continue;
    if (!Number.isFinite(recency[i]!) || !Number.isFinite(monetary[i]!)) {
      throw new InputError(`scoreRfm requires finite recency and monetary for customers with a purchase (got recency=${recency[i]}, monetary=${monetary[i]} at index ${i})`);
    }
    eligible[i] = 1;
  }
  const r = new Int8Array(n);
  const f = new Int8Array(n);
  const m = new Int8Array(n);
  const scored = quintileScores(recency, eligible, true, r);
  quintileScores(frequency, eligible, false, f);
  quintileScores(monetary, eligible, false, m);
  const codes = new Int16Array(n);
  const segment = new Int8Array(n).fill(-1);
  const value = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (eligible[i] !== 1) continue;
    const code = 100 * r[i]! + 10 * f[i]! + m[i]!;
    codes[i] = code;
    segment[i] = segmentIndexOfCode(code);
    value[i] = (w.r * r[i]! + w.f * f[i]! + w.m * m[i]!) / wSum;
  }
  return { scored, r, f, m, codes, segment, segmentNames: RFM_SEGMENTS, value };
}

/** The segment name of customer i, or null when it was not scored. */
export function rfmSegmentOf(scores: RfmScores, i: number): (typeof RFM_SEGMENTS)[number] | null {
  return scores.segmentNames[scores.segment[i] ?? -1] ?? null;
}
