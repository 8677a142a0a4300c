/**
 * A₀ of the Pareto/NBD likelihood, the chance-of-death integral, in logs and at a bounded cost for every (α, β).
 *
 * A₀ = c ∫_{t_x}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ with c = r+s+x (Fader & Hardie's note, eq. 20–21, written as
 * the integral it comes from). Name the smaller of α, β `near` and the larger `far`, with exponents pNear and pFar,
 * and gap = far − near. Two series cover the range of τ between them:
 * - the Gauss series of the note: with G(u) = ₂F₁(c, pNear; c+1; gap/(far+u)) / (far+u)^c, ∫_a^b = (G(a) − G(b))/c.
 *   Its terms shrink like z = gap/(far+u) per step, so it is fast where near+u is not small next to gap and very
 *   slow as z → 1 (one rate tiny next to the other: the fit heading for "no dropout", β → ∞).
 * - an expansion around the far end: (far+τ)^{−pFar} = gap^{−pFar} Σ_k (pFar)_k/k! (−(near+τ)/gap)^k, integrated
 *   term by term; its terms shrink like y = (near+τ)/gap, so it is fast exactly where the Gauss series is slow.
 *   The series alternates; its condition number is at most ((1+y)/(1−y))^pFar, so it is used only for
 *   near+τ ≤ Y·gap with Y = min(1/2, 1/pFar) (a loss of at most one digit).
 * The split point is near+τ = Y·gap; where it falls outside [t_x, T] only one series runs, and when the far
 * expansion is not needed the result is the note's formula unchanged.
 */
import { logAddExp, logHyp2f1, logSubExp } from './special.js';

/** The Pareto/NBD parameters A₀ depends on. */
export interface ParetoA0Params {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/** Terms of the far expansion before it gives up with NaN (never reached for y ≤ 1/2). */
const FAR_MAX_TERMS = 10_000;

/**
 * ln A₀ for one customer (x, t_x, T); −Infinity when t_x = T (A₀ = 0), NaN only if a series fails to converge.
 * Cost O(number of terms): a few dozen for any α, β with pFar of order 1, growing like pFar when x is large.
 * References: Fader & Hardie (2005) "A Note on Deriving the Pareto/NBD Model and Related Expressions", eq. 20–21;
 * Abramowitz & Stegun 15.1.1 and 15.3.1 (the integral form of ₂F₁(c, b; c+1; z)).
 */
export function paretoLogA0(p: ParetoA0Params, x: number, tx: number, T: number): number {
  return logA0(p, x, tx, T, null, -1, -1);
}

/**
 * The distinct (x, t) end points of a summary's rows — (x, t_x) and (x, T) — so that the Gauss series is summed
 * once per end point rather than twice per row (CDNOW master: 2,705 end points for 8,685 grouped rows).
 * `atTx[i]` and `atT[i]` index row i's end points. Built once per fit; cost O(n).
 */
export interface ParetoEndpoints {
  readonly count: number;
  readonly atTx: Int32Array;
  readonly atT: Int32Array;
}

export function paretoEndpoints(frequency: Float64Array, recency: Float64Array, T: Float64Array): ParetoEndpoints {
  const index = new Map<string, number>();
  const id = (x: number, t: number): number => {
    const key = `${x},${t}`;
    let at = index.get(key);
    if (at === undefined) index.set(key, (at = index.size));
    return at;
  };
  const n = frequency.length;
  const atTx = new Int32Array(n);
  const atT = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    atTx[i] = id(frequency[i]!, recency[i]!);
    atT[i] = id(frequency[i]!, T[i]!);
  }
  return { count: index.size, atTx, atT };
}

/**
 * ln A₀ of every row into `out`, with ln ₂F₁ at each end point computed at most once (same values as `paretoLogA0`,
 * bit for bit). Cost O(rows × far-expansion terms + end points × Gauss terms).
 */
export function paretoLogA0Rows(
  p: ParetoA0Params, frequency: Float64Array, recency: Float64Array, T: Float64Array, ends: ParetoEndpoints, out: Float64Array,
): Float64Array {
  const cache = new Float64Array(ends.count).fill(NaN);
  for (let i = 0; i < frequency.length; i++) out[i] = logA0(p, frequency[i]!, recency[i]!, T[i]!, cache, ends.atTx[i]!, ends.atT[i]!);
  return out;
}

/** ln A₀ with an optional cache of ln ₂F₁ per end point (NaN until computed) and the row's end-point ids. */
function logA0(p: ParetoA0Params, x: number, tx: number, T: number, cache: Float64Array | null, idTx: number, idT: number): number {
  if (tx === T) return -Infinity;
  const { r, alpha, s, beta } = p;
  const c = r + s + x;
  const alphaFar = alpha >= beta;
  const far = alphaFar ? alpha : beta;
  const near = alphaFar ? beta : alpha;
  const pFar = alphaFar ? r + x : s + 1;
  const pNear = alphaFar ? s + 1 : r + x;
  const gap = far - near;
  const limit = pFar > 2 ? 1 / pFar : 0.5;
  // τ below `split` goes to the far expansion, τ above it to the Gauss series
  const split = limit * gap - near;
  if (!(split > tx)) {
    return gaussPart(c, far, tx, T, gaussAt(cache, idTx, c, pNear, far, gap, tx), gaussAt(cache, idT, c, pNear, far, gap, T));
  }
  const farPart = Math.log(c) + logFarIntegral(near, pNear, gap, pFar, tx, split < T ? split : T);
  if (!(split < T)) return farPart;
  const atSplit = logHyp2f1(c, pNear, c + 1, gap / (far + split));
  return logAddExp(farPart, gaussPart(c, far, split, T, atSplit, gaussAt(cache, idT, c, pNear, far, gap, T)));
}

