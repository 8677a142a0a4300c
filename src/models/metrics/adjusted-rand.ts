/**
 * Adjusted Rand index (Hubert & Arabie 1985): agreement of two partitions by pair counting, corrected for chance.
 * 1 for identical partitions, about 0 for independent ones, negative when worse than chance.
 */
import { InputError } from '../../core/errors.js';
import { contingency, type Contingency } from './contingency.js';

/** Largest n for which n² and the pair counts stay exact in doubles. */
const MAX_ROWS = 94_906_265;

/**
 * Adjusted Rand index of labelings `a` and `b`, exactly as scikit-learn 1.2's
 * `adjusted_rand_score`: from the pair-confusion counts, with integer arithmetic (BigInt) for the products, and 1
 * when no pair is split differently (including n = 0). Symmetric in a and b. Use it to compare a clustering with
 * ground truth or two runs with each other. Cost O(n) plus that of `contingency`.
 * Reference: Hubert & Arabie (1985), "Comparing partitions", J. Classification 2, 193–218.
 */
export function adjustedRandIndex(a: Int32Array, b: Int32Array): number {
  return adjustedRandFromContingency(contingency(a, b));
}

/** `adjustedRandIndex` of a prebuilt contingency table (see `contingency`). Cost O(non-zero cells). */
export function adjustedRandFromContingency(t: Contingency): number {
  const { n, row, col, count, rowSums, colSums } = t;
  if (n > MAX_ROWS) throw new InputError(`adjustedRandIndex requires n <= ${MAX_ROWS} (got n=${n})`);
  let sumSquares = 0;
  let byCol = 0;
  let byRow = 0;
  for (let i = 0; i < count.length; i++) {
    const v = count[i]!;
    sumSquares += v * v;
    byCol += v * colSums[col[i]!]!;
    byRow += v * rowSums[row[i]!]!;
  }
  const tp = BigInt(sumSquares - n);
  const fp = BigInt(byCol - sumSquares);
  const fn = BigInt(byRow - sumSquares);
  const tn = BigInt(n) * BigInt(n) - fp - fn - BigInt(sumSquares);
  if (fn === 0n && fp === 0n) return 1;
  return (2 * Number(tp * tn - fn * fp)) / Number((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}
