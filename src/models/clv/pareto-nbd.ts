/**
 * Pareto/NBD model of repeat purchasing in continuous time: purchases at rate λ ~ Gamma(r, α) while alive, and an
 * exponential lifetime with rate μ ~ Gamma(s, β). References: Schmittlein, Morrison & Colombo (1987), Management
 * Science 33(1); Fader & Hardie (2005) "A Note on Deriving the Pareto/NBD Model and Related Expressions".
 */
import { fitPositive, type FitOptions, type FitResult } from './fit.js';
import { lgamma, logAddExp, logHyp2f1, logSubExp } from './special.js';
import { validateSummary, type RfmSummary } from './summary.js';

export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

const NAMES = ['r', 'alpha', 's', 'beta'] as const;

/**
 * ln A₀ of Fader & Hardie's note (eq. 20–21), written as one ₂F₁ per end point over a common denominator so that
 * it stays in logs: with m = max(α, β), |α − β| and c = r+s+x, A₀ = F(t_x)/(m+t_x)^c − F(T)/(m+T)^c where
 * F(u) = ₂F₁(c, s+1 or r+x; c+1; |α−β|/(m+u)). −Infinity when t_x = T (A₀ = 0).
 */
export function paretoLogA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const c = r + s + x;
  const alphaLarger = alpha >= beta;
  const m = alphaLarger ? alpha : beta;
  const diff = Math.abs(alpha - beta);
  const second = alphaLarger ? s + 1 : r + x;
  const atTx = logHyp2f1(c, second, c + 1, diff / (m + tx)) - c * Math.log(m + tx);
  const atT = logHyp2f1(c, second, c + 1, diff / (m + T)) - c * Math.log(m + T);
  return logSubExp(atTx, atT);
}

/** ln L of one customer (x, t_x, T); finite for x = 500, T = 10,000. Cost O(terms of ₂F₁). */
export function paretoNbdLogLikelihoodOne(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const dead = Math.log(s) - Math.log(r + s + x) + paretoLogA0(p, x, tx, T);
  return a1 + logAddExp(alive, dead);
}

/** Weighted total log-likelihood of a summary. Cost O(n × terms of ₂F₁). */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, s: RfmSummary): number {
  let total = 0;
  for (let i = 0; i < s.frequency.length; i++) {
    const w = s.weights ? s.weights[i]! : 1;
    if (w !== 0) total += w * paretoNbdLogLikelihoodOne(p, s.frequency[i]!, s.recency[i]!, s.T[i]!);
  }
  return total;
}

/** Fits r, α, s, β by maximum likelihood from several starts. Cost O(evaluations × rows × terms of ₂F₁). */
export function fitParetoNbd(s: RfmSummary, options: FitOptions = {}): FitResult<ParetoNbdParams> {
  validateSummary('Pareto/NBD', s);
  let meanT = 0;
  for (let i = 0; i < s.T.length; i++) meanT += s.T[i]! / s.T.length;
  return fitPositive(
    NAMES,
    (v) => paretoNbdLogLikelihood({ r: v[0]!, alpha: v[1]!, s: v[2]!, beta: v[3]! }, s),
    [
      [1, meanT, 1, meanT],
      [0.5, meanT / 4, 0.5, meanT / 2],
    ],
    options,
  );
}

/** P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) (α+T)^{r+x} (β+T)^s A₀) (Fader & Hardie note, eq. 23). Cost O(₂F₁). */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const lodds =
    Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + paretoLogA0(p, x, tx, T);
  return Math.exp(-logAddExp(0, lodds));
}

/**
 * E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}] · P(alive) (Fader & Hardie note,
 * eq. 25); the bracket over (s−1) is evaluated with expm1 and tends to ln((β+T+t)/(β+T)) at s = 1. Cost O(₂F₁).
 */
export function paretoNbdConditionalExpected(p: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const logRatio = Math.log1p(t / (beta + T));
  const sm1 = s - 1;
  const growth = Math.abs(sm1) < 1e-12 ? logRatio : -Math.expm1(-sm1 * logRatio) / sm1;
  return (((r + x) * (beta + T)) / (alpha + T)) * growth * paretoNbdProbabilityAlive(p, x, tx, T);
}
