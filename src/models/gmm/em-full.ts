/**
 * `emPass` specialised for full covariances (the default and the slowest type): per-component constants
 * (log weight + log det + Gaussian constant) are added once per fit pass instead of per row, the precision
 * factors are transposed so the triangular products read memory in order, and the row's differences to the
 * means live in one scratch reused by the M-step statistics. The arithmetic and its order are those of the
 * generic pass, so the results are identical bit for bit. Cost per pass O(n·k·d²).
 */
import type { PassOutputs } from './em.js';
import type { Params, Stats } from './params.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Same contract as `emPass` for `p.type === 'full'`. */
export function emPassFull(values: Float64Array, n: number, p: Params, stats: Stats | null, out: PassOutputs): number {
  return p.d <= 8 ? emPassFull8(values, n, p, stats, out) : emPassFullAny(values, n, p, stats, out);
}

function componentConstants(p: Params): Float64Array {
  const constant = -0.5 * p.d * LOG_2PI;
  const base = new Float64Array(p.k);
  for (let c = 0; c < p.k; c++) base[c] = p.logWeights[c]! + p.logDet[c]! + constant;
  return base;
}

/** Neumaier's compensated sum of the per-row log-likelihoods, as in `emPass`. */
function addCompensated(acc: Float64Array, v: number): void {
  const sum = acc[0]!;
  const t = sum + v;
  acc[1]! += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
  acc[0] = t;
}

/** Normalises `logp` into `resp` (log-sum-exp from `max`) and returns the row's log-likelihood. */
function normalise(logp: Float64Array, resp: Float64Array, k: number, max: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(logp[c]! - max);
    resp[c] = e;
    s += e;
  }
  const inv = 1 / s;
  for (let c = 0; c < k; c++) resp[c]! *= inv;
  return max + Math.log(s);
}

/** Adds the row's responsibilities and centred outer products (upper triangle) to the statistics. */
function accumulateFull(stats: Stats, diff: Float64Array, resp: Float64Array, k: number, d: number, stride: number): void {
  const { nk, sx, sxx } = stats;
  const dd = d * d;
  for (let c = 0; c < k; c++) {
    const r = resp[c]!;
    if (r === 0) continue;
    nk[c]! += r;
    const mo = c * d;
    const eo = c * stride;
    const so = c * dd;
    for (let a = 0; a < d; a++) {
      const ra = r * diff[eo + a]!;
      sx[mo + a]! += ra;
      const row = so + a * d;
      for (let b = a; b < d; b++) sxx[row + b]! += ra * diff[eo + b]!;
    }
  }
}

/** `accumulateFull` unrolled for d = 8 exactly (same additions in the same order). */
function accumulateFull8(stats: Stats, diff: Float64Array, resp: Float64Array, k: number): void {
  const { nk, sx, sxx } = stats;
  for (let c = 0; c < k; c++) {
    const r = resp[c]!;
    if (r === 0) continue;
    nk[c]! += r;
    const o = c * 8;
    const so = c * 64;
    const e0 = diff[o + 0]!;
    const e1 = diff[o + 1]!;
    const e2 = diff[o + 2]!;
    const e3 = diff[o + 3]!;
    const e4 = diff[o + 4]!;
    const e5 = diff[o + 5]!;
    const e6 = diff[o + 6]!;
    const e7 = diff[o + 7]!;
    const r0 = r * e0;
    sx[o + 0]! += r0;
    sxx[so + 0]! += r0 * e0;
    sxx[so + 1]! += r0 * e1;
    sxx[so + 2]! += r0 * e2;
    sxx[so + 3]! += r0 * e3;
    sxx[so + 4]! += r0 * e4;
    sxx[so + 5]! += r0 * e5;
    sxx[so + 6]! += r0 * e6;
    sxx[so + 7]! += r0 * e7;
    const r1 = r * e1;
    sx[o + 1]! += r1;
    sxx[so + 9]! += r1 * e1;
    sxx[so + 10]! += r1 * e2;
    sxx[so + 11]! += r1 * e3;
    sxx[so + 12]! += r1 * e4;
    sxx[so + 13]! += r1 * e5;
    sxx[so + 14]! += r1 * e6;
    sxx[so + 15]! += r1 * e7;
    const r2 = r * e2;
    sx[o + 2]! += r2;
    sxx[so + 18]! += r2 * e2;
    sxx[so + 19]! += r2 * e3;
    sxx[so + 20]! += r2 * e4;
    sxx[so + 21]! += r2 * e5;
    sxx[so + 22]! += r2 * e6;
    sxx[so + 23]! += r2 * e7;
    const r3 = r * e3;
    sx[o + 3]! += r3;
    sxx[so + 27]! += r3 * e3;
    sxx[so + 28]! += r3 * e4;
    sxx[so + 29]! += r3 * e5;
    sxx[so + 30]! += r3 * e6;
    sxx[so + 31]! += r3 * e7;
    const r4 = r * e4;
    sx[o + 4]! += r4;
    sxx[so + 36]! += r4 * e4;
    sxx[so + 37]! += r4 * e5;
    sxx[so + 38]! += r4 * e6;
    sxx[so + 39]! += r4 * e7;
    const r5 = r * e5;
    sx[o + 5]! += r5;
    sxx[so + 45]! += r5 * e5;
    sxx[so + 46]! += r5 * e6;
    sxx[so + 47]! += r5 * e7;
    const r6 = r * e6;
    sx[o + 6]! += r6;
    sxx[so + 54]! += r6 * e6;
    sxx[so + 55]! += r6 * e7;
    const r7 = r * e7;
    sx[o + 7]! += r7;
    sxx[so + 63]! += r7 * e7;
  }
}

