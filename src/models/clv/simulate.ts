/**
 * Synthetic customers drawn from a BG/NBD process, for parameter-recovery checks and benchmarks.
 */
import type { Rng } from '../../core/rng.js';
import type { BgNbdParams } from './bgnbd.js';
import type { RfmSummary } from './summary.js';

/** Options of `simulateBgNbd`; times are whole days, reported in weeks like the CDNOW summaries. */
export interface SimulateOptions {
  /** Days from the first possible first purchase to the calibration end (default 272, CDNOW's 1997-01-01..09-30). */
  readonly calibrationDays?: number;
  /** First purchases fall uniformly on days 0 .. cohortDays−1 (default 84, CDNOW's first quarter). */
  readonly cohortDays?: number;
}

/**
 * Draws n customers: λ ~ Gamma(r, rate α) per week, p ~ Beta(a, b); purchases at Poisson rate λ, and after each
 * repeat purchase the customer drops out with probability p. Recency is floored to whole days (then /7), so that
 * identical rows can be grouped. All randomness from `rng`. Cost O(n + purchases).
 */
export function simulateBgNbd(p: BgNbdParams, n: number, rng: Rng, options: SimulateOptions = {}): RfmSummary {
  const calibrationDays = options.calibrationDays ?? 272;
  const cohortDays = options.cohortDays ?? 84;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const Tw = (calibrationDays - rng.int(cohortDays)) / 7;
    const lambda = gamma(rng, p.r) / p.alpha;
    const dropout = beta(rng, p.a, p.b);
    let t = 0;
    let x = 0;
    let last = 0;
    while (true) {
      t += -Math.log(1 - rng.next()) / lambda;
      if (!(t <= Tw)) break;
      x++;
      last = t;
      if (rng.next() < dropout) break;
    }
    frequency[i] = x;
    recency[i] = Math.floor(last * 7) / 7;
    T[i] = Tw;
  }
  return { frequency, recency, T };
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the U^{1/shape} boost for shape < 1. */
export function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  while (true) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as G_a / (G_a + G_b). */
export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  return x / (x + gamma(rng, b));
}
