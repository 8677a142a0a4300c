/**
 * Reliability table (calibration curve), as scikit-learn's `calibration_curve(strategy='uniform')`: predicted
 * probabilities of class 1 cut into `nBins` equal-width bins (a value on an inner edge goes to the lower bin), and per
 * non-empty bin the mean predicted probability against the observed share of positives. Plot-ready. Cost O(n).
 */
import { binaryScoreOrder } from './check-scores.js';
import { fail } from './validate.js';

export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability in the bin. */
  readonly predicted: number;
  /** Observed share of class 1 in the bin. */
  readonly observed: number;
}

export function reliabilityTable(y: Int32Array, prob: Float64Array, nBins = 10): ReliabilityBin[] {
  if (!Number.isInteger(nBins) || nBins < 1) fail(`reliabilityTable requires an integer nBins >= 1 (got ${nBins})`, 'nBins');
  binaryScoreOrder('reliabilityTable', y, prob);
  const step = 1 / nBins;
  const sumP = new Float64Array(nBins);
  const sumY = new Float64Array(nBins);
  const count = new Float64Array(nBins);
  for (let i = 0; i < y.length; i++) {
    const p = prob[i]!;
    if (!(p >= 0 && p <= 1)) fail(`reliabilityTable requires probabilities in [0, 1] (got ${p} at row ${i + 1})`, `prob[${i}]`);
    let b = 0;
    while (b < nBins - 1 && (b + 1) * step < p) b++;
    sumP[b]! += p;
    sumY[b]! += y[i]!;
    count[b]!++;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    if (count[b] === 0) continue;
    out.push({ lower: b * step, upper: b === nBins - 1 ? 1 : (b + 1) * step, count: count[b]!, predicted: sumP[b]! / count[b]!, observed: sumY[b]! / count[b]! });
  }
  return out;
}
