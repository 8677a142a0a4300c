/**
 * Pareto/NBD model of repeat purchasing in continuous time: purchases at rate λ ~ Gamma(r, α) while alive, and an
 * exponential lifetime with rate μ ~ Gamma(s, β). References: Schmittlein, Morrison & Colombo (1987), Management
 * Science 33(1); Fader & Hardie (2005) "A Note on Deriving the Pareto/NBD Model and Related Expressions".
 */
import { fitPositive, type FitOptions, type FitResult } from './fit.js';
import { paretoEndpoints, paretoLogA0, paretoLogA0Rows, type ParetoEndpoints } from './pareto-a0.js';
import { lgamma, logAddExp } from './special.js';
import { groupSummary, validateSummary, type RfmSummary } from './summary.js';

export { paretoEndpoints, paretoLogA0, type ParetoEndpoints } from './pareto-a0.js';

export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

const NAMES = ['r', 'alpha', 's', 'beta'] as const;

/** ln L of one customer (x, t_x, T); finite for x = 500, T = 10,000. Cost O(terms of A₀), a few dozen. */
export function paretoNbdLogLikelihoodOne(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const head = lgamma(p.r + x) - lgamma(p.r) + p.r * Math.log(p.alpha);
  return rowLogLikelihood(p, head, Math.log(p.s) + p.s * Math.log(p.beta), x, T, paretoLogA0(p, x, tx, T));
}

/**
 * ln L of one row from its x-dependent gamma part plus r ln α (`head`), ln s + s ln β (`deadHead`) and ln A₀:
 * ln Γ(r+x)/Γ(r) α^r β^s [(α+T)^{−(r+x)} (β+T)^{−s} + s/(r+s+x) A₀], with β^s (β+T)^{−s} taken as (1 + T/β)^{−s}
 * so that it keeps its digits as β → ∞ (the "no dropout" edge).
 */
function rowLogLikelihood(p: ParetoNbdParams, head: number, deadHead: number, x: number, T: number, logA0: number): number {
  const { r, alpha, s, beta } = p;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log1p(T / beta);
  const dead = deadHead - Math.log(r + s + x) + logA0;
  return head + logAddExp(alive, dead);
}

/**
 * Weighted total log-likelihood of a summary. ln Γ(r+x) − ln Γ(r) is tabulated once per call by the recurrence
 * ln Γ(r+x+1) = ln Γ(r+x) + ln(r+x), and A₀'s Gauss series is summed once per distinct (x, t) end point (pass
 * `ends` from `paretoEndpoints` to reuse them across calls). Trusts its input; `fitParetoNbd` validates.
 * Cost O(n × terms of A₀ + max x).
 */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, s: RfmSummary, ends?: ParetoEndpoints): number {
  const n = s.frequency.length;
  let maxX = 0;
  for (let i = 0; i < n; i++) if (s.frequency[i]! > maxX) maxX = s.frequency[i]!;
  const gx = new Float64Array(maxX + 1);
  for (let x = 1; x <= maxX; x++) gx[x] = gx[x - 1]! + Math.log(p.r + x - 1);
  const logA0 = paretoLogA0Rows(p, s.frequency, s.recency, s.T, ends ?? paretoEndpoints(s.frequency, s.recency, s.T), new Float64Array(n));
  const base = p.r * Math.log(p.alpha);
  const deadHead = Math.log(p.s) + p.s * Math.log(p.beta);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = s.weights ? s.weights[i]! : 1;
    const x = s.frequency[i]!;
    if (w !== 0) total += w * rowLogLikelihood(p, base + gx[x]!, deadHead, x, s.T[i]!, logA0[i]!);
  }
  return total;
}

/**
 * Fits r, α, s, β by maximum likelihood (restarted Nelder–Mead on log-parameters from several starts). Identical
 * (x, t_x, T) rows are grouped into weighted rows first (`groupSummary`) and their end points indexed once
 * (`paretoEndpoints`). When the data show no dropout the maximum lies at the edge (s → 0 or β → ∞, the NBD
 * limit): the fit then stops where the log-likelihood no longer changes in double precision and reports converged,
 * with extreme s or β for the caller to flag. Cost O(n + evaluations × distinct rows × terms of A₀).
 */
export function fitParetoNbd(s: RfmSummary, options: FitOptions = {}): FitResult<ParetoNbdParams> {
  validateSummary('Pareto/NBD', s);
  let meanT = 0;
  for (let i = 0; i < s.T.length; i++) meanT += s.T[i]! / s.T.length;
  const rows = groupSummary(s);
  const ends = paretoEndpoints(rows.frequency, rows.recency, rows.T);
  return fitPositive(
    NAMES,
    (v) => paretoNbdLogLikelihood({ r: v[0]!, alpha: v[1]!, s: v[2]!, beta: v[3]! }, rows, ends),
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
