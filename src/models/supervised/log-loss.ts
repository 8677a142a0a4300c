/**
 * Log loss (cross-entropy), as scikit-learn's `log_loss`: probabilities clipped to [ε, 1−ε] with ε = 2⁻⁵² and each
 * row renormalised, then the (weighted) mean of −log p(true class). Input: labels 0..C−1 and a row-major n × C
 * probability matrix. Cost O(n · C).
 */
import { checkProba } from './check-scores.js';

const EPS = 2.220446049250313e-16;

export function logLoss(y: Int32Array, proba: Float64Array, C: number, sampleWeight?: Float64Array): number {
  checkProba('logLoss', y, proba, C, sampleWeight);
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < y.length; i++) {
    let rowSum = 0;
    for (let c = 0; c < C; c++) rowSum += Math.min(Math.max(proba[i * C + c]!, EPS), 1 - EPS);
    const p = Math.min(Math.max(proba[i * C + y[i]!]!, EPS), 1 - EPS) / rowSum;
    const w = sampleWeight ? sampleWeight[i]! : 1;
    sum += -Math.log(p) * w;
    wsum += w;
  }
  return sum / wsum;
}
