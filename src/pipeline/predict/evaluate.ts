/**
 * Held-out evaluation of a churn or propensity model: a stratified, seeded split of the training customers (one
 * quarter held out), the model fitted on the rest, and on the held-out rows ROC AUC, PR AUC (average precision), log
 * loss, Brier score, accuracy at 0.5, a reliability table and the permutation importance (ROC AUC drop) of the top
 * features. Cost: one fit plus d · 3 predictions of the held-out rows.
 */
import type { FeatureMatrix } from '../../models/matrix.js';
import {
  accuracy, averagePrecision, brierScore, logLoss, permutationImportance, reliabilityTable, rocAuc, stratifiedKFold,
  foldRows, takeRows, type ReliabilityBin,
} from '../../models/supervised/index.js';
import { fitPredictModel, positiveProbability, type PredictModel } from './model.js';

export interface FeatureImportance {
  readonly feature: string;
  /** Mean drop of the held-out ROC AUC when the column is shuffled. */
  readonly mean: number;
  readonly std: number;
}

export interface Evaluation {
  readonly trainRows: number;
  readonly testRows: number;
  /** Share of positives among the held-out customers. */
  readonly baseRate: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly accuracy: number;
  readonly reliability: readonly ReliabilityBin[];
  readonly importance: readonly FeatureImportance[];
}

/** Folds of the stratified split; fold 0 is held out. */
const FOLDS = 4;
const TOP_FEATURES = 8;

export function evaluateHeldOut(kind: PredictModel, X: FeatureMatrix, y: Int32Array, seed: number): Evaluation {
  const { train, test } = foldRows(stratifiedKFold(y, FOLDS, { shuffle: true, seed }), 0);
  const Xtest = takeRows(X, test);
  const ytest = takeLabels(y, test);
  const model = fitPredictModel(kind, takeRows(X, train), takeLabels(y, train), seed);
  const p = positiveProbability(model, Xtest);
  const proba = new Float64Array(2 * p.length);
  const pred = new Int32Array(p.length);
  let positives = 0;
  for (let i = 0; i < p.length; i++) {
    proba[2 * i] = 1 - p[i]!;
    proba[2 * i + 1] = p[i]!;
    pred[i] = p[i]! > 0.5 ? 1 : 0;
    positives += ytest[i]!;
  }
  const imp = permutationImportance(model, Xtest, ytest, { metric: 'rocAuc', nRepeats: 3, seed });
  const importance = imp.columns
    .map((feature, j) => ({ feature, mean: imp.mean[j]!, std: imp.std[j]! }))
    .sort((a, b) => b.mean - a.mean || a.feature.localeCompare(b.feature))
    .slice(0, TOP_FEATURES);
  return {
    trainRows: train.length,
    testRows: test.length,
    baseRate: positives / Math.max(test.length, 1),
    rocAuc: rocAuc(ytest, p),
    prAuc: averagePrecision(ytest, p),
    logLoss: logLoss(ytest, proba, 2),
    brier: brierScore(ytest, p),
    accuracy: accuracy(ytest, pred),
    reliability: reliabilityTable(ytest, p, 10),
    importance,
  };
}

function takeLabels(y: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]!]!;
  return out;
}
