/**
 * The default start of the mixture: k-means++ seeding (Arthur & Vassilvitskii, 2007) then Lloyd iterations,
 * stopping when the summed squared centre shift falls below 1e-4 × the mean column variance (sklearn's rule)
 * or after 100 iterations. An empty cluster is re-seeded at the row farthest from its centre.
 * Cost: O(iterations · n · k · d) time, O(n + k·d) memory.
 */
import type { Rng } from '../../core/rng.js';

/** Returns K-means labels for row-major `values` (n×d). */
export function kmeansLabels(values: Float64Array, n: number, d: number, k: number, rng: Rng): Int32Array {
  const centres = seedPlusPlus(values, n, d, k, rng);
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const tol = 1e-4 * meanVariance(values, n, d);
  for (let iter = 0; iter < 100; iter++) {
    assign(values, n, d, k, centres, labels, dist);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j]! += values[i * d + j]!;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        const far = argmax(dist);
        dist[far] = 0;
        for (let j = 0; j < d; j++) sums[c * d + j] = values[far * d + j]!;
        counts[c] = 1;
      }
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j]! / counts[c]!;
        shift += (v - centres[c * d + j]!) ** 2;
        centres[c * d + j] = v;
      }
    }
    if (shift <= tol) break;
  }
  assign(values, n, d, k, centres, labels, dist);
  return labels;
}

/** Nearest-centre labels (and squared distances) for every row. */
export function assign(values: Float64Array, n: number, d: number, k: number, centres: Float64Array, labels: Int32Array, dist: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let bestC = 0;
    for (let c = 0; c < k; c++) {
      let acc = 0;
      for (let j = 0; j < d; j++) {
        const t = values[i * d + j]! - centres[c * d + j]!;
        acc += t * t;
      }
      if (acc < best) {
        best = acc;
        bestC = c;
      }
    }
    labels[i] = bestC;
    dist[i] = best;
  }
}

function seedPlusPlus(values: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centres = new Float64Array(k * d);
  const closest = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) centres[c * d + j] = values[pick * d + j]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < d; j++) {
        const t = values[i * d + j]! - centres[c * d + j]!;
        acc += t * t;
      }
      if (acc < closest[i]!) closest[i] = acc;
      total += closest[i]!;
    }
    if (total === 0) {
      pick = rng.int(n); // all rows coincide with a centre: any row will do
      continue;
    }
    let target = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= closest[i]!;
      if (target < 0) {
        pick = i;
        break;
      }
    }
  }
  return centres;
}

function meanVariance(values: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const x = values[i * d + j]!;
      const delta = x - mean;
      mean += delta / (i + 1);
      m2 += delta * (x - mean);
    }
    total += m2 / n;
  }
  return total / d;
}

function argmax(a: Float64Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}
