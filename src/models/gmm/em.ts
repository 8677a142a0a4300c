/**
 * The EM kernel: one pass over the rows computes each row's weighted log densities, normalises them with
 * log-sum-exp into responsibilities (the E-step) and, in the same pass, accumulates the statistics of the next
 * M-step. Fusing the two halves reads the data once per iteration; the result equals sklearn's separate steps.
 * Cost per pass: O(n·k·d²) for full/tied, O(n·k·d) for diag/spherical; O(k·d) scratch memory.
 */
import { emPassFull } from './em-full.js';
import type { Params, Stats } from './params.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Optional outputs of a pass: soft memberships (n×k) and hard labels (n). */
export interface PassOutputs {
  readonly memberships?: Float64Array;
  readonly labels?: Int32Array;
}

/**
 * Runs one pass with parameters `p`; accumulates into `stats` (whose `ref` must be `p.means`) when given.
 * Returns the summed log-likelihood of the rows (compensated sum).
 */
export function emPass(values: Float64Array, n: number, p: Params, stats: Stats | null, out: PassOutputs = {}): number {
  if (p.type === 'full') return emPassFull(values, n, p, stats, out);
  const { k, d, type, means, precChol, logDet, logWeights } = p;
  const diff = new Float64Array(k * d);
  const logp = new Float64Array(k);
  const resp = new Float64Array(k);
  const constant = -0.5 * d * LOG_2PI;
  const square = type === 'tied'; // 'full' is served by emPassFull; tied has one shared factor
  const memberships = out.memberships;
  const labels = out.labels;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let max = -Infinity;
    let best = 0;
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      for (let j = 0; j < d; j++) diff[mo + j] = values[xo + j]! - means[mo + j]!;
      let mahal = 0;
      if (square) {
        for (let b = 0; b < d; b++) {
          let y = 0;
          for (let a = 0; a <= b; a++) y += diff[mo + a]! * precChol[a * d + b]!;
          mahal += y * y;
        }
      } else if (type === 'diag') {
        for (let j = 0; j < d; j++) {
          const y = diff[mo + j]! * precChol[mo + j]!;
          mahal += y * y;
        }
      } else {
        for (let j = 0; j < d; j++) mahal += diff[mo + j]! * diff[mo + j]!;
        mahal *= precChol[c]! * precChol[c]!;
      }
      const lp = logWeights[c]! + logDet[c]! + constant - 0.5 * mahal;
      logp[c] = lp;
      if (lp > max) {
        max = lp;
        best = c;
      }
    }
    let s = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(logp[c]! - max);
      resp[c] = e;
      s += e;
    }
    const lse = max + Math.log(s);
    const inv = 1 / s;
    for (let c = 0; c < k; c++) resp[c]! *= inv;
    // Neumaier's compensated sum of the per-row log-likelihoods
    const t = sum + lse;
    compensation += Math.abs(sum) >= Math.abs(lse) ? sum - t + lse : lse - t + sum;
    sum = t;
    if (labels) labels[i] = best;
    if (memberships) for (let c = 0; c < k; c++) memberships[i * k + c] = resp[c]!;
    if (stats) accumulate(stats, diff, resp, k, d, square);
  }
  return sum + compensation;
}

function accumulate(stats: Stats, diff: Float64Array, resp: Float64Array, k: number, d: number, square: boolean): void {
  const { nk, sx, sxx } = stats;
  const dd = d * d;
  for (let c = 0; c < k; c++) {
    const r = resp[c]!;
    if (r === 0) continue;
    nk[c]! += r;
    const mo = c * d;
    if (square) {
      const so = c * dd;
      for (let a = 0; a < d; a++) {
        const ra = r * diff[mo + a]!;
        sx[mo + a]! += ra;
        const row = so + a * d;
        for (let b = a; b < d; b++) sxx[row + b]! += ra * diff[mo + b]!;
      }
    } else {
      for (let a = 0; a < d; a++) {
        const ra = r * diff[mo + a]!;
        sx[mo + a]! += ra;
        sxx[mo + a]! += ra * diff[mo + a]!;
      }
    }
  }
}

/** Statistics of a hard assignment (one-hot responsibilities), centred on `stats.ref`. */
export function accumulateHard(values: Float64Array, n: number, d: number, labels: Int32Array, stats: Stats, square: boolean): void {
  const { nk, sx, sxx, ref } = stats;
  const dd = d * d;
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    nk[c]! += 1;
    for (let j = 0; j < d; j++) diff[j] = values[i * d + j]! - ref[c * d + j]!;
    for (let a = 0; a < d; a++) {
      sx[c * d + a]! += diff[a]!;
      if (square) for (let b = a; b < d; b++) sxx[c * dd + a * d + b]! += diff[a]! * diff[b]!;
      else sxx[c * d + a]! += diff[a]! * diff[a]!;
    }
  }
}
