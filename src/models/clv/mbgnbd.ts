/**
 * MBG/NBD (modified BG/NBD): as BG/NBD, but a customer may also drop out right after the first purchase, so that
 * customers with no repeat purchase are not all alive. Reference: Batislam, Denizel & Filiztekin (2007),
 * International Journal of Research in Marketing 24(3), 201–209.
 */
import { fitPositive, type FitOptions, type FitResult } from './fit.js';
import { lgamma, logAddExp, logHyp2f1 } from './special.js';
import { validateSummary, type RfmSummary } from './summary.js';

export interface MbgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

const NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** ln L of one customer (x, t_x, T), in logs; finite for x = 500, T = 10,000. Cost O(1). */
export function mbgnbdLogLikelihoodOne(p: MbgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
  const a2 = lgamma(a + b) + lgamma(b + x + 1) - lgamma(b) - lgamma(a + b + x + 1);
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return a1 + a2 + a3 + logAddExp(a4, 0);
}

/** Weighted total log-likelihood of a summary. Cost O(n). */
export function mbgnbdLogLikelihood(p: MbgNbdParams, s: RfmSummary): number {
  let total = 0;
  for (let i = 0; i < s.frequency.length; i++) {
    const w = s.weights ? s.weights[i]! : 1;
    if (w !== 0) total += w * mbgnbdLogLikelihoodOne(p, s.frequency[i]!, s.recency[i]!, s.T[i]!);
  }
  return total;
}

/** Fits r, α, a, b by maximum likelihood from several starts. Cost O(evaluations × rows). */
export function fitMbgNbd(s: RfmSummary, options: FitOptions = {}): FitResult<MbgNbdParams> {
  validateSummary('MBG/NBD', s);
  let meanT = 0;
  for (let i = 0; i < s.T.length; i++) meanT += s.T[i]! / s.T.length;
  return fitPositive(
    NAMES,
    (v) => mbgnbdLogLikelihood({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! }, s),
    [
      [1, meanT, 1, 1],
      [0.5, meanT / 4, 0.5, 3],
    ],
    options,
  );
}

/** ln(1 + a/(b+x) ((α+T)/(α+t_x))^{r+x}); applies for every x, zero included. */
function logDeadOdds1p(p: MbgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  return logAddExp(0, Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)));
}

/** P(alive | x, t_x, T) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^{r+x}) (Batislam et al. 2007). Cost O(1). */
export function mbgnbdProbabilityAlive(p: MbgNbdParams, x: number, tx: number, T: number): number {
  return Math.exp(-logDeadOdds1p(p, x, tx, T));
}

/**
 * E[Y(t) | x, t_x, T] = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive)
 * (Batislam et al. 2007, eq. 8). Cost O(terms of ₂F₁).
 */
export function mbgnbdConditionalExpected(p: MbgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const logTail = (r + x) * Math.log1p(-z) + logHyp2f1(r + x, b + x + 1, a + b + x, z);
  return ((a + b + x) / (a - 1)) * -Math.expm1(logTail) * Math.exp(-logDeadOdds1p(p, x, tx, T));
}
