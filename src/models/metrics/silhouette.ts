/**
 * Exact silhouette (Rousseeuw 1987): per-row values, their mean, and the mean per cluster. Agrees with
 * scikit-learn's `silhouette_samples` / `silhouette_score` (Euclidean) to about 1e-13; see `silhouette.test.ts`.
 */
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import { sumCompensated } from './compensated-sum.js';
import { checkLabelCount, checkLabels, encodeLabels, type EncodedLabels } from './labels.js';
import { accumulateRows, accumulateSymmetric, silhouetteFromSums, sortByCluster, type ClusterSorted } from './silhouette-kernel.js';

export interface SilhouetteOptions {
  /**
   * Largest k·n buffer (in doubles) for the symmetric pass, which computes each distance once. Above it the
   * one-sided pass is used: twice the arithmetic, O(chunk·k) memory. Default 2^23 (64 MiB).
   */
  readonly maxBufferEntries?: number;
  /** Rows per chunk of the one-sided pass. Default 1024. */
  readonly chunkRows?: number;
}

/** Per-cluster mean silhouette: `labels[c]` is the original label, `sizes[c]` its rows, `means[c]` its mean. */
export interface ClusterSilhouette {
  readonly labels: Int32Array;
  readonly sizes: Int32Array;
  readonly means: Float64Array;
}

const DEFAULT_MAX_BUFFER = 1 << 23;

/** Validates input and copies rows into cluster order; shared by the sync and the parallel entry points. */
export function prepareSilhouette(m: FeatureMatrix, labels: Int32Array, who: string): { enc: EncodedLabels; sorted: ClusterSorted } {
  checkLabels(labels, m.rows, who);
  assertFinite(m, who);
  const enc = encodeLabels(labels);
  checkLabelCount(enc.k, m.rows, who);
  return { enc, sorted: sortByCluster(m.values, m.rows, m.cols, enc.codes, enc.k, enc.counts) };
}

/** Turns a cluster-major `k × n` table of distance sums (sorted order) into silhouettes in original row order. */
export function finishFromSums(sorted: ClusterSorted, enc: EncodedLabels, sums: Float64Array): Float64Array {
  const { n, k, order, sortedCodes } = sorted;
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) out[order[p]!] = silhouetteFromSums(sums, p, n, sortedCodes[p]!, enc.counts, k);
  return out;
}

/**
 * Silhouette value of every row, in row order: s = (b − a) / max(a, b) with a the mean distance to the other rows
 * of its cluster and b the smallest mean distance to another cluster; rows of singleton clusters get 0 (as in
 * scikit-learn). Use it to find badly placed rows or to draw a silhouette plot; for a single score on large n,
 * prefer `silhouetteScoreSampled`. Cost O(n²·d) time; O(n·d + k·n) memory (O(n·d + chunk·k) above
 * `maxBufferEntries`), never n×n. Reference: Rousseeuw (1987), J. Comput. Appl. Math. 20, 53–65.
 */
export function silhouetteSamples(m: FeatureMatrix, labels: Int32Array, options: SilhouetteOptions = {}): Float64Array {
  const { enc, sorted } = prepareSilhouette(m, labels, 'silhouette');
  const { n, k, order, sortedCodes } = sorted;
  if (k * n <= (options.maxBufferEntries ?? DEFAULT_MAX_BUFFER)) {
    const sums = new Float64Array(k * n);
    accumulateSymmetric(sorted, 0, n, sums);
    return finishFromSums(sorted, enc, sums);
  }
  const chunk = Math.max(1, options.chunkRows ?? 1024);
  const buf = new Float64Array(chunk * k);
  const out = new Float64Array(n);
  for (let p0 = 0; p0 < n; p0 += chunk) {
    const p1 = Math.min(n, p0 + chunk);
    accumulateRows(sorted, p0, p1, buf);
    for (let p = p0; p < p1; p++) {
      out[order[p]!] = silhouetteFromSums(buf, (p - p0) * k, 1, sortedCodes[p]!, enc.counts, k);
    }
  }
  return out;
}

/**
 * Mean silhouette over all rows (scikit-learn's `silhouette_score` without sampling), in [−1, 1], higher is
 * better. Use it to compare clusterings of the same data, e.g. to choose k. Cost O(n²·d); see `silhouetteSamples`.
 * Reference: Rousseeuw (1987).
 */
export function silhouetteScore(m: FeatureMatrix, labels: Int32Array, options: SilhouetteOptions = {}): number {
  const s = silhouetteSamples(m, labels, options);
  return sumCompensated(s) / s.length;
}

/**
 * Mean silhouette of each cluster, from per-row values (computed if not given). Use it to spot the weak clusters
 * of a fit. Cost O(n) given `samples`, else that of `silhouetteSamples`. Reference: Rousseeuw (1987), §3.
 */
export function silhouetteByCluster(m: FeatureMatrix, labels: Int32Array, samples?: Float64Array): ClusterSilhouette {
  const s = samples ?? silhouetteSamples(m, labels);
  checkLabels(labels, m.rows, 'silhouetteByCluster');
  checkLabels(labels, s.length, 'silhouetteByCluster', 'labels (vs samples)');
  const enc = encodeLabels(labels);
  const sum = new Float64Array(enc.k);
  const comp = new Float64Array(enc.k);
  for (let i = 0; i < s.length; i++) {
    const c = enc.codes[i]!;
    const x = s[i]!;
    const acc = sum[c]!;
    const u = acc + x;
    comp[c]! += Math.abs(acc) >= Math.abs(x) ? acc - u + x : x - u + acc;
    sum[c] = u;
  }
  const means = new Float64Array(enc.k);
  for (let c = 0; c < enc.k; c++) means[c] = (sum[c]! + comp[c]!) / enc.counts[c]!;
  return { labels: enc.values, sizes: enc.counts, means };
}
