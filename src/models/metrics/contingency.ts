/**
 * Contingency table of two labelings (how many rows carry label a in one and label b in the other), stored sparsely
 * as typed columns of its non-zero cells. The basis of the adjusted Rand index and mutual information.
 */
import { InputError } from '../../core/errors.js';
import { checkLabels, encodeLabels } from './labels.js';

/**
 * Non-zero cells in row-major order: cell i is (`row[i]`, `col[i]`) with `count[i]` rows. Rows index
 * `rowLabels` (distinct labels of the first labeling, ascending), columns `colLabels`; `rowSums` / `colSums` are
 * the cluster sizes and `n` the number of rows.
 */
export interface Contingency {
  readonly n: number;
  readonly rowLabels: Int32Array;
  readonly colLabels: Int32Array;
  readonly rowSums: Int32Array;
  readonly colSums: Int32Array;
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly count: Int32Array;
}

const DENSE_LIMIT = 1 << 22;

/**
 * Builds the contingency table of labelings `a` and `b` (same length, non-negative labels), like scikit-learn's
 * `contingency_matrix(a, b, sparse=True)`. Use it when several pair-counting or information scores are needed for
 * the same pair. Cost O(n + ka·kb) when ka·kb <= 2^22, else O(n log n); memory O(n) at most.
 * Reference: Hubert & Arabie (1985), J. Classification 2, 193–218.
 */
export function contingency(a: Int32Array, b: Int32Array): Contingency {
  checkLabels(a, a.length, 'contingency', 'labelsA');
  checkLabels(b, a.length, 'contingency', 'labelsB', 'labelsA.length');
  const n = a.length;
  const ea = encodeLabels(a);
  const eb = encodeLabels(b);
  const ka = ea.k;
  const kb = eb.k;
  const rows: number[] = [];
  const cols: number[] = [];
  const counts: number[] = [];
  if (ka * kb <= DENSE_LIMIT) {
    const dense = new Int32Array(ka * kb);
    for (let i = 0; i < n; i++) dense[ea.codes[i]! * kb + eb.codes[i]!]!++;
    for (let cell = 0; cell < dense.length; cell++) {
      const v = dense[cell]!;
      if (v === 0) continue;
      const r = Math.floor(cell / kb);
      rows.push(r);
      cols.push(cell - r * kb);
      counts.push(v);
    }
  } else {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = ea.codes[i]! * kb + eb.codes[i]!;
    keys.sort();
    for (let i = 0; i < n; ) {
      const key = keys[i]!;
      let j = i + 1;
      while (j < n && keys[j] === key) j++;
      const r = Math.floor(key / kb);
      rows.push(r);
      cols.push(key - r * kb);
      counts.push(j - i);
      i = j;
    }
  }
  return {
    n,
    rowLabels: ea.values,
    colLabels: eb.values,
    rowSums: ea.counts,
    colSums: eb.counts,
    row: Int32Array.from(rows),
    col: Int32Array.from(cols),
    count: Int32Array.from(counts),
  };
}

/** The table as a dense row-major `rowLabels.length × colLabels.length` array (for display and small tables). */
export function contingencyDense(t: Contingency): Int32Array {
  const ka = t.rowLabels.length;
  const kb = t.colLabels.length;
  if (ka * kb > DENSE_LIMIT) {
    throw new InputError(`contingencyDense requires rows*cols <= ${DENSE_LIMIT} (got rows=${ka}, cols=${kb})`);
  }
  const out = new Int32Array(ka * kb);
  for (let i = 0; i < t.count.length; i++) out[t.row[i]! * kb + t.col[i]!] = t.count[i]!;
  return out;
}
