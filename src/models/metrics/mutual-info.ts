/**
 * Mutual information between two labelings and its normalised form (NMI), from their contingency table.
 * Natural logarithms, as in scikit-learn.
 */
import { contingency, type Contingency } from './contingency.js';
import { checkLabels, encodeLabels } from './labels.js';

const EPS = 2 ** -52;

/**
 * Mutual information I(A; B) in nats of labelings `a` and `b`, with scikit-learn 1.2's
 * formula: terms below machine epsilon are dropped and the result is clipped at 0; 0 when either labeling has one
 * cluster. Cost O(n) plus that of `contingency`. Reference: Cover & Thomas (2006), Elements of Information Theory, §2.3.
 */
export function mutualInformation(a: Int32Array, b: Int32Array): number {
  return mutualInfoFromContingency(contingency(a, b));
}

/** `mutualInformation` of a prebuilt contingency table (see `contingency`). Cost O(non-zero cells). */
export function mutualInfoFromContingency(t: Contingency): number {
  const { n, row, col, count, rowSums, colSums } = t;
  if (rowSums.length === 1 || colSums.length === 1) return 0;
  const logN = Math.log(n);
  const logSums = 2 * logN;
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < count.length; i++) {
    const v = count[i]!;
    const p = v / n;
    const outer = rowSums[row[i]!]! * colSums[col[i]!]!;
    let term = p * (Math.log(v) - logN) + p * (-Math.log(outer) + logSums);
    if (Math.abs(term) < EPS) term = 0;
    const u = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - u + term : term - u + sum;
    sum = u;
  }
  const mi = sum + comp;
  return mi > 0 ? mi : 0;
}

/**
 * Shannon entropy in nats of a labeling's cluster sizes; 0 for one cluster and 1 for an empty labeling (as
 * scikit-learn's `entropy`). Cost O(n). Reference: Shannon (1948), Bell Syst. Tech. J. 27, 379–423.
 */
export function labelEntropy(labels: Int32Array): number {
  checkLabels(labels, labels.length, 'labelEntropy');
  return entropyOfCounts(encodeLabels(labels).counts, labels.length);
}

/** Entropy of cluster sizes `counts` summing to `total` (sklearn's formula and special cases). */
function entropyOfCounts(counts: Int32Array, total: number): number {
  if (total === 0) return 1;
  const k = counts.length;
  if (k === 1) return 0;
  const logTotal = Math.log(total);
  let h = 0;
  for (let c = 0; c < k; c++) {
    const v = counts[c]!;
    h -= (v / total) * (Math.log(v) - logTotal);
  }
  return h;
}

/**
 * Normalised mutual information NMI = I(A; B) / ((H(A) + H(B)) / 2), scikit-learn 1.2's default (arithmetic
 * averaging), in [0, 1]: 1 when both labelings are a single cluster (or empty), 0 when I = 0. Symmetric. Use it to
 * compare a clustering with ground truth when cluster counts differ. Cost O(n) plus that of `contingency`.
 * Reference: Vinh, Epps & Bailey (2010), JMLR 11, 2837–2854.
 */
export function normalizedMutualInfo(a: Int32Array, b: Int32Array): number {
  const t = contingency(a, b);
  const ka = t.rowLabels.length;
  const kb = t.colLabels.length;
  if ((ka === 1 && kb === 1) || (ka === 0 && kb === 0)) return 1;
  const mi = mutualInfoFromContingency(t);
  if (mi === 0) return 0;
  return mi / ((entropyOfCounts(t.rowSums, t.n) + entropyOfCounts(t.colSums, t.n)) / 2);
}
