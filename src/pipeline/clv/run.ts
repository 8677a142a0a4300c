/**
 * CLV from an input: summary (from transactions or given), purchase-model fit (BG/NBD, Pareto/NBD or MBG/NBD),
 * Gamma-Gamma spend, per-customer P(alive), expected purchases, expected spend and CLV over a horizon, and — with
 * a holdout — tracking and per-customer accuracy against a naive past-rate baseline.
 */
import { InputError } from '../../core/errors.js';
import {
  bgnbdConditionalExpected, bgnbdProbabilityAlive, customerLifetimeValue, fitBgNbd, fitGammaGamma, fitMbgNbd, fitParetoNbd,
  gammaGammaConditionalExpectedSpend, groupSummary, holdoutTracking, mbgnbdConditionalExpected, mbgnbdProbabilityAlive,
  paretoNbdConditionalExpected, paretoNbdProbabilityAlive, repeatBuyers, summarise,
  type ConditionalExpected, type FitOptions, type FitResult, type RfmSummary, type TrackingTable,
} from '../../models/clv/index.js';
import type { ClvInput } from './read.js';

export const CLV_MODELS = ['bgnbd', 'pareto', 'mbgnbd'] as const;
export type ClvModel = (typeof CLV_MODELS)[number];

export interface ClvRunOptions {
  readonly model: ClvModel;
  readonly unit: 'days' | 'weeks';
  /** YYYY-MM-DD, inclusive; required for transactions. */
  readonly calibrationEnd?: string;
  /** YYYY-MM-DD, inclusive; transactions only. */
  readonly holdoutEnd?: string;
  /** Fit Gamma-Gamma for spend (needs amounts); default true when amounts are present. */
  readonly spend?: boolean;
  /** CLV periods (default 12) of `periodLength` units (default a month: 30 days or 4.345 weeks). */
  readonly horizonPeriods?: number;
  readonly periodLength?: number;
  /** Discount rate per period (default 0.01). */
  readonly discountRate?: number;
  /** Report a non-converged fit, flagged, instead of failing. */
  readonly allowUnconverged?: boolean;
  /** Optimiser options passed to both fits (iteration caps, tolerances). */
  readonly fitOptions?: FitOptions;
}

export interface FitSummary {
  readonly params: Readonly<Record<string, number>>;
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly message: string;
}

export interface Accuracy {
  /** Pearson correlation of predicted and actual holdout repeat purchases; null when either is constant. */
  readonly correlation: number | null;
  readonly mae: number;
}

export interface ClvReport {
  readonly source: string;
  readonly model: ClvModel;
  readonly unit: 'days' | 'weeks';
  readonly customers: number;
  /** Customers left out: first purchase after the calibration end, or observed for 0 time (T = 0). */
  readonly excluded: { readonly firstPurchaseAfterCalibration: number; readonly zeroT: number };
  readonly ignoredTransactions: number;
  readonly fit: FitSummary;
  readonly spendFit: (FitSummary & { readonly repeatBuyers: number }) | null;
  readonly horizon: { readonly periods: number; readonly periodLength: number; readonly length: number; readonly discountRate: number };
  readonly ids: readonly string[];
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly pAlive: Float64Array;
  readonly expectedPurchases: Float64Array;
  readonly expectedSpend: Float64Array | null;
  readonly clv: Float64Array | null;
  readonly holdout: HoldoutReport | null;
  readonly warnings: readonly string[];
}

export interface HoldoutReport {
  readonly duration: number;
  readonly tracking: TrackingTable;
  readonly predicted: Float64Array;
  readonly actual: Float64Array;
  readonly naive: Float64Array;
  readonly model: Accuracy;
  readonly baseline: Accuracy;
}

interface Bound {
  readonly fit: FitResult<object>;
  readonly alive: (x: number, tx: number, T: number) => number;
  readonly expected: ConditionalExpected;
}

const FITTERS: { readonly [K in ClvModel]: (s: RfmSummary, o: FitOptions) => Bound } = {
  bgnbd: (s, o) => {
    const fit = fitBgNbd(s, o);
    return { fit, alive: (x, tx, T) => bgnbdProbabilityAlive(fit.params, x, tx, T), expected: (t, x, tx, T) => bgnbdConditionalExpected(fit.params, t, x, tx, T) };
  },
  pareto: (s, o) => {
    const fit = fitParetoNbd(s, o);
    return { fit, alive: (x, tx, T) => paretoNbdProbabilityAlive(fit.params, x, tx, T), expected: (t, x, tx, T) => paretoNbdConditionalExpected(fit.params, t, x, tx, T) };
  },
  mbgnbd: (s, o) => {
    const fit = fitMbgNbd(s, o);
    return { fit, alive: (x, tx, T) => mbgnbdProbabilityAlive(fit.params, x, tx, T), expected: (t, x, tx, T) => mbgnbdConditionalExpected(fit.params, t, x, tx, T) };
  },
};

