/**
 * The update step of K-means: add the per-chunk partials in chunk order, fix empty clusters, move each centre to
 * the mean of its rows, and prepare the Hamerly inputs (centre shifts and half separations). O(chunks·k·d + k²·d).
 */
import { P_ARGMAX_SHIFT, P_MAX_SHIFT, P_SECOND_SHIFT, type KernelBuffers } from './buffers.js';

/** Scratch arrays of the update step, allocated once per fit. */
export interface UpdateScratch {
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly next: Float64Array;
}

export function createScratch(k: number, d: number): UpdateScratch {
  return { sums: new Float64Array(k * d), counts: new Float64Array(k), next: new Float64Array(k * d) };
}

/** Total inertia and changed-label count of the last assignment step, added in chunk order. */
export function stepTotals(b: KernelBuffers): { inertia: number; changed: number } {
  let inertia = 0;
  let changed = 0;
  for (let c = 0; c < b.nChunks; c++) {
    inertia += b.chunkInertia[c]!;
    changed += b.chunkChanged[c]!;
  }
  return { inertia, changed };
}

function combine(b: KernelBuffers, s: UpdateScratch): void {
  const kd = b.k * b.d;
  s.sums.fill(0);
  s.counts.fill(0);
  for (let c = 0; c < b.nChunks; c++) {
    const base = c * kd;
    for (let j = 0; j < kd; j++) s.sums[j]! += b.chunkSums[base + j]!;
    for (let j = 0; j < b.k; j++) s.counts[j]! += b.chunkCounts[c * b.k + j]!;
  }
}

/**
 * Empty-cluster fix, as scikit-learn's `_relocate_empty_clusters_dense` but deterministic: rows are ranked by
 * their squared distance to the centre they were assigned to (largest first, lower row index first on ties);
 * each empty cluster, in index order, takes the next-ranked row whose cluster keeps at least one other row: the
 * row is removed from its cluster's sum and becomes the empty cluster's centre. Labels are left as they are; the
 * next assignment step moves the row. Returns how many clusters were fixed. O(n·d + n log n), only when needed.
 */
export function relocateEmptyClusters(b: KernelBuffers, s: UpdateScratch): number {
  const { k, d, n, x, labels, centers } = b;
  let empty = 0;
  for (let j = 0; j < k; j++) if (s.counts[j] === 0) empty++;
  if (empty === 0) return 0;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ci = labels[i]! * d;
    let t = 0;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]! - centers[ci + j]!;
      t += v * v;
    }
    dist[i] = t;
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((p, q) => dist[q]! - dist[p]! || p - q);
  let next = 0;
  for (let e = 0; e < k; e++) {
    if (s.counts[e] !== 0) continue;
    while (next < n && s.counts[labels[order[next]!]!]! <= 1) next++;
    if (next >= n) break;
    const r = order[next++]!;
    const from = labels[r]!;
    for (let j = 0; j < d; j++) {
      s.sums[from * d + j]! -= x[r * d + j]!;
      s.sums[e * d + j] = x[r * d + j]!;
    }
    s.counts[from]! -= 1;
    s.counts[e] = 1;
  }
  return empty;
}

/**
 * Computes the new centres into `s.next` (means of the rows; a cluster still empty after relocation keeps its
 * centre), the per-centre shifts into `b.shift`, the shift maxima into `b.params`, and returns the sum of squared
 * shifts (scikit-learn's `center_shift_tot`).
 */
export function newCenters(b: KernelBuffers, s: UpdateScratch): number {
  const { k, d, centers, shift, params } = b;
  let total = 0;
  let max = 0;
  let second = 0;
  let argMax = -1;
  for (let c = 0; c < k; c++) {
    const cnt = s.counts[c]!;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const v = cnt > 0 ? s.sums[c * d + j]! / cnt : centers[c * d + j]!;
      s.next[c * d + j] = v;
      const t = v - centers[c * d + j]!;
      sq += t * t;
    }
    const sh = Math.sqrt(sq);
    shift[c] = sh;
    total += sq;
    if (sh > max) {
      second = max;
      max = sh;
      argMax = c;
    } else if (sh > second) {
      second = sh;
    }
  }
  params[P_MAX_SHIFT] = max;
  params[P_SECOND_SHIFT] = second;
  params[P_ARGMAX_SHIFT] = argMax;
  return total;
}

/** Half the distance from each centre to its nearest other centre (Infinity when k = 1). O(k²·d). */
export function computeHalfSeparation(b: KernelBuffers): void {
  const { k, d, centers, halfSep } = b;
  halfSep.fill(Infinity);
  for (let p = 0; p < k; p++) {
    for (let q = p + 1; q < k; q++) {
      let t = 0;
      for (let j = 0; j < d; j++) {
        const v = centers[p * d + j]! - centers[q * d + j]!;
        t += v * v;
      }
      const h = Math.sqrt(t) / 2;
      if (h < halfSep[p]!) halfSep[p] = h;
      if (h < halfSep[q]!) halfSep[q] = h;
    }
  }
}

/** One full update: combine partials, fix empty clusters, new centres; returns the squared shift total. */
export function updateStep(b: KernelBuffers, s: UpdateScratch): { shiftTotal: number; relocated: number } {
  combine(b, s);
  const relocated = relocateEmptyClusters(b, s);
  const shiftTotal = newCenters(b, s);
  return { shiftTotal, relocated };
}
