/**
 * The hot loops of K-means, one chunk of rows at a time (see `buffers.ts`). Typed arrays only: no objects,
 * closures or allocation per row. Ties go to the lowest centre index in every kernel, so Hamerly and Lloyd give
 * identical labels, and Hamerly prunes only on strict inequalities.
 *
 * References: S. Lloyd, "Least squares quantization in PCM" (1982); G. Hamerly, "Making k-means even faster",
 * SDM 2010 (one upper and one lower bound per row); D. Arthur & S. Vassilvitskii, "k-means++" (2007).
 */
import { CHUNK_ROWS, clearChunk, P_ARGMAX_SHIFT, P_FIRST, P_MAX_SHIFT, P_SECOND_SHIFT, P_TRIALS, type KernelBuffers } from './buffers.js';
import { SMALL_D, sqDist } from './distance.js';
import { hamerlySmall, lloydSmall, seedSmall } from './kernels-small.js';

/** Commands a chunk can run (shared by the calling thread and workers). */
export const CMD_LLOYD = 1;
export const CMD_HAMERLY = 2;
export const CMD_SEED = 3;
export type KernelCommand = typeof CMD_LLOYD | typeof CMD_HAMERLY | typeof CMD_SEED;

/** Runs one command on one chunk. */
export function runChunk(b: KernelBuffers, command: number, chunk: number): void {
  const small = b.d <= SMALL_D;
  if (command === CMD_LLOYD) (small ? lloydSmall : lloydChunk)(b, chunk);
  else if (command === CMD_HAMERLY) (small ? hamerlySmall : hamerlyChunk)(b, chunk);
  else if (command === CMD_SEED) (small ? seedSmall : seedChunk)(b, chunk);
  else throw new Error(`kmeans kernel command must be 1, 2 or 3 (got ${command})`);
}

/** Adds row xi to the chunk's running sum for centre a. */
function accumulate(b: KernelBuffers, chunk: number, xi: number, a: number): void {
  const { x, d } = b;
  const base = (chunk * b.k + a) * d;
  const sums = b.chunkSums;
  for (let j = 0; j < d; j++) sums[base + j]! += x[xi + j]!;
  b.chunkCounts[chunk * b.k + a]! += 1;
}

/** Plain Lloyd assignment (any d; `kernels-small.ts` has the unrolled form for d ≤ 8): every distance, nearest centre, partial sums and inertia of the chunk. O(rows·k·d). */
export function lloydChunk(b: KernelBuffers, chunk: number): void {
  const { x, d, k, centers, labels } = b;
  const start = chunk * CHUNK_ROWS;
  const end = Math.min(b.n, start + CHUNK_ROWS);
  clearChunk(b, chunk);
  let inertia = 0;
  let changed = 0;
  for (let i = start; i < end; i++) {
    const xi = i * d;
    let best = 0;
    let bestD = sqDist(x, xi, centers, 0, d);
    for (let c = 1; c < k; c++) {
      const dc = sqDist(x, xi, centers, c * d, d);
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
    accumulate(b, chunk, xi, best);
  }
  b.chunkInertia[chunk] = inertia;
  b.chunkChanged[chunk] = changed;
}

/**
 * Hamerly assignment. Bounds are first moved by the last centre shifts; a row keeps its centre without any
 * distance computation when its upper bound is below both its lower bound and half the distance from its centre
 * to the nearest other centre; otherwise the upper bound is tightened, and only then are all k distances computed.
 */
export function hamerlyChunk(b: KernelBuffers, chunk: number): void {
  const { x, d, k, centers, labels, upper, lower, shift, halfSep, params } = b;
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
        dA = sqDist(x, xi, centers, a * d, d);
        u = Math.sqrt(dA);
        scan = !(u < m);
      }
      upper[i] = u;
      lower[i] = l;
    }
    if (scan) {
      let best = 0;
      let bestD = sqDist(x, xi, centers, 0, d);
      let second = Infinity;
      for (let c = 1; c < k; c++) {
        const dc = sqDist(x, xi, centers, c * d, d);
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
    if (dA < 0) dA = sqDist(x, xi, centers, a * d, d);
    inertia += dA;
    accumulate(b, chunk, xi, a);
  }
  b.chunkInertia[chunk] = inertia;
  b.chunkChanged[chunk] = changed;
}


/**
 * k-means++ trial step: for each candidate t, the squared distance of every row to its closest centre if the
 * candidate were added (`trial[t·n + i]`), and the chunk's share of that potential.
 */
export function seedChunk(b: KernelBuffers, chunk: number): void {
  const { x, d, n, closest, trial, candidates, chunkPot, maxTrials } = b;
  const start = chunk * CHUNK_ROWS;
  const end = Math.min(n, start + CHUNK_ROWS);
  const trials = b.params[P_TRIALS]!;
  for (let t = 0; t < trials; t++) {
    const ci = candidates[t]! * d;
    const base = t * n;
    let pot = 0;
    for (let i = start; i < end; i++) {
      let v = sqDist(x, i * d, x, ci, d);
      const c = closest[i]!;
      if (c < v) v = c;
      trial[base + i] = v;
      pot += v;
    }
    chunkPot[chunk * maxTrials + t] = pot;
  }
}
