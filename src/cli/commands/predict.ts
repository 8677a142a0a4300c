import { InputError, describeValue } from '../../core/errors.js';
import { createProgress } from '../../core/progress.js';
import { assignSegments, SEGMENT_MODELS, type SegmentAssignmentResult } from '../../pipeline/assign/index.js';
import { predictCustomers, PREDICT_MODELS, PREDICT_TARGETS, type PredictionResult } from '../../pipeline/predict/index.js';
import { dateFlag, intFlag, parse } from '../args.js';
import { json, table } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

const SUBJECTS = [...PREDICT_TARGETS, 'segment'] as const;

export const predictCommand: Command = {
  summary: 'churn risk or purchase propensity per customer, or the segment of new customers (a classifier on the latest run); stored in customer_predictions',
  usage: 'segmenta predict churn|propensity [--horizon 90d|13w (default 90d)] [--as-of DATE] [--model gbt|forest|logistic (default gbt)] [--seed S (default 42)] [--top N (default 10)] [--db FILE] [--json]\n' +
    '       segmenta predict segment [--model gbt|forest|logistic (default gbt)] [--folds N (default 5)] [--short-history MIN-MAX|off (default 7-120)] [--as-of DATE] [--seed S (default 42)] [--db FILE] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse('predict', argv, {
      horizon: { type: 'string' }, 'as-of': { type: 'string' }, model: { type: 'string', default: 'gbt' }, seed: { type: 'string' }, top: { type: 'string' }, folds: { type: 'string' }, 'short-history': { type: 'string' },
    });
    const subject = oneOf('segmenta predict target', positionals[0], SUBJECTS);
    if (positionals.length > 1) throw new InputError(`segmenta predict takes one target (got ${positionals.map((p) => describeValue(p)).join(', ')})`);
    const seed = intFlag('seed', values.seed, 42);
    const asOf = dateFlag('as-of', values['as-of']);
    if (subject === 'segment') {
      for (const flag of ['horizon', 'top'] as const) if (values[flag] !== undefined) throw new InputError(`--${flag} does not apply to segmenta predict segment (got ${describeValue(values[flag])})`);
      const model = oneOf('--model', values.model, SEGMENT_MODELS);
      const folds = intFlag('folds', values.folds, 5, 2, 20);
      const progress = createProgress(io.interactive && !values.json);
      const shortHistoryDays = shortHistoryFlag(values['short-history']);
      const result = await withStore(values.db, (store) => assignSegments(store, { model, folds, seed, asOf, shortHistoryDays, progress }));
      io.out(values.json ? json(result) : formatAssignment(result));
      return 0;
    }
    for (const flag of ['folds', 'short-history'] as const) {
      if (values[flag] !== undefined) throw new InputError(`--${flag} applies only to segmenta predict segment (got ${describeValue(values[flag])})`);
    }
    const model = oneOf('--model', values.model, PREDICT_MODELS);
    const result = await withStore(values.db, (store) =>
      predictCustomers(store, {
        target: subject, model, horizonDays: horizonFlag(values.horizon ?? '90d'), asOf, seed, top: intFlag('top', values.top, 10, 0, 10_000),
      }),
    );
    io.out(values.json ? json(result) : formatPrediction(result));
    return 0;
  },
};

/** `90d`, `13w` or a bare number of days → days. */
export function horizonFlag(value: string | undefined): number {
  const m = /^(\d+)\s*([dw]?)$/.exec(value ?? '');
  const days = m ? Number(m[1]) * (m[2] === 'w' ? 7 : 1) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new InputError(`--horizon must be a number of days or weeks like 90d or 13w, between 1 and 3650 days (got ${describeValue(value)})`);
  }
  return days;
}

/** `7-120` → { min: 7, max: 120 }; `off` → null (train on full histories only). */
export function shortHistoryFlag(value: string | undefined): { min: number; max: number } | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'off') return null;
  const m = /^(\d+)-(\d+)$/.exec(value);
  const [min, max] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(min >= 1 && max >= min && max <= 3650)) {
    throw new InputError(`--short-history must be a range of days like 7-120 (1 <= min <= max <= 3650) or off (got ${describeValue(value)})`);
  }
  return { min, max };
}

