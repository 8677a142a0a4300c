/**
 * BG/BB (beta-geometric / beta-Bernoulli) model for discrete transaction opportunities (one per period): while
 * alive a customer transacts with probability p ~ Beta(α, β) each period and drops out before each period with
 * probability θ ~ Beta(γ, δ). Reference: Fader, Hardie & Shang (2010), Marketing Science 29(6), 1086–1108.
 */
import { InputError } from '../../core/errors.js';
import { fitPositive, type FitOptions, type FitResult } from './fit.js';
import { lbeta, logAddExp } from './special.js';
import { validateSummary, type RfmSummary } from './summary.js';

export interface BgBbParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly delta: number;
}

/** Discrete-time summary: x transactions in n = `periods` opportunities, the last at opportunity t_x. */
export interface BgBbSummary {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly periods: Float64Array;
  readonly weights?: Float64Array;
}

const NAMES = ['alpha', 'beta', 'gamma', 'delta'] as const;

/** ln of the "alive through n" part of the likelihood: B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ). */
function logAliveTerm(p: BgBbParams, x: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  return lbeta(alpha + x, beta + n - x) - lbeta(alpha, beta) + lbeta(gamma, delta + n) - lbeta(gamma, delta);
}

/** ln L of one customer (x, t_x, n) (FHS 2010, eq. 5); a log-sum over the n − t_x dropout periods. Cost O(n − t_x). */
export function bgbbLogLikelihoodOne(p: BgBbParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  let ll = logAliveTerm(p, x, n);
  const base = -lbeta(alpha, beta) - lbeta(gamma, delta);
  for (let i = 0; i < n - tx; i++) {
    ll = logAddExp(ll, base + lbeta(alpha + x, beta + tx - x + i) + lbeta(gamma + 1, delta + tx + i));
  }
  return ll;
}

/** Weighted total log-likelihood. Cost O(Σ (n − t_x)). */
export function bgbbLogLikelihood(p: BgBbParams, s: BgBbSummary): number {
  let total = 0;
  for (let i = 0; i < s.frequency.length; i++) {
    const w = s.weights ? s.weights[i]! : 1;
    if (w !== 0) total += w * bgbbLogLikelihoodOne(p, s.frequency[i]!, s.recency[i]!, s.periods[i]!);
  }
  return total;
}

/**
 * Fits α, β, γ, δ by maximum likelihood. Frequency, recency and periods must be whole numbers with
 * x ≤ t_x ≤ n. Cost O(evaluations × Σ (n − t_x)).
 */
export function fitBgBb(s: BgBbSummary, options: FitOptions = {}): FitResult<BgBbParams> {
  validateBgBb(s);
  return fitPositive(
    NAMES,
    (v) => bgbbLogLikelihood({ alpha: v[0]!, beta: v[1]!, gamma: v[2]!, delta: v[3]! }, s),
    [
      [1, 1, 1, 1],
      [0.5, 2, 0.5, 3],
    ],
    options,
  );
}

function validateBgBb(s: BgBbSummary): void {
  const asRfm: RfmSummary = { frequency: s.frequency, recency: s.recency, T: s.periods, ...(s.weights ? { weights: s.weights } : {}) };
  validateSummary('BG/BB', asRfm, 'periods');
  for (let i = 0; i < s.frequency.length; i++) {
    const x = s.frequency[i]!;
    const tx = s.recency[i]!;
    const n = s.periods[i]!;
    if (!Number.isInteger(tx) || !Number.isInteger(n) || x > tx) {
      throw new InputError(
        `BG/BB requires whole-number recency and periods with frequency ≤ recency (got row ${i}: frequency=${x}, recency=${tx}, periods=${n})`,
        [{ path: `row ${i}`, message: 'frequency ≤ recency ≤ periods, all whole numbers' }],
      );
    }
  }
}

/**
 * P(alive in period n + m | x, t_x, n) (FHS 2010, eq. 11 with m = 1, the default): the alive-through-n share of
 * the likelihood times the chance of surviving m more periods. Cost O(n − t_x).
 */
export function bgbbProbabilityAlive(p: BgBbParams, x: number, tx: number, n: number, m = 1): number {
  const { gamma, delta } = p;
  const logAlive = logAliveTerm(p, x, n) + lbeta(gamma, delta + n + m) - lbeta(gamma, delta + n);
  return Math.exp(logAlive - bgbbLogLikelihoodOne(p, x, tx, n));
}

/**
 * E[X(n, n + n*) | x, t_x, n]: expected transactions in the next n* periods (FHS 2010, eq. 13). Evaluated as the
 * posterior weight of "alive at n" × E[p | data] × Σ_{i=1..n*} E[(1−θ)^i | alive at n], a product that stays
 * finite at γ = 1 where the paper's closed form has a removable singularity. Cost O(n − t_x + n*).
 */
export function bgbbConditionalExpected(p: BgBbParams, nStar: number, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const weightAlive = Math.exp(logAliveTerm(p, x, n) - bgbbLogLikelihoodOne(p, x, tx, n));
  const meanP = (alpha + x) / (alpha + beta + n);
  let survive = 1;
  let sum = 0;
  for (let i = 0; i < nStar; i++) {
    survive *= (delta + n + i) / (gamma + delta + n + i);
    sum += survive;
  }
  return weightAlive * meanP * sum;
}
