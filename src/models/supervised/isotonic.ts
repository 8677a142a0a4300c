/**
 * Isotonic calibration, as scikit-learn's `IsotonicRegression(out_of_bounds='clip')`: the non-decreasing step
 * function of the score closest (weighted least squares) to the labels, by pool-adjacent-violators on the sorted
 * scores (equal scores merged first into their weighted mean); new scores are linearly interpolated between the
 * fitted points and clipped at the ends. Cost O(n log n). Reference: Barlow et al., Statistical Inference under Order
 * Restrictions (1972); Zadrozny & Elkan, KDD 2002 for its use in calibration.
 */
import { fail, validateWeights } from './validate.js';

export interface IsotonicCalibration {
  /** Fitted points: increasing scores and non-decreasing values (first and last of each flat run kept). */
  readonly x: Float64Array;
  readonly y: Float64Array;
  predict(score: Float64Array): Float64Array;
}

export function fitIsotonic(score: Float64Array, target: Float64Array | Int32Array, sampleWeight?: Float64Array): IsotonicCalibration {
  const n = score.length;
  if (target.length !== n) fail(`fitIsotonic requires one target per score (got ${target.length}, scores ${n})`, 'target');
  if (n < 1) fail('fitIsotonic requires at least 1 score (got 0)', 'score');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(score[i]!)) fail(`fitIsotonic requires finite scores (got ${score[i]} at row ${i + 1})`, `score[${i}]`);
    if (!Number.isFinite(target[i]!)) fail(`fitIsotonic requires finite targets (got ${target[i]} at row ${i + 1})`, `target[${i}]`);
  }
  if (sampleWeight) validateWeights('fitIsotonic', sampleWeight, n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[a]! - score[b]! || a - b);
  // Merge equal scores into weighted means.
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const w = sampleWeight ? sampleWeight[i]! : 1;
    const last = ux.length - 1;
    if (last >= 0 && score[i]! - ux[last]! < 1e-15) {
      uy[last] = uy[last]! + w * target[i]!;
      uw[last] = uw[last]! + w;
    } else {
      ux.push(score[i]!);
      uy.push(w * target[i]!);
      uw.push(w);
    }
  }
  for (let j = 0; j < uy.length; j++) uy[j] = uw[j]! > 0 ? uy[j]! / uw[j]! : 0;
  // Pool adjacent violators over blocks [start, end) with weighted means.
  const m = ux.length;
  const blockStart = new Int32Array(m);
  const blockMean = new Float64Array(m);
  const blockW = new Float64Array(m);
  let nb = 0;
  for (let j = 0; j < m; j++) {
    blockStart[nb] = j;
    blockMean[nb] = uy[j]!;
    blockW[nb] = uw[j]!;
    nb++;
    while (nb > 1 && blockMean[nb - 2]! >= blockMean[nb - 1]!) {
      const w = blockW[nb - 2]! + blockW[nb - 1]!;
      blockMean[nb - 2] = w > 0 ? (blockMean[nb - 2]! * blockW[nb - 2]! + blockMean[nb - 1]! * blockW[nb - 1]!) / w : blockMean[nb - 1]!;
      blockW[nb - 2] = w;
      nb--;
    }
  }
  const fitted = new Float64Array(m);
  for (let b = 0; b < nb; b++) {
    const end = b + 1 < nb ? blockStart[b + 1]! : m;
    for (let j = blockStart[b]!; j < end; j++) fitted[j] = blockMean[b]!;
  }
  // Keep the first and last point of every flat run (sklearn's X_thresholds_).
  const kx: number[] = [];
  const ky: number[] = [];
  for (let j = 0; j < m; j++) {
    if (j === 0 || j === m - 1 || fitted[j - 1] !== fitted[j] || fitted[j] !== fitted[j + 1]) {
      kx.push(ux[j]!);
      ky.push(fitted[j]!);
    }
  }
  const X = Float64Array.from(kx);
  const Y = Float64Array.from(ky);
  return { x: X, y: Y, predict: (s) => Float64Array.from(s, (v) => interpolate(X, Y, v)) };
}

/** np.interp: linear between the fitted points, clipped to the end values. */
function interpolate(x: Float64Array, y: Float64Array, v: number): number {
  const last = x.length - 1;
  if (v <= x[0]!) return y[0]!;
  if (v >= x[last]!) return y[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= v) lo = mid;
    else hi = mid;
  }
  const t = (v - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}
