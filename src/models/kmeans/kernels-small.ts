/**
 * The K-means kernels of `kernels.ts` unrolled for d ≤ 8 columns (see `distance.ts`): each row is read once into
 * eight locals and compared with the zero-padded centres. Same arithmetic in the same order as the generic
 * kernels, hence the same labels, sums, inertia and potentials bit for bit; only faster (about 1.5× at d = 8).
 */
import { CHUNK_ROWS, clearChunk, P_ARGMAX_SHIFT, P_FIRST, P_MAX_SHIFT, P_SECOND_SHIFT, P_TRIALS, type KernelBuffers } from './buffers.js';
import { dist8, padRows, SMALL_D } from './distance.js';

/** Adds the row (x0..x7, of which the first d count) to the chunk's sum for centre a. */
function accumulate8(
  b: KernelBuffers,
  chunk: number,
  a: number,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  x4: number,
  x5: number,
  x6: number,
  x7: number,
): void {
  const { d, k } = b;
  const s = b.chunkSums;
  const o = (chunk * k + a) * d;
  s[o] = s[o]! + x0;
  if (d > 1) s[o + 1] = s[o + 1]! + x1;
  if (d > 2) s[o + 2] = s[o + 2]! + x2;
  if (d > 3) s[o + 3] = s[o + 3]! + x3;
  if (d > 4) s[o + 4] = s[o + 4]! + x4;
  if (d > 5) s[o + 5] = s[o + 5]! + x5;
  if (d > 6) s[o + 6] = s[o + 6]! + x6;
  if (d > 7) s[o + 7] = s[o + 7]! + x7;
  b.chunkCounts[chunk * k + a]! += 1;
}

/** `lloydChunk` for d ≤ 8. */
export function lloydSmall(b: KernelBuffers, chunk: number): void {
  const { x, d, k, labels } = b;
  const p = padRows(b.centers, d, k, null);
  const start = chunk * CHUNK_ROWS;
  const end = Math.min(b.n, start + CHUNK_ROWS);
  clearChunk(b, chunk);
  let inertia = 0;
  let changed = 0;
  for (let i = start; i < end; i++) {
    const xi = i * d;
    const x0 = x[xi]!;
    const x1 = d > 1 ? x[xi + 1]! : 0;
    const x2 = d > 2 ? x[xi + 2]! : 0;
    const x3 = d > 3 ? x[xi + 3]! : 0;
    const x4 = d > 4 ? x[xi + 4]! : 0;
    const x5 = d > 5 ? x[xi + 5]! : 0;
    const x6 = d > 6 ? x[xi + 6]! : 0;
    const x7 = d > 7 ? x[xi + 7]! : 0;
    let best = 0;
    let bestD = dist8(p, 0, x0, x1, x2, x3, x4, x5, x6, x7);
    for (let c = 1; c < k; c++) {
      const dc = dist8(p, c * SMALL_D, x0, x1, x2, x3, x4, x5, x6, x7);
      if (dc < bestD) {
        bestD = dc;
        best = c;
      }
    }
    if (labels[i] !== best) {
      labels[i] = best;
      changed++;
    }
    inertia += bestD;
    accumulate8(b, chunk, best, x0, x1, x2, x3, x4, x5, x6, x7);
  }
  b.chunkInertia[chunk] = inertia;
  b.chunkChanged[chunk] = changed;
}

