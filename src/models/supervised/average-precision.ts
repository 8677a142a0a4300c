/**
 * Average precision (area under the precision–recall curve, step-wise), as scikit-learn's
 * `average_precision_score`: Σₙ (Rₙ − Rₙ₋₁) Pₙ over distinct score thresholds, highest first; ties share one
 * threshold. Binary labels 0/1 with the score of class 1; weighted when sample weights are given. Cost O(n log n).
 * Prefer it to ROC AUC when positives are rare (churners, buyers).
 */
import { binaryScoreOrder, oneVsRestMean } from './check-scores.js';

export function averagePrecision(y: Int32Array, score: Float64Array, sampleWeight?: Float64Array): number {
  const order = binaryScoreOrder('averagePrecision', y, score, sampleWeight);
  let positives = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) positives += sampleWeight ? sampleWeight[i]! : 1;
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const w = sampleWeight ? sampleWeight[i]! : 1;
    if (y[i] === 1) tp += w;
    else fp += w;
    const next = order[k + 1];
    if (next === undefined || score[next]! !== score[i]!) {
      const recall = tp / positives;
      const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
      ap += (recall - prevRecall) * precision;
      prevRecall = recall;
    }
  }
  return ap;
}

/** Macro average precision over classes, one-vs-rest (sklearn's average_precision_score on binarised labels). */
export function averagePrecisionOvr(y: Int32Array, proba: Float64Array, C: number, sampleWeight?: Float64Array): number {
  return oneVsRestMean('averagePrecisionOvr', averagePrecision, y, proba, C, sampleWeight);
}
