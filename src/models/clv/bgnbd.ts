/**
 * BG/NBD (beta-geometric / negative binomial distribution) model of repeat purchasing in continuous time:
 * purchases at rate λ ~ Gamma(r, α) while alive, and after each purchase the customer drops out with probability
 * p ~ Beta(a, b). Reference: Fader, Hardie & Lee (2005) "Counting Your Customers the Easy Way", Marketing Science
 * 24(2), 275–284.
 */
import { fitPositive, type FitOptions, type FitResult } from './fit.js';
import { lbeta, lgamma, logAddExp, logHyp2f1 } from './special.js';
import { validateSummary, type RfmSummary } from './summary.js';

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

const NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** ln L of one customer (x, t_x, T), computed in logs so that x = 500, T = 10,000 stays finite. Cost O(1). */
export function bgnbdLogLikelihoodOne(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
  const a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return a1 + a2 + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return a1 + a2 + logAddExp(a3, a4);
}

/**
 * Weighted total log-likelihood of a summary. The x-dependent gamma terms are tabulated once per call by the
 * recurrence ln Γ(r+x+1) = ln Γ(r+x) + ln(r+x), so each row costs three logs. Cost O(n + max x).
 * Trusts its input; `fitBgNbd` validates.
 */
export function bgnbdLogLikelihood(p: BgNbdParams, s: RfmSummary): number {
  const { r, alpha, a, b } = p;
  let maxX = 0;
  for (let i = 0; i < s.frequency.length; i++) if (s.frequency[i]! > maxX) maxX = s.frequency[i]!;
  // gx[x] = ln Γ(r+x) − ln Γ(r) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x) + ln Γ(a+b)
  const gx = new Float64Array(maxX + 1);
  for (let x = 1; x <= maxX; x++) gx[x] = gx[x - 1]! + Math.log(r + x - 1) + Math.log(b + x - 1) - Math.log(a + b + x - 1);
  const base = r * Math.log(alpha);
  const logA = Math.log(a);
  let total = 0;
  for (let i = 0; i < s.frequency.length; i++) {
    const w = s.weights ? s.weights[i]! : 1;
    if (w === 0) continue;
    const x = s.frequency[i]!;
    const a3 = -(r + x) * Math.log(alpha + s.T[i]!);
    const tail = x === 0 ? a3 : logAddExp(a3, logA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + s.recency[i]!));
    total += w * (base + gx[x]! + tail);
  }
  return total;
}

/**
 * Fits r, α, a, b by maximum likelihood (restarted Nelder–Mead on log-parameters from several starts).
 * Group identical rows with `groupSummary` first for large inputs. Cost O(evaluations × rows).
 */
export function fitBgNbd(s: RfmSummary, options: FitOptions = {}): FitResult<BgNbdParams> {
  validateSummary('BG/NBD', s);
  const scale = meanT(s);
  return fitPositive(
    NAMES,
    (v) => bgnbdLogLikelihood({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! }, s),
    [
      [1, scale, 1, 1],
      [0.5, scale / 4, 0.5, 3],
    ],
    options,
  );
}

/** ln of (1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^{r+x}), the denominator shared by P(alive) and E[Y]. */
function logDeadOdds1p(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 0;
  const { r, alpha, a, b } = p;
  const lodds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return logAddExp(0, lodds);
}

/** P(alive | x, t_x, T) (FHL 2005, eq. 11). Cost O(1). */
export function bgnbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  return Math.exp(-logDeadOdds1p(p, x, tx, T));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T) (FHL 2005, eq. 10).
 * Cost O(terms of ₂F₁), a few dozen for t of the order of T.
 */
export function bgnbdConditionalExpected(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const logTail = (r + x) * Math.log1p(-z) + logHyp2f1(r + x, b + x, a + b + x - 1, z);
  const numerator = ((a + b + x - 1) / (a - 1)) * -Math.expm1(logTail);
  return numerator * Math.exp(-logDeadOdds1p(p, x, tx, T));
}

/** E[X(t)]: expected purchases in (0, t] of a new customer (FHL 2005, eq. 9). Cost O(terms of ₂F₁). */
export function bgnbdExpected(p: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + t);
  const logTail = r * Math.log1p(-z) + logHyp2f1(r, b, a + b - 1, z);
  return ((a + b - 1) / (a - 1)) * -Math.expm1(logTail);
}

/**
 * P(X(t) = n) for a new customer (FHL 2005, eq. 8): probability of exactly n purchases in (0, t]. Cost O(n).
 */
export function bgnbdProbabilityOfN(p: BgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = p;
  const logP = Math.log(alpha / (alpha + t));
  const logQ = Math.log(t / (alpha + t));
  // ln NBD(j) = ln Γ(r+j) − ln Γ(r) − ln j! + r ln p + j ln q
  const logNbd = (j: number): number => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * logP + (j > 0 ? j * logQ : 0);
  const first = Math.exp(lbeta(a, b + n) - lbeta(a, b) + logNbd(n));
  if (n === 0) return first;
  let cdf = 0;
  for (let j = 0; j < n; j++) cdf += Math.exp(logNbd(j));
  return first + Math.exp(lbeta(a + 1, b + n - 1) - lbeta(a, b)) * Math.max(0, 1 - cdf);
}

function meanT(s: RfmSummary): number {
  let sum = 0;
  for (let i = 0; i < s.T.length; i++) sum += s.T[i]!;
  return sum / s.T.length;
}