/** `hamerlyChunk` for d ≤ 8: the same bounds, tests and tie rules. */
export function hamerlySmall(b: KernelBuffers, chunk: number): void {
  const { x, d, k, labels, upper, lower, shift, halfSep, params } = b;
  const p = padRows(b.centers, d, k, null);
  const start = chunk * CHUNK_ROWS;
  const end = Math.min(b.n, start + CHUNK_ROWS);
  const maxShift = params[P_MAX_SHIFT]!;
  const secondShift = params[P_SECOND_SHIFT]!;
  const argMax = params[P_ARGMAX_SHIFT]!;
  const first = params[P_FIRST] === 1;
  clearChunk(b, chunk);
  let inertia = 0;
  let changed = 0;
  for (let i = start; i < end; i++) {
    const xi = i * d;
    const x0 = x[xi]!;
    const x1 = d > 1 ? x[xi + 1]! : 0;
    const x2 = d > 2 ? x[xi + 2]! : 0;
    const x3 = d > 3 ? x[xi + 3]! : 0;
    const x4 = d > 4 ? x[xi + 4]! : 0;
    const x5 = d > 5 ? x[xi + 5]! : 0;
    const x6 = d > 6 ? x[xi + 6]! : 0;
    const x7 = d > 7 ? x[xi + 7]! : 0;
    const old = labels[i]!;
    let a = old;
    let dA = -1;
    let scan = first;
    if (!first) {
      let u = upper[i]! + shift[a]!;
      const l = lower[i]! - (a === argMax ? secondShift : maxShift);
      const s = halfSep[a]!;
      const m = l > s ? l : s;
      if (!(u < m)) {
        dA = dist8(p, a * SMALL_D, x0, x1, x2, x3, x4, x5, x6, x7);
        u = Math.sqrt(dA);
        scan = !(u < m);
      }
      upper[i] = u;
      lower[i] = l;
    }
    if (scan) {
      let best = 0;
      let bestD = dist8(p, 0, x0, x1, x2, x3, x4, x5, x6, x7);
      let second = Infinity;
      for (let c = 1; c < k; c++) {
        const dc = dist8(p, c * SMALL_D, x0, x1, x2, x3, x4, x5, x6, x7);
        if (dc < bestD) {
          second = bestD;
          bestD = dc;
          best = c;
        } else if (dc < second) {
          second = dc;
        }
      }
      a = best;
      dA = bestD;
      upper[i] = Math.sqrt(bestD);
      lower[i] = Math.sqrt(second);
    }
    if (a !== old) {
      labels[i] = a;
      changed++;
    }
    if (dA < 0) dA = dist8(p, a * SMALL_D, x0, x1, x2, x3, x4, x5, x6, x7);
    inertia += dA;
    accumulate8(b, chunk, a, x0, x1, x2, x3, x4, x5, x6, x7);
  }
  b.chunkInertia[chunk] = inertia;
  b.chunkChanged[chunk] = changed;
}

let pots = new Float64Array(0);

/** `seedChunk` for d ≤ 8: rows outside, candidates inside, so each row is read once for all candidates. */
export function seedSmall(b: KernelBuffers, chunk: number): void {
  const { x, d, n, closest, trial, chunkPot, maxTrials } = b;
  const trials = b.params[P_TRIALS]!;
  const q = padRows(x, d, trials, b.candidates);
  if (pots.length < trials) pots = new Float64Array(trials);
  pots.fill(0);
  const start = chunk * CHUNK_ROWS;
  const end = Math.min(n, start + CHUNK_ROWS);
  for (let i = start; i < end; i++) {
    const xi = i * d;
    const x0 = x[xi]!;
    const x1 = d > 1 ? x[xi + 1]! : 0;
    const x2 = d > 2 ? x[xi + 2]! : 0;
    const x3 = d > 3 ? x[xi + 3]! : 0;
    const x4 = d > 4 ? x[xi + 4]! : 0;
    const x5 = d > 5 ? x[xi + 5]! : 0;
    const x6 = d > 6 ? x[xi + 6]! : 0;
    const x7 = d > 7 ? x[xi + 7]! : 0;
    const c = closest[i]!;
    for (let t = 0; t < trials; t++) {
      let v = dist8(q, t * SMALL_D, x0, x1, x2, x3, x4, x5, x6, x7);
      if (c < v) v = c;
      trial[t * n + i] = v;
      pots[t]! += v;
    }
  }
  for (let t = 0; t < trials; t++) chunkPot[chunk * maxTrials + t] = pots[t]!;
}