/**
 * d ≤ 8: the row and its differences in locals, the triangular product unrolled over zero-padded 8×8 factors
 * (a padded term adds ±0, which cannot change a sum whose square is taken, nor the Mahalanobis sum).
 */
function emPassFull8(values: Float64Array, n: number, p: Params, stats: Stats | null, out: PassOutputs): number {
  const { k, d, means, precChol } = p;
  const dd = d * d;
  const base = componentConstants(p);
  const ut = new Float64Array(k * 64);
  const mp = new Float64Array(k * 8);
  for (let c = 0; c < k; c++) {
    for (let a = 0; a < d; a++) {
      mp[c * 8 + a] = means[c * d + a]!;
      for (let b = a; b < d; b++) ut[c * 64 + b * 8 + a] = precChol[c * dd + a * d + b]!;
    }
  }
  const diff = new Float64Array(k * 8);
  const logp = new Float64Array(k);
  const resp = new Float64Array(k);
  const acc = new Float64Array(2);
  const { memberships, labels } = out;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const x0 = values[xo]!;
    const x1 = d > 1 ? values[xo + 1]! : 0;
    const x2 = d > 2 ? values[xo + 2]! : 0;
    const x3 = d > 3 ? values[xo + 3]! : 0;
    const x4 = d > 4 ? values[xo + 4]! : 0;
    const x5 = d > 5 ? values[xo + 5]! : 0;
    const x6 = d > 6 ? values[xo + 6]! : 0;
    const x7 = d > 7 ? values[xo + 7]! : 0;
    let max = -Infinity;
    let best = 0;
    for (let c = 0; c < k; c++) {
      const mo = c * 8;
      const e0 = x0 - mp[mo]!;
      const e1 = x1 - mp[mo + 1]!;
      const e2 = x2 - mp[mo + 2]!;
      const e3 = x3 - mp[mo + 3]!;
      const e4 = x4 - mp[mo + 4]!;
      const e5 = x5 - mp[mo + 5]!;
      const e6 = x6 - mp[mo + 6]!;
      const e7 = x7 - mp[mo + 7]!;
      diff[mo] = e0;
      diff[mo + 1] = e1;
      diff[mo + 2] = e2;
      diff[mo + 3] = e3;
      diff[mo + 4] = e4;
      diff[mo + 5] = e5;
      diff[mo + 6] = e6;
      diff[mo + 7] = e7;
      const uo = c * 64;
      let mahal = 0;
      let y: number;
      y = 0;
      y += e0 * ut[uo + 0]!;
      mahal += y * y;
      y = 0;
      y += e0 * ut[uo + 8]!;
      y += e1 * ut[uo + 9]!;
      mahal += y * y;
      y = 0;
      y += e0 * ut[uo + 16]!;
      y += e1 * ut[uo + 17]!;
      y += e2 * ut[uo + 18]!;
      mahal += y * y;
      y = 0;
      y += e0 * ut[uo + 24]!;
      y += e1 * ut[uo + 25]!;
      y += e2 * ut[uo + 26]!;
      y += e3 * ut[uo + 27]!;
      mahal += y * y;
      y = 0;
      y += e0 * ut[uo + 32]!;
      y += e1 * ut[uo + 33]!;
      y += e2 * ut[uo + 34]!;
      y += e3 * ut[uo + 35]!;
      y += e4 * ut[uo + 36]!;
      mahal += y * y;
      y = 0;
      y += e0 * ut[uo + 40]!;
      y += e1 * ut[uo + 41]!;
      y += e2 * ut[uo + 42]!;
      y += e3 * ut[uo + 43]!;
      y += e4 * ut[uo + 44]!;
      y += e5 * ut[uo + 45]!;
      mahal += y * y;
      y = 0;
      y += e0 * ut[uo + 48]!;
      y += e1 * ut[uo + 49]!;
      y += e2 * ut[uo + 50]!;
      y += e3 * ut[uo + 51]!;
      y += e4 * ut[uo + 52]!;
      y += e5 * ut[uo + 53]!;
      y += e6 * ut[uo + 54]!;
      mahal += y * y;
      y = 0;
      y += e0 * ut[uo + 56]!;
      y += e1 * ut[uo + 57]!;
      y += e2 * ut[uo + 58]!;
      y += e3 * ut[uo + 59]!;
      y += e4 * ut[uo + 60]!;
      y += e5 * ut[uo + 61]!;
      y += e6 * ut[uo + 62]!;
      y += e7 * ut[uo + 63]!;
      mahal += y * y;
      const lp = base[c]! - 0.5 * mahal;
      logp[c] = lp;
      if (lp > max) {
        max = lp;
        best = c;
      }
    }
    addCompensated(acc, normalise(logp, resp, k, max));
    if (labels) labels[i] = best;
    if (memberships) for (let c = 0; c < k; c++) memberships[i * k + c] = resp[c]!;
    if (stats) {
      if (d === 8) accumulateFull8(stats, diff, resp, k);
      else accumulateFull(stats, diff, resp, k, d, 8);
    }
  }
  return acc[0]! + acc[1]!;
}

