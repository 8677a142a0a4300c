/**
 * Brier score. Binary: the (weighted) mean of (y − p₁)², as scikit-learn's `brier_score_loss`, where p₁ is the
 * probability of class 1. Multi-class: Brier's original definition, the mean over rows of Σₖ (pₖ − [y = k])²
 * (for two classes it is twice the binary score). Cost O(n · C). Reference: Brier, Monthly Weather Review 78 (1950).
 */
import { checkProba } from './check-scores.js';
import { fail } from './validate.js';

export function brierScore(y: Int32Array, probPositive: Float64Array, sampleWeight?: Float64Array): number {
  if (probPositive.length !== y.length) fail(`brierScore requires one probability per label (got ${probPositive.length}, labels ${y.length})`, 'probPositive');
  const proba = new Float64Array(y.length * 2);
  for (let i = 0; i < y.length; i++) {
    proba[2 * i] = 1 - probPositive[i]!;
    proba[2 * i + 1] = probPositive[i]!;
  }
  checkProba('brierScore', y, proba, 2, sampleWeight);
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < y.length; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    const e = y[i]! - probPositive[i]!;
    sum += e * e * w;
    wsum += w;
  }
  return sum / wsum;
}

export function brierScoreMulticlass(y: Int32Array, proba: Float64Array, C: number, sampleWeight?: Float64Array): number {
  checkProba('brierScoreMulticlass', y, proba, C, sampleWeight);
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < y.length; i++) {
    const w = sampleWeight ? sampleWeight[i]! : 1;
    let s = 0;
    for (let c = 0; c < C; c++) {
      const e = proba[i * C + c]! - (y[i] === c ? 1 : 0);
      s += e * e;
    }
    sum += s * w;
    wsum += w;
  }
  return sum / wsum;
}