const MODEL_NAMES: { readonly [K in ClvModel]: string } = { bgnbd: 'BG/NBD', pareto: 'Pareto/NBD', mbgnbd: 'MBG/NBD' };

/** Runs the whole CLV computation. Throws InputError for bad input and Error for a non-converged fit (unless allowed). */
export function runClv(input: ClvInput, options: ClvRunOptions): ClvReport {
  const warnings: string[] = [];
  const prepared = prepare(input, options);
  const { keep, monetary } = prepared;
  const rfm = { frequency: pick(prepared.frequency, keep), recency: pick(prepared.recency, keep), T: pick(prepared.T, keep) };
  const ids = keep.map((i) => prepared.ids[i]!);
  const n = ids.length;
  if (n === 0) throw new InputError(`clv requires at least one customer with T > 0 (got 0 of ${prepared.ids.length})`);

  const model = FITTERS[options.model](groupSummary(rfm), options.fitOptions ?? {});
  checkConverged(MODEL_NAMES[options.model], model.fit, options, warnings);

  const periods = options.horizonPeriods ?? 12;
  const periodLength = options.periodLength ?? (options.unit === 'weeks' ? 4.345 : 30);
  const discountRate = options.discountRate ?? 0.01;
  const length = periods * periodLength;
  const pAlive = new Float64Array(n);
  const expectedPurchases = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pAlive[i] = model.alive(rfm.frequency[i]!, rfm.recency[i]!, rfm.T[i]!);
    expectedPurchases[i] = model.expected(length, rfm.frequency[i]!, rfm.recency[i]!, rfm.T[i]!);
  }

  const wantSpend = options.spend ?? monetary !== undefined;
  let spendFit: ClvReport['spendFit'] = null;
  let expectedSpend: Float64Array | null = null;
  let clv: Float64Array | null = null;
  if (wantSpend) {
    if (!monetary) throw new InputError(`clv --spend gamma-gamma requires amounts (an amount column in transactions, or monetary in a summary) (got none in ${input.source})`);
    const m = pick(monetary, keep);
    const buyers = repeatBuyers(rfm.frequency, m);
    const gg = fitGammaGamma(buyers, options.fitOptions);
    checkConverged('Gamma-Gamma', gg, options, warnings);
    if (!(gg.params.q > 1)) warnings.push(`Gamma-Gamma q = ${gg.params.q} ≤ 1: expected spend of customers without repeat purchases is unbounded`);
    spendFit = { ...summary(gg), repeatBuyers: buyers.frequency.length };
    expectedSpend = Float64Array.from({ length: n }, (_, i) => gammaGammaConditionalExpectedSpend(gg.params, rfm.frequency[i]!, m[i]!));
    clv = customerLifetimeValue(model.expected, rfm.frequency, rfm.recency, rfm.T, expectedSpend, { periods, periodLength, discountRate });
  }

  const holdout = prepared.holdout ? holdoutReport(model.expected, rfm, prepared.holdout.frequency, prepared.holdout.duration, keep, prepared.holdoutForTracking, options.unit) : null;
  const nonFinite = [pAlive, expectedPurchases, expectedSpend, clv].reduce((k, col) => k + (col ? countNonFinite(col) : 0), 0);
  if (nonFinite > 0) warnings.push(`${nonFinite} per-customer value(s) were not finite and are reported as null`);
  return {
    source: input.source, model: options.model, unit: options.unit, customers: n,
    excluded: { firstPurchaseAfterCalibration: prepared.excludedCustomers, zeroT: prepared.ids.length - n },
    ignoredTransactions: prepared.ignoredTransactions,
    fit: summary(model.fit), spendFit,
    horizon: { periods, periodLength, length, discountRate },
    ids, ...rfm, pAlive, expectedPurchases, expectedSpend, clv, holdout, warnings,
  };
}

interface Prepared {
  readonly ids: readonly string[];
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly monetary?: Float64Array;
  readonly keep: number[];
  readonly excludedCustomers: number;
  readonly ignoredTransactions: number;
  readonly holdout?: { readonly frequency: Float64Array; readonly duration: number };
  readonly holdoutForTracking?: { readonly offsets: Int32Array; readonly times: Float64Array };
}

