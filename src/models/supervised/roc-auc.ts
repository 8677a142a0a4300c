/**
 * Area under the ROC curve, as scikit-learn's `roc_auc_score`: the trapezoid rule over the curve with one point per
 * distinct score, so tied scores count half (equal to the Mann–Whitney U / (n₊n₋) with ties as ½). Weighted when
 * sample weights are given. Binary labels 0/1 with the score of class 1. Cost O(n log n).
 * Reference: Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters 27 (2006).
 */
import { binaryScoreOrder, oneVsRestMean } from './check-scores.js';

export function rocAuc(y: Int32Array, score: Float64Array, sampleWeight?: Float64Array): number {
  const order = binaryScoreOrder('rocAuc', y, score, sampleWeight);
  let tp = 0;
  let fp = 0;
  let prevTp = 0;
  let prevFp = 0;
  let area = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const w = sampleWeight ? sampleWeight[i]! : 1;
    if (y[i] === 1) tp += w;
    else fp += w;
    const next = order[k + 1];
    if (next === undefined || score[next]! !== score[i]!) {
      area += (fp - prevFp) * (tp + prevTp);
      prevTp = tp;
      prevFp = fp;
    }
  }
  return area / (2 * tp * fp);
}

/** Multi-class ROC AUC, one-vs-rest, unweighted mean over classes (sklearn's multi_class='ovr', average='macro'). */
export function rocAucOvr(y: Int32Array, proba: Float64Array, C: number, sampleWeight?: Float64Array): number {
  return oneVsRestMean('rocAucOvr', rocAuc, y, proba, C, sampleWeight);
}
