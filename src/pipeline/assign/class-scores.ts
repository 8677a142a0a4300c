/**
 * Per-class scores from a confusion matrix (rows = true class, columns = predicted, as scikit-learn): recall,
 * precision and F1 per class, their macro average over the classes that occur (as `f1_score(average='macro')` with
 * the default labels = classes present in y or in the predictions; 0 where a denominator is 0, sklearn's
 * zero_division=0), and accuracy. O(k²).
 */
export interface ClassScores {
  readonly accuracy: number;
  readonly macroF1: number;
  /** Rows of each true class. */
  readonly support: Float64Array;
  readonly recall: Float64Array;
  readonly precision: Float64Array;
  readonly f1: Float64Array;
}

export function classScores(confusion: Float64Array, k: number): ClassScores {
  const support = new Float64Array(k);
  const predicted = new Float64Array(k);
  let total = 0;
  let hits = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const v = confusion[t * k + p]!;
      support[t]! += v;
      predicted[p]! += v;
      total += v;
      if (t === p) hits += v;
    }
  }
  const recall = new Float64Array(k);
  const precision = new Float64Array(k);
  const f1 = new Float64Array(k);
  let f1Sum = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c * k + c]!;
    recall[c] = support[c]! > 0 ? tp / support[c]! : 0;
    precision[c] = predicted[c]! > 0 ? tp / predicted[c]! : 0;
    const s = recall[c]! + precision[c]!;
    f1[c] = s > 0 ? (2 * recall[c]! * precision[c]!) / s : 0;
    if (support[c]! > 0 || predicted[c]! > 0) {
      f1Sum += f1[c]!;
      present++;
    }
  }
  return { accuracy: total > 0 ? hits / total : 0, macroF1: present > 0 ? f1Sum / present : 0, support, recall, precision, f1 };
}
