/**
 * Quintile scores 1..5 with a fixed tie rule.
 *
 * Rule: among the n scored values, rank(v) = 1 + (number of scored values strictly better-ranked below v), i.e. values
 * sorted ascending (descending for recency) and ties share the LOWEST rank ("min" rank, as SQL RANK()); then
 * score = 1 + floor(5 · (rank − 1) / n). Equal values always get equal scores, and a value shared by many customers
 * (frequency = 1 for most) takes the score of the first position of its block, so the low quintiles absorb heavy ties
 * and some higher scores may be unused. Cost: O(n log n) (one typed-array sort plus a binary search per value).
 */

/**
 * Writes the quintile score of each value with `eligible[i] = 1` into `out` (0 for the others) and returns n, the
 * number scored. `descending` ranks larger values first (so the smallest values score 5), as recency days need.
 */
export function quintileScores(values: Float64Array, eligible: Uint8Array, descending: boolean, out: Int8Array): number {
  const len = values.length;
  const sorted = new Float64Array(len);
  let n = 0;
  for (let i = 0; i < len; i++) {
    if (eligible[i] === 1) sorted[n++] = descending ? -values[i]! : values[i]!;
  }
  const keys = sorted.subarray(0, n).sort();
  for (let i = 0; i < len; i++) {
    if (eligible[i] !== 1) {
      out[i] = 0;
      continue;
    }
    const rank = lowerBound(keys, descending ? -values[i]! : values[i]!) + 1;
    out[i] = 1 + Math.floor((5 * (rank - 1)) / n);
  }
  return n;
}

/** First index whose value is ≥ v in an ascending array. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
