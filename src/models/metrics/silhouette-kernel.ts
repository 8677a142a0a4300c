/**
 * Hot loops of the exact silhouette: typed arrays only, no allocation inside loops, no I/O. Shared by the main
 * thread and the worker (`silhouette-worker.ts`). Rows are first copied into cluster order so that the distance
 * sums to one cluster run over a contiguous block without looking up labels. Distances use direct differences
 * (never the ‖x‖² + ‖y‖² − 2x·y trick), so near-duplicate rows keep full relative accuracy.
 */

/** Rows copied in cluster order: rows of code c are `start[c] <= p < start[c + 1]`; `order[p]` is the original row. */
export interface ClusterSorted {
  readonly xs: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly start: Int32Array;
  readonly order: Int32Array;
  readonly sortedCodes: Int32Array;
}

/** Copies rows into cluster order (stable within a cluster). Cost O(n·d). */
export function sortByCluster(values: Float64Array, n: number, d: number, codes: Int32Array, k: number, counts: Int32Array): ClusterSorted {
  const start = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) start[c + 1] = start[c]! + counts[c]!;
  const next = start.slice(0, k);
  const order = new Int32Array(n);
  const sortedCodes = new Int32Array(n);
  const xs = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    const p = next[c]!++;
    order[p] = i;
    sortedCodes[p] = c;
    xs.set(values.subarray(i * d, i * d + d), p * d);
  }
  return { xs, n, d, k, start, order, sortedCodes };
}

/**
 * Symmetric pass over the pairs (p, j) with p in [p0, p1) and j > p: adds dist(p, j) to `sums[code(j)·n + p]` and
 * to `sums[code(p)·n + j]`, so each distance is computed once. `sums` is cluster-major `k × n`. Cost O((p1 − p0)·n·d).
 */
export function accumulateSymmetric(s: ClusterSorted, p0: number, p1: number, sums: Float64Array): void {
  const { xs, n, d, k, start, sortedCodes } = s;
  if (d === 8) {
    accumulateSymmetric8(s, p0, p1, sums);
    return;
  }
  for (let p = p0; p < p1; p++) {
    const po = p * d;
    const own = sortedCodes[p]! * n;
    for (let c = 0; c < k; c++) {
      const end = start[c + 1]!;
      let j = start[c]!;
      if (j <= p) j = p + 1;
      let acc = 0;
      for (; j < end; j++) {
        const jo = j * d;
        let q = 0;
        for (let t = 0; t < d; t++) {
          const diff = xs[po + t]! - xs[jo + t]!;
          q += diff * diff;
        }
        const dist = Math.sqrt(q);
        acc += dist;
        sums[own + j]! += dist;
      }
      sums[c * n + p]! += acc;
    }
  }
}

/** `accumulateSymmetric` unrolled for 8 columns (the common case of the benchmarks and the pipeline). */
function accumulateSymmetric8(s: ClusterSorted, p0: number, p1: number, sums: Float64Array): void {
  const { xs, n, k, start, sortedCodes } = s;
  for (let p = p0; p < p1; p++) {
    const po = p * 8;
    const a0 = xs[po]!, a1 = xs[po + 1]!, a2 = xs[po + 2]!, a3 = xs[po + 3]!;
    const a4 = xs[po + 4]!, a5 = xs[po + 5]!, a6 = xs[po + 6]!, a7 = xs[po + 7]!;
    const own = sortedCodes[p]! * n;
    for (let c = 0; c < k; c++) {
      const end = start[c + 1]!;
      let j = start[c]!;
      if (j <= p) j = p + 1;
      let acc = 0;
      for (; j < end; j++) {
        const jo = j * 8;
        const e0 = a0 - xs[jo]!, e1 = a1 - xs[jo + 1]!, e2 = a2 - xs[jo + 2]!, e3 = a3 - xs[jo + 3]!;
        const e4 = a4 - xs[jo + 4]!, e5 = a5 - xs[jo + 5]!, e6 = a6 - xs[jo + 6]!, e7 = a7 - xs[jo + 7]!;
        const dist = Math.sqrt(e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4 + e5 * e5 + e6 * e6 + e7 * e7);
        acc += dist;
        sums[own + j]! += dist;
      }
      sums[c * n + p]! += acc;
    }
  }
}

/**
 * One-sided pass for rows p in [p0, p1): writes the sum of distances from p to every cluster into
 * `out[(p − p0)·k + c]`. Twice the work of the symmetric pass but only O(chunk·k) memory; used when k·n is too large
 * to hold. Cost O((p1 − p0)·n·d).
 */
export function accumulateRows(s: ClusterSorted, p0: number, p1: number, out: Float64Array): void {
  const { xs, d, k, start } = s;
  for (let p = p0; p < p1; p++) {
    const po = p * d;
    const ob = (p - p0) * k;
    for (let c = 0; c < k; c++) {
      const end = start[c + 1]!;
      let acc = 0;
      for (let j = start[c]!; j < end; j++) {
        const jo = j * d;
        let q = 0;
        for (let t = 0; t < d; t++) {
          const diff = xs[po + t]! - xs[jo + t]!;
          q += diff * diff;
        }
        acc += Math.sqrt(q);
      }
      out[ob + c] = acc;
    }
  }
}

/**
 * Silhouette of one row from its distance sums to each cluster (read with stride: `sums[base + c·stride]`).
 * a = mean distance to its own cluster without itself, b = smallest mean distance to another cluster,
 * s = (b − a) / max(a, b); 0 for a singleton cluster and when a = b = 0, as in scikit-learn.
 */
export function silhouetteFromSums(sums: Float64Array, base: number, stride: number, own: number, counts: Int32Array, k: number): number {
  const size = counts[own]!;
  if (size <= 1) return 0;
  const a = sums[base + own * stride]! / (size - 1);
  let b = Infinity;
  for (let c = 0; c < k; c++) {
    if (c === own) continue;
    const mean = sums[base + c * stride]! / counts[c]!;
    if (mean < b) b = mean;
  }
  const denom = a > b ? a : b;
  return denom === 0 ? 0 : (b - a) / denom;
}

/**
 * Balanced split of the symmetric pass into `parts` row ranges of about equal pair counts (row p costs n − p − 1
 * pairs). Returns `parts + 1` boundaries.
 */
export function splitTriangle(n: number, parts: number): Int32Array {
  const bounds = new Int32Array(parts + 1);
  const total = (n * (n - 1)) / 2;
  let p = 0;
  let done = 0;
  for (let w = 1; w < parts; w++) {
    const target = (total * w) / parts;
    while (p < n && done + (n - p - 1) <= target) done += n - p++ - 1;
    bounds[w] = p;
  }
  bounds[parts] = n;
  return bounds;
}
