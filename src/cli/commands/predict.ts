import { InputError, describeValue } from '../../core/errors.js';
import { predictCustomers, PREDICT_MODELS, PREDICT_TARGETS, type PredictionResult } from '../../pipeline/predict/index.js';
import { dateFlag, intFlag, parse } from '../args.js';
import { json, table } from '../output.js';
import type { Command } from './command.js';
import { withStore } from './open-store.js';

export const predictCommand: Command = {
  summary: 'churn risk or purchase propensity per customer, trained on a time split, stored in customer_predictions',
  usage: 'segmenta predict churn|propensity [--horizon 90d|13w (default 90d)] [--as-of DATE] [--model gbt|forest|logistic (default gbt)] [--seed S (default 42)] [--top N (default 10)] [--db FILE] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse('predict', argv, {
      horizon: { type: 'string', default: '90d' }, 'as-of': { type: 'string' }, model: { type: 'string', default: 'gbt' }, seed: { type: 'string' }, top: { type: 'string' },
    });
    const target = oneOf('segmenta predict target', positionals[0], PREDICT_TARGETS);
    if (positionals.length > 1) throw new InputError(`segmenta predict takes one target (got ${positionals.map((p) => describeValue(p)).join(', ')})`);
    const model = oneOf('--model', values.model, PREDICT_MODELS);
    const result = await withStore(values.db, (store) =>
      predictCustomers(store, {
        target, model, horizonDays: horizonFlag(values.horizon), asOf: dateFlag('as-of', values['as-of']), seed: intFlag('seed', values.seed, 42), top: intFlag('top', values.top, 10, 0, 10_000),
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

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