/** ln ₂F₁(c, pNear; c+1; gap/(far+u)), from the cache when it holds the end point. */
function gaussAt(cache: Float64Array | null, id: number, c: number, pNear: number, far: number, gap: number, u: number): number {
  if (cache === null) return logHyp2f1(c, pNear, c + 1, gap / (far + u));
  let v = cache[id]!;
  if (Number.isNaN(v)) cache[id] = v = logHyp2f1(c, pNear, c + 1, gap / (far + u));
  return v;
}

/**
 * ln(G(a) − G(b)) with G of the note, from fa = ln ₂F₁ at a and fb at b: ln of c ∫_a^b (α+τ)^{−(r+x)}
 * (β+τ)^{−(s+1)} dτ. The ratio G(b)/G(a) is formed from log1p((b−a)/(far+a)), so the difference keeps its digits
 * when far ≫ b − a. NaN when a series did not converge.
 */
function gaussPart(c: number, far: number, a: number, b: number, fa: number, fb: number): number {
  const logRatio = fb - fa - c * Math.log1p((b - a) / (far + a));
  if (Number.isNaN(logRatio)) return NaN;
  return fa - c * Math.log(far + a) + (logRatio < 0 ? logSubExp(0, logRatio) : -Infinity);
}

/**
 * ln ∫_a^b (near+τ)^{−pNear} (near+gap+τ)^{−pFar} dτ for a < b and (near+b)/gap ≤ 1/2, by the expansion of the
 * far factor in powers of (near+τ)/gap. With ρ = (near+a)/(near+b), y = (near+b)/gap and e_k = k+1−pNear, term k is
 * (−1)^k (pFar)_k/k! y^k I_k times gap^{−pFar} (near+b)^{e_0}, where I_k = ∫_ρ^1 u^{e_k−1} du = (1 − ρ^{e_k})/e_k
 * decreases in k. I_k comes from expm1 while e_k ≤ 0 (in logs if it would overflow), then from the recurrence
 * 1 − ρ^{e+1} = (1 − ρ) + ρ (1 − ρ^e), a sum of positive numbers that keeps its digits even for ρ near 1. The sum
 * is taken relative to the first term and stops when a geometric bound on the tail is below 1e-17 of it.
 * Cost O(terms) ≈ O(log(1e-17) / log y), a handful of flops per term once e_k > 0.
 */
function logFarIntegral(near: number, pNear: number, gap: number, pFar: number, a: number, b: number): number {
  const delta = Math.log1p((b - a) / (near + a)); // −ln ρ
  const rho = (near + a) / (near + b);
  const oneMinusRho = (b - a) / (near + b);
  const y = (near + b) / gap;
  const e0 = 1 - pNear;
  const logI0 = logExpm1Over(-e0, delta);
  const invI0 = Math.exp(-logI0); // 0 when I_0 is huge: later terms are then below the precision of the first
  let sum = 1;
  let bound = 1;
  let q = -1; // 1 − ρ^{e_k} once e_k > 0, −1 before
  for (let k = 1; k < FAR_MAX_TERMS; k++) {
    bound *= ((pFar + k - 1) / k) * y;
    const e = e0 + k;
    let ratio: number;
    if (q >= 0 || e > 0) {
      q = q >= 0 ? oneMinusRho + rho * q : -Math.expm1(-e * delta);
      ratio = ((bound * q) / e) * invI0;
    } else if (invI0 > 0 && -e * delta < 700) {
      ratio = bound * (e === 0 ? delta : Math.expm1(-e * delta) / -e) * invI0;
    } else {
      ratio = bound * Math.exp(logExpm1Over(-e, delta) - logI0);
    }
    sum += k % 2 === 1 ? -ratio : ratio;
    const next = (pFar + k > k + 1 ? (pFar + k) / (k + 1) : 1) * y;
    if (next < 1 && bound * next <= 1e-17 * sum * (1 - next)) {
      return -pFar * Math.log(gap) + e0 * Math.log(near + b) + logI0 + Math.log(sum);
    }
  }
  return NaN;
}

/** ln(expm1(eΔ)/e) for Δ > 0 and any real e (ln Δ at e = 0): ln of ∫_0^Δ e^{ev} dv. */
function logExpm1Over(e: number, delta: number): number {
  if (e === 0) return Math.log(delta);
  const t = e * delta;
  if (t > 36) return t + Math.log1p(-Math.exp(-t)) - Math.log(e);
  return Math.log(Math.expm1(t) / e);
}
