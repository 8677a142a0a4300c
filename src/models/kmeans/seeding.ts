/**
 * Greedy k-means++ seeding exactly as scikit-learn's `_kmeans_plusplus`: the first centre is a uniformly drawn
 * row; each further centre draws `2 + floor(ln k)` candidate rows with probability proportional to their squared
 * distance D² to the closest chosen centre, and keeps the candidate that lowers the potential (ΣD²) most.
 * Cost O(n·d·k·log k). Reference: Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding" (2007).
 */
import type { Rng } from '../../core/rng.js';
import { CHUNK_ROWS, P_TRIALS } from './buffers.js';
import { CMD_SEED } from './kernels.js';
import type { ChunkRunner } from './runner.js';

/** Writes k initial centres (k×d, row-major) into `out`, drawing from `rng`. */
export function kmeansPlusPlus(runner: ChunkRunner, rng: Rng, out: Float64Array): void {
  const b = runner.buffers;
  const { n, d, k, x, nChunks, maxTrials, closest, trial, candidates, chunkPot, params } = b;
  const closestChunkPot = new Float64Array(nChunks);
  const pots = new Float64Array(maxTrials);

  const choose = (t: number): number => {
    let pot = 0;
    for (let c = 0; c < nChunks; c++) {
      const p = chunkPot[c * maxTrials + t]!;
      closestChunkPot[c] = p;
      pot += p;
    }
    closest.set(trial.subarray(t * n, t * n + n));
    return pot;
  };
  const copyRow = (row: number, centre: number): void => {
    out.set(x.subarray(row * d, row * d + d), centre * d);
  };

  const first = rng.int(n);
  copyRow(first, 0);
  closest.fill(Infinity);
  candidates[0] = first;
  params[P_TRIALS] = 1;
  runner.run(CMD_SEED);
  let pot = choose(0);

  for (let c = 1; c < k; c++) {
    for (let t = 0; t < maxTrials; t++) candidates[t] = searchCumulative(closest, closestChunkPot, rng.next() * pot);
    params[P_TRIALS] = maxTrials;
    runner.run(CMD_SEED);
    let best = 0;
    for (let t = 0; t < maxTrials; t++) {
      let p = 0;
      for (let ch = 0; ch < nChunks; ch++) p += chunkPot[ch * maxTrials + t]!;
      pots[t] = p;
      if (p < pots[best]!) best = t;
    }
    copyRow(candidates[best]!, c);
    pot = choose(best);
  }
}

/**
 * First row i whose cumulative D² (rows 0..i) reaches r, like numpy's `searchsorted(cumsum, r)`; the per-chunk
 * totals let it skip whole chunks. Clipped to the last row.
 */
function searchCumulative(closest: Float64Array, chunkTotals: Float64Array, r: number): number {
  const n = closest.length;
  let acc = 0;
  let chunk = 0;
  while (chunk < chunkTotals.length - 1 && acc + chunkTotals[chunk]! < r) acc += chunkTotals[chunk++]!;
  const end = Math.min(n, (chunk + 1) * CHUNK_ROWS);
  for (let i = chunk * CHUNK_ROWS; i < end; i++) {
    acc += closest[i]!;
    if (acc >= r) return i;
  }
  return end - 1;
}
