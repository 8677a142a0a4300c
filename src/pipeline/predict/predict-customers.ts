/**
 * Churn risk and purchase propensity per customer, trained on a time split of the customers' own history:
 *
 *   cutoff = asOf − horizon. Features as of the cutoff; label = what the customer did in [cutoff, asOf):
 *   propensity → bought (a kept purchase order); churn → had bought before the cutoff and did not buy in the window
 *   (only customers who had bought before the cutoff are in the churn population).
 *
 * The model is evaluated on held-out customers (see `evaluateHeldOut`), refitted on every labelled customer, and
 * applied to the features as of `asOf` to give P(target within the next horizon) per customer, stored in
 * `customer_predictions` (the held-out evaluation in `prediction_models`). `customer_features` is left as of `asOf`. Same store, options and seed → same probabilities.
 * Cost: two feature computations (one scan of the facts each) plus two model fits.
 */
import { InputError, describeValue } from '../../core/errors.js';
import { defaultAsOf } from '../../features/index.js';
import type { Store } from '../../store/db.js';
import { evaluateHeldOut, type Evaluation } from './evaluate.js';
import { fitPredictModel, positiveProbability, PREDICT_MODELS, type PredictModel } from './model.js';
import { buyersBetween, featureSnapshot, rowsWhere, selectColumns, writeModelRecord, writePredictions } from './snapshot.js';
import { takeRows } from '../../models/supervised/index.js';
import { scoreDistribution, type ScoreDistribution } from './distribution.js';

export const PREDICT_TARGETS = ['churn', 'propensity'] as const;
export type PredictTarget = (typeof PREDICT_TARGETS)[number];

export interface PredictOptions {
  readonly target: PredictTarget;
  /** Days ahead the prediction covers; also the length of the training label window. */
  readonly horizonDays: number;
  /** Only facts before this instant are used. Default: the day after the last fact (`defaultAsOf`). */
  readonly asOf?: Date;
  readonly seed: number;
  /** Default 'gbt' (gradient-boosted trees). */
  readonly model?: PredictModel;
  /** The run's clock, for `created_at`. Default: now. */
  readonly now?: Date;
  /** How many top customers the result lists (default 10). */
  readonly top?: number;
}

export interface PredictionResult {
  readonly target: PredictTarget;
  readonly horizonDays: number;
  readonly model: PredictModel;
  readonly seed: number;
  readonly asOf: Date;
  /** asOf − horizon: training features are as of this instant, labels come from [cutoff, asOf). */
  readonly cutoff: Date;
  readonly features: readonly string[];
  readonly training: { readonly customers: number; readonly positives: number; readonly positiveRate: number };
  readonly evaluation: Evaluation;
  readonly scores: ScoreDistribution;
  /** Rows written to customer_predictions. */
  readonly written: number;
}

const DAY_MS = 86_400_000;
/** Each class needs this many training customers for the stratified split and a meaningful fit. */
const MIN_PER_CLASS = 8;

export async function predictCustomers(store: Store, options: PredictOptions): Promise<PredictionResult> {
  const { target, horizonDays, seed } = options;
  const model = options.model ?? 'gbt';
  validate(options, model);
  const asOf = options.asOf ?? (await defaultAsOf(store));
  if (Number.isNaN(asOf.getTime())) throw new InputError('predict requires a valid as-of date (got Invalid Date)');
  const cutoff = new Date(asOf.getTime() - horizonDays * DAY_MS);
  const now = options.now ?? new Date();

  const past = await featureSnapshot(store, cutoff, now);
  const pastBuyers = await buyersBetween(store, null, cutoff);
  const windowBuyers = await buyersBetween(store, cutoff, asOf);
  const current = await featureSnapshot(store, asOf, now);
  const currentBuyers = target === 'churn' ? await buyersBetween(store, null, asOf) : null;

  const columns = past.columns.filter((c) => current.columns.includes(c));
  const trainRows = target === 'churn' ? rowsWhere(past, (id) => pastBuyers.has(id)) : rowsWhere(past, () => true);
  const X = selectColumns(takeRows(past, trainRows), columns);
  const y = new Int32Array(X.rows);
  let positives = 0;
  for (let i = 0; i < X.rows; i++) {
    const bought = windowBuyers.has(X.ids[i]!);
    y[i] = (target === 'churn' ? !bought : bought) ? 1 : 0;
    positives += y[i]!;
  }
  if (positives < MIN_PER_CLASS || X.rows - positives < MIN_PER_CLASS) {
    throw new InputError(`predict ${target} requires at least ${MIN_PER_CLASS} customers of each outcome in the training window ${day(cutoff)}..${day(asOf)} (got ${positives} positive, ${X.rows - positives} negative of ${X.rows}); choose another --as-of or --horizon`);
  }

  const evaluation = evaluateHeldOut(model, X, y, seed);
  const fitted = fitPredictModel(model, X, y, seed);
  const scoreRows = currentBuyers ? rowsWhere(current, (id) => currentBuyers.has(id)) : rowsWhere(current, () => true);
  const S = selectColumns(takeRows(current, scoreRows), columns);
  const probability = positiveProbability(fitted, S);
  const written = await store.transaction(async () => {
    const n = await writePredictions(store, { target, horizonDays, model, asOf, createdAt: now, ids: S.ids, probability });
    const e = evaluation;
    const metrics = { rocAuc: e.rocAuc, prAuc: e.prAuc, logLoss: e.logLoss, brier: e.brier, accuracy: e.accuracy, baseRate: e.baseRate, testRows: e.testRows, meanProbability: mean(probability) };
    await writeModelRecord(store, { target, horizonDays, model, runId: null, asOf, createdAt: now, customers: n, metrics });
    return n;
  });
  return {
    target, horizonDays, model, seed, asOf, cutoff, features: columns,
    training: { customers: X.rows, positives, positiveRate: positives / X.rows },
    evaluation,
    scores: scoreDistribution(S.ids, probability, options.top ?? 10),
    written,
  };
}

function validate(options: PredictOptions, model: string): void {
  if (!(PREDICT_TARGETS as readonly string[]).includes(options.target)) {
    throw new InputError(`predict target must be one of ${PREDICT_TARGETS.join(', ')} (got ${describeValue(options.target)})`);
  }
  if (!(PREDICT_MODELS as readonly string[]).includes(model)) {
    throw new InputError(`predict model must be one of ${PREDICT_MODELS.join(', ')} (got ${describeValue(model)})`);
  }
  if (!Number.isInteger(options.horizonDays) || options.horizonDays < 1 || options.horizonDays > 3650) {
    throw new InputError(`predict horizon must be a whole number of days between 1 and 3650 (got ${options.horizonDays})`);
  }
  if (!Number.isFinite(options.seed)) throw new InputError(`predict seed must be a finite number (got ${options.seed})`);
}

function mean(values: Float64Array): number | null {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length > 0 ? sum / values.length : null;
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}
