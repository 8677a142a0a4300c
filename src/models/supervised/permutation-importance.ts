/**
 * Permutation feature importance (Breiman 2001; as scikit-learn's `permutation_importance`): how much a fitted
 * model's score drops when one column is shuffled, breaking its link to the target; mean and (population) standard
 * deviation over `nRepeats` seeded shuffles. Scores are "higher is better": accuracy, ROC AUC, average precision, or
 * the negative log loss. Model-agnostic; measure on held-out rows. Cost O(d · nRepeats) predictions.
 */
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { scoreProba } from './cross-validate.js';
import type { Classifier } from './types.js';
import { fail } from './validate.js';

export type ImportanceMetric = 'accuracy' | 'rocAuc' | 'averagePrecision' | 'negLogLoss';

export interface PermutationImportanceOptions {
  readonly metric?: ImportanceMetric;
  readonly nRepeats?: number;
  readonly seed?: number;
}

export interface PermutationImportance {
  readonly metric: ImportanceMetric;
  readonly baseline: number;
  /** Per column: mean drop of the score. */
  readonly mean: Float64Array;
  readonly std: Float64Array;
  /** Per column and repeat (cols × nRepeats): the drop. */
  readonly drops: Float64Array;
  readonly columns: readonly string[];
}

function score(model: Classifier, X: FeatureMatrix, y: Int32Array, metric: ImportanceMetric): number {
  const s = scoreProba(y, model.predictProba(X), model.nClasses);
  return metric === 'negLogLoss' ? -s.logLoss : s[metric];
}

export function permutationImportance(model: Classifier, X: FeatureMatrix, y: Int32Array, options: PermutationImportanceOptions = {}): PermutationImportance {
  const metric = options.metric ?? 'accuracy';
  const nRepeats = options.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1) fail(`permutationImportance requires an integer nRepeats >= 1 (got ${nRepeats})`, 'nRepeats');
  if (y.length !== X.rows) fail(`permutationImportance requires one label per row (got ${y.length} labels, rows=${X.rows})`, 'y');
  const rng = createRng(options.seed ?? 0);
  const baseline = score(model, X, y, metric);
  const { rows: n, cols: d } = X;
  const values = Float64Array.from(X.values);
  const shuffled = createMatrix(values, n, d, X.ids, X.columns);
  const perm = new Int32Array(n);
  const drops = new Float64Array(d * nRepeats);
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let r = 0; r < nRepeats; r++) {
      for (let i = 0; i < n; i++) perm[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const k = rng.int(i + 1);
        const v = perm[i]!;
        perm[i] = perm[k]!;
        perm[k] = v;
      }
      for (let i = 0; i < n; i++) values[i * d + j] = X.values[perm[i]! * d + j]!;
      drops[j * nRepeats + r] = baseline - score(model, shuffled, y, metric);
    }
    for (let i = 0; i < n; i++) values[i * d + j] = X.values[i * d + j]!;
    let m = 0;
    for (let r = 0; r < nRepeats; r++) m += drops[j * nRepeats + r]!;
    m /= nRepeats;
    let v = 0;
    for (let r = 0; r < nRepeats; r++) v += (drops[j * nRepeats + r]! - m) ** 2;
    mean[j] = m;
    std[j] = Math.sqrt(v / nRepeats);
  }
  return { metric, baseline, mean, std, drops, columns: X.columns };
}
