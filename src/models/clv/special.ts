/**
 * Special functions for the buy-till-you-die models: log-gamma, log-beta, the Gauss hypergeometric function and
 * log-sum-exp. Pure number crunching, no allocation in the hot paths.
 */

// Lanczos coefficients for g = 671/128, n = 14 (Press et al., Numerical Recipes 3rd ed., §6.1, `gammln`).
const LANCZOS_G = 5.2421875;
const LANCZOS: readonly number[] = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 0.00003399464998481189,
  0.00004652362892704858, -0.00009837447530487956, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 0.00008441822398385275, -0.000026190838401581408,
  0.0000036899182659531625,
];
// The same doubles as the book's 18-digit literals, written at the precision a double holds.
const SQRT_2PI = 2.5066282746310007;

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (g = 671/128, 14 terms); relative error about 1e-15 over
 * (0, ∞), absolute error about 1e-15 near the zeros at 1 and 2. Returns NaN for x ≤ 0 or NaN, +Infinity for
 * x = +Infinity. Cost O(1). Reference: Press et al. (2007) Numerical Recipes 3rd ed., §6.1.
 */
export function lgamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0.5) {
    // Γ(x) = Γ(x + 1) / x keeps the series in its most accurate range for tiny x.
    return lgamma(x + 1) - Math.log(x);
  }
  let y = x;
  const tmp = x + LANCZOS_G;
  const head = (x + 0.5) * Math.log(tmp) - tmp;
  let ser = 0.9999999999999971;
  for (let j = 0; j < 14; j++) ser += LANCZOS[j]! / ++y;
  return head + Math.log((SQRT_2PI * ser) / x);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0. Cost O(1).
 */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ln(e^a + e^b) without overflow; −Infinity when both are −Infinity. */
export function logAddExp(a: number, b: number): number {
  const m = a > b ? a : b;
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * ln(e^a − e^b) for a ≥ b (the log of a difference of positive numbers); −Infinity when a = b, NaN when a < b.
 */
export function logSubExp(a: number, b: number): number {
  if (b > a) return NaN;
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  const d = b - a;
  // log1p(-e^d) loses accuracy for d near 0; log(-expm1(d)) does not.
  return a + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

/**
 * ln Σ exp(values[i]) over `values[from..to)`, shifted by the maximum so that nothing overflows. Returns
 * −Infinity for an empty range. Cost O(n).
 */
export function logSumExp(values: ArrayLike<number>, from = 0, to = values.length): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v > m) m = v;
  }
  if (m === -Infinity || m === Infinity || Number.isNaN(m)) return m;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(values[i]! - m);
  return m + Math.log(s);
}

/** Upper bound on the number of series terms before `hyp2f1` gives up and reports NaN. */
export const HYP2F1_MAX_TERMS = 500_000;

/**
 * ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, where every series term is positive. Sums the Gauss series
 * with a running rescale (so huge a, b such as r + x for x = 500 cannot overflow) and stops when a geometric bound
 * on the tail is below 1e-16 of the sum. Returns NaN outside that domain or when the series has not converged
 * within `HYP2F1_MAX_TERMS` terms (z very close to 1). Cost O(terms) ≈ O(log(1e-16) / log z).
 * Reference: Abramowitz & Stegun 15.1.1.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1)) return NaN;
  if (z === 0) return 0;
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (sum > 1e250) {
      logScale += Math.log(sum);
      term /= sum;
      sum = 1;
    }
    if (ratio < 1) {
      // From here on the term ratio never exceeds max(ratio, z) (it tends to z monotonically), so the tail is
      // bounded by a geometric series.
      const bound = ratio > z ? ratio : z;
      if (term * bound <= 1e-16 * sum * (1 - bound)) return logScale + Math.log(sum);
    }
  }
  return NaN;
}

/**
 * ₂F₁(a, b; c; z) for |z| < 1 and c not a non-positive integer, by the Gauss series with a convergence check;
 * returns NaN when the series does not converge within `HYP2F1_MAX_TERMS` terms. For positive parameters and
 * 0 ≤ z < 1 prefer `logHyp2f1`, which cannot overflow. Cost O(terms). Reference: Abramowitz & Stegun 15.1.1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (a > 0 && b > 0 && c > 0 && z >= 0 && z < 1) return Math.exp(logHyp2f1(a, b, c, z));
  if (!(Math.abs(z) < 1) || (c <= 0 && Number.isInteger(c))) return NaN;
  let term = 1;
  let sum = 1;
  const az = Math.abs(z);
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    const r = Math.abs(ratio);
    if (r < 1) {
      const bound = r > az ? r : az;
      if (Math.abs(term) * bound <= 1e-16 * Math.abs(sum) * (1 - bound)) return sum;
    }
  }
  return NaN;
}