function prepare(input: ClvInput, options: ClvRunOptions): Prepared {
  if (input.kind === 'summary') {
    if (options.holdoutEnd !== undefined) throw new InputError(`clv --holdout-end requires transactions, not a summary (got a summary in ${input.source})`);
    const s = input.summary;
    // zero T rows are dropped and counted; the fit's validation names any other bad row
    const keep = Array.from({ length: s.T.length }, (_, i) => i).filter((i) => s.T[i] !== 0);
    return { ...s, keep, excludedCustomers: 0, ignoredTransactions: 0 };
  }
  if (options.calibrationEnd === undefined) throw new InputError('clv requires --calibration-end for transactions (got none)');
  const s = summarise(input.transactions, { calibrationEnd: options.calibrationEnd, unit: options.unit, ...(options.holdoutEnd !== undefined ? { observationEnd: options.holdoutEnd } : {}) });
  const keep = Array.from({ length: s.T.length }, (_, i) => i).filter((i) => s.T[i]! > 0);
  const amounts = input.transactions.amount !== undefined;
  if (s.holdout && !(s.holdout.duration > 0)) throw new InputError(`clv requires --holdout-end after --calibration-end (got ${options.holdoutEnd} and ${options.calibrationEnd})`);
  return {
    ids: s.ids, frequency: s.frequency, recency: s.recency, T: s.T, ...(amounts ? { monetary: s.monetary } : {}), keep,
    excludedCustomers: s.excludedCustomers, ignoredTransactions: s.ignoredTransactions,
    ...(s.holdout ? { holdout: { frequency: s.holdout.frequency, duration: s.holdout.duration }, holdoutForTracking: { offsets: s.holdout.offsets, times: s.holdout.times } } : {}),
  };
}

function holdoutReport(
  expected: ConditionalExpected, rfm: RfmSummary, frequency: Float64Array, duration: number, keep: readonly number[],
  csr: { readonly offsets: Int32Array; readonly times: Float64Array } | undefined, unit: 'days' | 'weeks',
): HoldoutReport {
  const n = keep.length;
  const actual = pick(frequency, keep);
  const offsets = new Int32Array(n + 1);
  const times: number[] = [];
  keep.forEach((c, i) => {
    if (csr) for (let j = csr.offsets[c]!; j < csr.offsets[c + 1]!; j++) times.push(csr.times[j]!);
    offsets[i + 1] = times.length;
  });
  const tracking = holdoutTracking(expected, rfm, { frequency: actual, duration, offsets, times: Float64Array.from(times) }, unit === 'weeks' ? 1 : 7);
  const predicted = new Float64Array(n);
  const naive = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    predicted[i] = expected(duration, rfm.frequency[i]!, rfm.recency[i]!, rfm.T[i]!);
    naive[i] = (rfm.frequency[i]! / rfm.T[i]!) * duration;
  }
  return { duration, tracking, predicted, actual, naive, model: accuracy(predicted, actual), baseline: accuracy(naive, actual) };
}

/** Pearson correlation (two-pass, null for a constant column) and mean absolute error. Cost O(n). */
export function accuracy(predicted: Float64Array, actual: Float64Array): Accuracy {
  const n = predicted.length;
  let mp = 0;
  let ma = 0;
  for (let i = 0; i < n; i++) {
    mp += predicted[i]!;
    ma += actual[i]!;
  }
  mp /= n;
  ma /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    const dp = predicted[i]! - mp;
    const da = actual[i]! - ma;
    sxy += dp * da;
    sxx += dp * dp;
    syy += da * da;
    abs += Math.abs(predicted[i]! - actual[i]!);
  }
  const correlation = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
  return { correlation: correlation !== null && Number.isFinite(correlation) ? correlation : null, mae: abs / n };
}

/** What a fit at the edge of the parameter space usually means, per model. */
const EDGE_HINTS: Readonly<Record<string, string>> = {
  'BG/NBD': 'a → 0 means no dropout, P(alive) ≈ 1',
  'MBG/NBD': 'a → 0 means no dropout, P(alive) ≈ 1',
  'Pareto/NBD': 's/β → 0 means no dropout (the NBD limit), P(alive) ≈ 1; s and β both large mean one dropout rate s/β for all',
};

function checkConverged(model: string, fit: FitResult<object>, options: ClvRunOptions, warnings: string[]): void {
  const finite = Number.isFinite(fit.logLikelihood) && Object.values(fit.params as Record<string, number>).every(Number.isFinite);
  if (fit.converged && finite) {
    const edge = Object.entries(fit.params as Record<string, number>).filter(([, v]) => v < 1e-5 || v > 1e5);
    if (edge.length > 0) {
      const hint = EDGE_HINTS[model];
      warnings.push(`${model} parameter(s) at the edge of the space (${edge.map(([k, v]) => `${k}=${v.toPrecision(3)}`).join(', ')}): the model is degenerate on this data${hint ? ` (${hint})` : ''}`);
    }
    return;
  }
  const reason = `${model} fit did not converge: ${fit.message} (log-likelihood ${fit.logLikelihood}, ${fit.iterations} iterations)`;
  if (!options.allowUnconverged) throw new Error(`${reason}; rerun with --allow-unconverged to see the flagged results`);
  warnings.push(`NOT CONVERGED — ${reason}`);
}

function summary(fit: FitResult<object>): FitSummary {
  return { params: { ...(fit.params as Record<string, number>) }, logLikelihood: fit.logLikelihood, converged: fit.converged, iterations: fit.iterations, message: fit.message };
}

function pick(col: Float64Array, keep: readonly number[]): Float64Array {
  return Float64Array.from(keep, (i) => col[i]!);
}

function countNonFinite(col: Float64Array): number {
  let k = 0;
  for (let i = 0; i < col.length; i++) if (!Number.isFinite(col[i]!)) k++;
  return k;
}
