/** Accuracy and the confusion matrix of predicted labels, weighted when sample weights are given (as scikit-learn). O(n). */
import { fail, validateWeights } from './validate.js';

function check(who: string, y: Int32Array, pred: Int32Array, C: number, sampleWeight?: Float64Array): void {
  if (pred.length !== y.length) fail(`${who} requires one prediction per label (got ${pred.length} predictions, ${y.length} labels)`, 'pred');
  for (let i = 0; i < y.length; i++) {
    if (y[i]! < 0 || y[i]! >= C) fail(`${who} requires labels in 0..${C - 1} (got ${y[i]} at row ${i + 1})`, `y[${i}]`);
    if (pred[i]! < 0 || pred[i]! >= C) fail(`${who} requires predictions in 0..${C - 1} (got ${pred[i]} at row ${i + 1})`, `pred[${i}]`);
  }
  if (sampleWeight) validateWeights(who, sampleWeight, y.length);
}

function maxLabel(a: Int32Array, b: Int32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!, b[i]!);
  return m + 1;
}

/** Share of rows (or of weight) whose prediction equals the label. */
export function accuracy(y: Int32Array, pred: Int32Array, sampleWeight?: Float64Array): number {
  check('accuracy', y, pred, Math.max(maxLabel(y, pred), 1), sampleWeight);
  let hit = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    if (y[i] === pred[i]) hit += w;
    total += w;
  }
  return hit / total;
}

/** C × C row-major counts (or weights): row = true class, column = predicted class (sklearn's layout). */
export function confusionMatrix(y: Int32Array, pred: Int32Array, C = maxLabel(y, pred), sampleWeight?: Float64Array): Float64Array {
  check('confusionMatrix', y, pred, C, sampleWeight);
  const m = new Float64Array(C * C);
  for (let i = 0; i < y.length; i++) m[y[i]! * C + pred[i]!]! += sampleWeight ? sampleWeight[i]! : 1;
  return m;
}