function oneOf<T extends string>(subject: string, value: string | undefined, allowed: readonly T[]): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${subject} must be one of ${allowed.join(', ')} (got ${value === undefined ? 'none' : describeValue(value)})`);
}

function formatPrediction(r: PredictionResult): string {
  const e = r.evaluation;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const what = r.target === 'churn' ? 'no purchase' : 'a purchase';
  return [
    `${r.target}: P(${what} within ${r.horizonDays} days after ${r.asOf.toISOString().slice(0, 10)}), model ${r.model}, seed ${r.seed}`,
    `trained on features as of ${r.cutoff.toISOString().slice(0, 10)} and outcomes up to the as-of: ${r.training.customers} customers, ${pct(r.training.positiveRate)} positive`,
    '',
    `held-out evaluation (${e.testRows} customers, trained on ${e.trainRows}):`,
    table(['ROC AUC', 'PR AUC', 'log loss', 'Brier', 'accuracy', 'base rate'], [[e.rocAuc, e.prAuc, e.logLoss, e.brier, e.accuracy, e.baseRate].map(round3)]),
    '',
    'calibration (held-out):',
    table(['bin', 'customers', 'predicted', 'observed'], e.reliability.map((b) => [`${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`, b.count, round3(b.predicted), round3(b.observed)])),
    '',
    'permutation importance (drop of held-out ROC AUC):',
    table(['feature', 'mean', 'std'], e.importance.map((f) => [f.feature, round3(f.mean), round3(f.std)])),
    '',
    `scores of ${r.scores.customers} customers (mean ${round3(r.scores.mean)}), deciles:`,
    table(['p0', 'p10', 'p20', 'p30', 'p40', 'p50', 'p60', 'p70', 'p80', 'p90', 'p100'], [r.scores.deciles.map(round3)]),
    '',
    `top ${r.target === 'churn' ? 'risk' : 'propensity'}:`,
    table(['customer', 'probability'], r.scores.top.map((t) => [t.customerId, round3(t.probability)])),
    '',
    `${r.written} rows written to customer_predictions`,
  ].join('\n');
}

function formatAssignment(r: SegmentAssignmentResult): string {
  const e = r.evaluation;
  const share = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);
  return [
    `segment: placing customers in the ${r.k} segments of run ${r.runId} (features as of ${day(r.runAsOf)}), model ${r.model}, seed ${r.seed}`,
    `trained on ${r.training.customers} customers: their full history${r.training.shortHistoryDays ? ` and their first ${r.training.shortHistoryDays.min}–${r.training.shortHistoryDays.max} days` : ' only'}`,
    '',
    `${e.folds}-fold cross-validation (grouped by customer), against the run's K-means segments:`,
    table(['model', 'accuracy', 'macro-F1'], [[r.model, share(e.accuracy), round3(e.macroF1)], ['logistic baseline', share(e.baseline.accuracy), round3(e.baseline.macroF1)]]),
    '',
    table(['segment', 'customers', 'recall', 'precision', 'F1'], e.perClass.map((c) => [c.name, c.customers, round3(c.recall), round3(c.precision), round3(c.f1)])),
    '',
    'partially observed customers (first N days of history only): share whose segment named is their full-history segment',
    table(['first days', 'customers', 'classifier', 'logistic baseline', 'nearest centroid'], e.partial.map((p) => [p.days, p.customers, share(p.classifier), share(p.baseline), share(p.nearestCentroid)])),
    '',
    `placed ${r.assigned.customers} customers as of ${day(r.asOf)}:`,
    table(['segment', 'customers', 'share', 'mean probability'], r.assigned.segments.map((s) => [s.name, s.customers, share(s.share), s.meanProbability === null ? '–' : round3(s.meanProbability)])),
    '',
    `${r.written} rows written to customer_predictions`,
  ].join('\n');
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