/** Any d: the generic loops with constants hoisted and the factors transposed. */
function emPassFullAny(values: Float64Array, n: number, p: Params, stats: Stats | null, out: PassOutputs): number {
  const { k, d, means, precChol } = p;
  const dd = d * d;
  // lp = ((logWeight + logDet) + constant) − 0.5·mahal, left to right as in the generic pass
  const base = componentConstants(p);
  // Lower-triangular Uᵀ, row b holding column b of U: y_b = Σ_{a ≤ b} diff_a · U[a][b]
  const ut = new Float64Array(k * dd);
  for (let c = 0; c < k; c++) for (let a = 0; a < d; a++) for (let b = a; b < d; b++) ut[c * dd + b * d + a] = precChol[c * dd + a * d + b]!;
  const diff = new Float64Array(k * d);
  const logp = new Float64Array(k);
  const resp = new Float64Array(k);
  const acc = new Float64Array(2);
  const { memberships, labels } = out;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let max = -Infinity;
    let best = 0;
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      for (let j = 0; j < d; j++) diff[mo + j] = values[xo + j]! - means[mo + j]!;
      const uo = c * dd;
      let mahal = 0;
      for (let b = 0; b < d; b++) {
        const row = uo + b * d;
        let y = 0;
        for (let a = 0; a <= b; a++) y += diff[mo + a]! * ut[row + a]!;
        mahal += y * y;
      }
      const lp = base[c]! - 0.5 * mahal;
      logp[c] = lp;
      if (lp > max) {
        max = lp;
        best = c;
      }
    }
    addCompensated(acc, normalise(logp, resp, k, max));
    if (labels) labels[i] = best;
    if (memberships) for (let c = 0; c < k; c++) memberships[i * k + c] = resp[c]!;
    if (stats) accumulateFull(stats, diff, resp, k, d, d);
  }
  return acc[0]! + acc[1]!;
}
