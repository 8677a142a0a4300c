/**
 * Stratified k-fold cross-validation of any classifier: fits on k−1 folds, scores the held-out fold, and reports
 * per-fold and mean accuracy, ROC AUC, average precision, log loss and Brier score, plus the out-of-fold
 * probabilities. Binary: metrics on the class-1 probability; multi-class: ROC AUC and average precision are
 * one-vs-rest macro averages and Brier is the multi-class score. Cost k fits.
 */
import type { FeatureMatrix } from '../matrix.js';
import { averagePrecision, averagePrecisionOvr } from './average-precision.js';
import { brierScore, brierScoreMulticlass } from './brier.js';
import { accuracy } from './confusion.js';
import { logLoss } from './log-loss.js';
import { rocAuc, rocAucOvr } from './roc-auc.js';
import { foldRows, stratifiedKFold, takeEntries, takeRows } from './stratified-k-fold.js';
import type { FitClassifier } from './types.js';
import { argmaxRows, fail, validateClassification } from './validate.js';

export interface CrossValidateOptions {
  /** Fold count (default 5); ignored when `testFold` is given. */
  readonly k?: number;
  readonly seed?: number;
  /** Shuffle within classes before dealing folds (default true). */
  readonly shuffle?: boolean;
  /** A ready fold assignment 0..k−1 per row (e.g. scikit-learn's, to compare on the same split). */
  readonly testFold?: Int32Array;
  readonly sampleWeight?: Float64Array;
}

export interface FoldScores {
  readonly accuracy: number;
  readonly rocAuc: number;
  readonly averagePrecision: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly testRows: number;
}

export interface CrossValidation {
  readonly folds: FoldScores[];
  readonly mean: FoldScores;
  readonly testFold: Int32Array;
  /** Out-of-fold probabilities, rows × nClasses. */
  readonly proba: Float64Array;
}

/** Scores held-out probabilities of one fold. */
export function scoreProba(y: Int32Array, proba: Float64Array, C: number, sampleWeight?: Float64Array): Omit<FoldScores, 'testRows'> {
  const pred = argmaxRows(proba, C);
  if (C === 2) {
    const p1 = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) p1[i] = proba[2 * i + 1]!;
    return {
      accuracy: accuracy(y, pred, sampleWeight),
      rocAuc: rocAuc(y, p1, sampleWeight),
      averagePrecision: averagePrecision(y, p1, sampleWeight),
      logLoss: logLoss(y, proba, 2, sampleWeight),
      brier: brierScore(y, p1, sampleWeight),
    };
  }
  return {
    accuracy: accuracy(y, pred, sampleWeight),
    rocAuc: rocAucOvr(y, proba, C, sampleWeight),
    averagePrecision: averagePrecisionOvr(y, proba, C, sampleWeight),
    logLoss: logLoss(y, proba, C, sampleWeight),
    brier: brierScoreMulticlass(y, proba, C, sampleWeight),
  };
}

export function crossValidate(fit: FitClassifier, X: FeatureMatrix, y: Int32Array, options: CrossValidateOptions = {}): CrossValidation {
  const C = validateClassification('crossValidate', X, y, options.sampleWeight);
  const testFold = options.testFold ?? stratifiedKFold(y, options.k ?? 5, { shuffle: options.shuffle ?? true, seed: options.seed ?? 0 });
  if (testFold.length !== y.length) fail(`crossValidate requires one test fold per row (got ${testFold.length}, rows=${y.length})`, 'testFold');
  let k = 0;
  for (let i = 0; i < testFold.length; i++) k = Math.max(k, testFold[i]! + 1);
  const proba = new Float64Array(y.length * C);
  const folds: FoldScores[] = [];
  for (let f = 0; f < k; f++) {
    const { train, test } = foldRows(testFold, f);
    if (test.length === 0) fail(`crossValidate requires every fold 0..${k - 1} to have rows (fold ${f} is empty)`, 'testFold');
    const sw = options.sampleWeight;
    const model = fit(takeRows(X, train), takeEntries(y, train), sw ? takeEntries(sw, train) : undefined);
    if (model.nClasses !== C) fail(`crossValidate requires the model to predict ${C} classes (fold ${f} model has ${model.nClasses}); pass nClasses to the fit`, 'fit');
    const p = model.predictProba(takeRows(X, test));
    for (let r = 0; r < test.length; r++) proba.set(p.subarray(r * C, r * C + C), test[r]! * C);
    const yt = takeEntries(y, test);
    folds.push({ ...scoreProba(yt, p, C, sw ? takeEntries(sw, test) : undefined), testRows: test.length });
  }
  const avg = (key: keyof FoldScores): number => folds.reduce((s, fs) => s + fs[key], 0) / folds.length;
  const mean: FoldScores = {
    accuracy: avg('accuracy'),
    rocAuc: avg('rocAuc'),
    averagePrecision: avg('averagePrecision'),
    logLoss: avg('logLoss'),
    brier: avg('brier'),
    testRows: avg('testRows'),
  };
  return { folds, mean, testFold, proba };
}
