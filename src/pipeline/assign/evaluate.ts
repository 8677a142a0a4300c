/**
 * Cross-validation of the segment classifier, grouped by customer: stratified k-fold over the run's customers (by
 * segment), each fold's model trained on the other customers' rows — their full history and (unless turned off) one
 * short history each — and scored on the held-out customers only, so no customer is ever judged by a model that saw any of their rows.
 *
 * Full history: accuracy, macro-F1, per-class recall/precision/F1 and the confusion matrix against the run's K-means
 * labels, for the classifier and the logistic baseline. Partial history: for each evaluation horizon, among customers
 * whose history was really cut, how often the held-out classifier, the baseline and nearest-centroid placement (the
 * run's own rule, needing no training) name the customer's full-history K-means segment.
 * Cost: k fits of the classifier and k of the baseline.
 */
import { createMatrix, type FeatureMatrix } from '../../models/matrix.js';
import { confusionMatrix, foldRows, stratifiedKFold, takeRows } from '../../models/supervised/index.js';
import { fitSegmentClassifier, type SegmentModel } from './classifier.js';
import { classScores } from './class-scores.js';

export interface PartialRows {
  readonly days: number;
  /** Clustering space, rows aligned with the full-history rows. */
  readonly matrix: FeatureMatrix;
  readonly truncated: Uint8Array;
  /** Nearest-centroid cluster of each row. */
  readonly nearest: Int32Array;
}

export interface SegmentCvInput {
  readonly full: FeatureMatrix;
  /** One short-history row per customer (aligned with `full`), added to the training rows; null: full rows only. */
  readonly short: FeatureMatrix | null;
  /** The run's K-means cluster per customer. */
  readonly y: Int32Array;
  readonly partial: readonly PartialRows[];
  readonly k: number;
  readonly names: readonly string[];
}

export interface SegmentCvOptions {
  readonly model: SegmentModel;
  readonly folds: number;
  readonly seed: number;
  readonly onFold?: (done: number) => void;
}

export interface ClassReport {
  readonly cluster: number;
  readonly name: string;
  readonly customers: number;
  readonly recall: number;
  readonly precision: number;
  readonly f1: number;
}

export interface PartialAgreement {
  readonly days: number;
  /** Customers whose history was longer than `days` (the others are not partially observed at this horizon). */
  readonly customers: number;
  /** Share of them whose predicted segment equals their full-history K-means segment; null without customers. */
  readonly classifier: number | null;
  readonly baseline: number | null;
  readonly nearestCentroid: number | null;
}

export interface SegmentEvaluation {
  readonly folds: number;
  readonly customers: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perClass: readonly ClassReport[];
  /** confusion[true][predicted], out-of-fold counts. */
  readonly confusion: readonly (readonly number[])[];
  readonly baseline: { readonly model: 'logistic'; readonly accuracy: number; readonly macroF1: number };
  readonly partial: readonly PartialAgreement[];
}

export function crossValidateSegments(input: SegmentCvInput, options: SegmentCvOptions): SegmentEvaluation {
  const { full, short, y, k, partial } = input;
  const n = y.length;
  const testFold = stratifiedKFold(y, options.folds, { shuffle: true, seed: options.seed });
  const pred = new Int32Array(n);
  const base = new Int32Array(n);
  const partialPred = partial.map(() => new Int32Array(n));
  const partialBase = partial.map(() => new Int32Array(n));
  for (let f = 0; f < options.folds; f++) {
    const { train, test } = foldRows(testFold, f);
    const X = short ? stackRows(takeRows(full, train), takeRows(short, train)) : takeRows(full, train);
    const yt = trainingLabels(y, train, short ? 2 : 1);
    const model = fitSegmentClassifier(options.model, X, yt, k, options.seed);
    const baseline = options.model === 'logistic' ? model : fitSegmentClassifier('logistic', X, yt, k, options.seed);
    scatter(model.predict(takeRows(full, test)), test, pred);
    scatter(baseline.predict(takeRows(full, test)), test, base);
    partial.forEach((p, j) => {
      const rows = takeRows(p.matrix, test);
      scatter(model.predict(rows), test, partialPred[j]!);
      scatter(baseline.predict(rows), test, partialBase[j]!);
    });
    options.onFold?.(f + 1);
  }
  const confusion = confusionMatrix(y, pred, k);
  const scores = classScores(confusion, k);
  const baseScores = classScores(confusionMatrix(y, base, k), k);
  return {
    folds: options.folds,
    customers: n,
    accuracy: scores.accuracy,
    macroF1: scores.macroF1,
    perClass: Array.from({ length: k }, (_, c) => ({
      cluster: c, name: input.names[c] ?? `Segment ${c + 1}`, customers: scores.support[c]!,
      recall: scores.recall[c]!, precision: scores.precision[c]!, f1: scores.f1[c]!,
    })),
    confusion: Array.from({ length: k }, (_, t) => Array.from(confusion.subarray(t * k, t * k + k))),
    baseline: { model: 'logistic', accuracy: baseScores.accuracy, macroF1: baseScores.macroF1 },
    partial: partial.map((p, j) => ({
      days: p.days,
      customers: count(p.truncated),
      classifier: agreement(partialPred[j]!, y, p.truncated),
      baseline: agreement(partialBase[j]!, y, p.truncated),
      nearestCentroid: agreement(p.nearest, y, p.truncated),
    })),
  };
}

/** The rows of `a` then the rows of `b` (same columns). */
export function stackRows(a: FeatureMatrix, b: FeatureMatrix): FeatureMatrix {
  const values = new Float64Array(a.values.length + b.values.length);
  values.set(a.values);
  values.set(b.values, a.values.length);
  return createMatrix(values, a.rows + b.rows, a.cols, [...a.ids, ...b.ids], a.columns);
}

/** y of `rows`, repeated `copies` times (once per block of stacked rows). */
export function trainingLabels(y: Int32Array, rows: Int32Array, copies: number): Int32Array {
  const out = new Int32Array(copies * rows.length);
  for (let c = 0; c < copies; c++) for (let i = 0; i < rows.length; i++) out[c * rows.length + i] = y[rows[i]!]!;
  return out;
}

function scatter(from: Int32Array, rows: Int32Array, into: Int32Array): void {
  for (let i = 0; i < rows.length; i++) into[rows[i]!] = from[i]!;
}

function count(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i]!;
  return n;
}

/** Share of flagged rows where pred equals y; null when no row is flagged. */
function agreement(pred: Int32Array, y: Int32Array, flags: Uint8Array): number | null {
  let n = 0;
  let same = 0;
  for (let i = 0; i < y.length; i++) {
    if (flags[i] !== 1) continue;
    n++;
    if (pred[i] === y[i]) same++;
  }
  return n > 0 ? same / n : null;
}
