/**
 * Gamma-Gamma model of spend per transaction: a customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ)
 * across customers, independent of the purchase process. Fitted on repeat buyers only (x > 0) with their mean
 * repeat-transaction value z̄. Reference: Fader, Hardie & Lee (2005) "RFM and CLV: Using Iso-Value Curves",
 * JMR 42(4); Hardie note 025 "The Gamma-Gamma Model of Monetary Value".
 */
import { InputError, type InputIssue } from '../../core/errors.js';
import { fitPositive, type FitOptions, type FitResult } from './fit.js';
import { lgamma } from './special.js';

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

/** Repeat buyers' summaries: x > 0 repeat transactions of mean value z̄ > 0. */
export interface SpendSummary {
  readonly frequency: Float64Array;
  readonly monetary: Float64Array;
  readonly weights?: Float64Array;
}

const NAMES = ['p', 'q', 'gamma'] as const;

/** ln f(z̄ | x) of one customer (note 025, eq. 4). Cost O(1). */
export function gammaGammaLogLikelihoodOne(prm: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, gamma } = prm;
  const px = p * x;
  return (
    lgamma(px + q) - lgamma(px) - lgamma(q) + q * Math.log(gamma) + (px - 1) * Math.log(zbar) + px * Math.log(x) -
    (px + q) * Math.log(gamma + x * zbar)
  );
}

/** Weighted total log-likelihood. Cost O(n). */
export function gammaGammaLogLikelihood(prm: GammaGammaParams, s: SpendSummary): number {
  let total = 0;
  for (let i = 0; i < s.frequency.length; i++) {
    const w = s.weights ? s.weights[i]! : 1;
    if (w !== 0) total += w * gammaGammaLogLikelihoodOne(prm, s.frequency[i]!, s.monetary[i]!);
  }
  return total;
}

/**
 * Fits p, q, γ by maximum likelihood. Every row must be a repeat buyer (whole x > 0, finite z̄ > 0); filter
 * first with `repeatBuyers`. Cost O(evaluations × rows).
 */
export function fitGammaGamma(s: SpendSummary, options: FitOptions = {}): FitResult<GammaGammaParams> {
  validateSpend(s);
  let mean = 0;
  for (let i = 0; i < s.monetary.length; i++) mean += s.monetary[i]! / s.monetary.length;
  return fitPositive(
    NAMES,
    (v) => gammaGammaLogLikelihood({ p: v[0]!, q: v[1]!, gamma: v[2]! }, s),
    [
      [1, 1, mean],
      [5, 3, mean / 2],
    ],
    options,
  );
}

/**
 * The rows with x > 0 and mean spend > 0 of a (frequency, monetary) pair of columns, as a `SpendSummary`
 * (the model's support is z̄ > 0: repeat buyers whose repeat days were all free, as a few in CDNOW, are left out).
 * Cost O(n).
 */
export function repeatBuyers(frequency: Float64Array, monetary: Float64Array): SpendSummary {
  const keep: number[] = [];
  for (let i = 0; i < frequency.length; i++) if (frequency[i]! > 0 && monetary[i]! > 0) keep.push(i);
  return {
    frequency: Float64Array.from(keep, (i) => frequency[i]!),
    monetary: Float64Array.from(keep, (i) => monetary[i]!),
  };
}

function validateSpend(s: SpendSummary): void {
  const n = s.frequency.length;
  if (s.monetary.length !== n || (s.weights && s.weights.length !== n)) {
    throw new InputError(`Gamma-Gamma requires frequency, monetary${s.weights ? ' and weights' : ''} of one length (got ${n}, ${s.monetary.length}${s.weights ? `, ${s.weights.length}` : ''})`);
  }
  if (n === 0) throw new InputError('Gamma-Gamma requires at least one repeat buyer (got 0 rows)');
  const issues: InputIssue[] = [];
  for (let i = 0; i < n && issues.length < 10; i++) {
    const x = s.frequency[i]!;
    const z = s.monetary[i]!;
    if (!(Number.isInteger(x) && x > 0)) issues.push({ path: `row ${i}`, message: `frequency must be a whole number > 0 (got ${x})` });
    else if (!(Number.isFinite(z) && z > 0)) issues.push({ path: `row ${i}`, message: `monetary must be finite and > 0 (got ${z})` });
  }
  if (issues.length > 0) throw new InputError(`Gamma-Gamma rejected ${issues.length} row(s): ${issues[0]!.path}: ${issues[0]!.message}`, issues);
}

/**
 * E[Z | x, z̄] = p (γ + x z̄) / (p x + q − 1): the expected mean transaction value of a customer (note 025, eq. 5);
 * for x = 0 it is the population mean p γ / (q − 1). Cost O(1).
 */
export function gammaGammaConditionalExpectedSpend(prm: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, gamma } = prm;
  return x > 0 ? (p * (gamma + x * zbar)) / (p * x + q - 1) : (p * gamma) / (q - 1);
}
