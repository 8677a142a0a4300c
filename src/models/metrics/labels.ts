/**
 * Cluster labels as the metrics see them: any non-negative `Int32Array`, encoded once to dense codes 0..k-1 in
 * ascending label order (as scikit-learn's `LabelEncoder` does), with the size of each cluster.
 */
import { InputError } from '../../core/errors.js';

/** Labels re-coded to 0..k-1. `values[code]` is the original label; `counts[code]` its number of rows. */
export interface EncodedLabels {
  readonly codes: Int32Array;
  readonly values: Int32Array;
  readonly counts: Int32Array;
  readonly k: number;
}

/**
 * Checks that `labels` has one non-negative entry per row; throws an InputError naming the first bad entry.
 * Cost O(n).
 */
export function checkLabels(labels: Int32Array, rows: number, who: string, name = 'labels', rowsName = 'rows'): void {
  if (labels.length !== rows) {
    throw new InputError(`${who} requires ${name}.length == ${rowsName} (got ${name}.length=${labels.length}, ${rowsName}=${rows})`, [
      { path: name, message: `length ${labels.length}, expected ${rows}` },
    ]);
  }
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v < 0) {
      throw new InputError(`${who} requires non-negative labels (got ${name}[${i}]=${v})`, [
        { path: `${name}[${i}]`, message: `label is ${v}` },
      ]);
    }
  }
}

/** Throws unless 2 <= k <= n - 1, the range in which the internal cluster-validity scores are defined. */
export function checkLabelCount(k: number, n: number, who: string): void {
  if (k < 2 || k > n - 1) {
    throw new InputError(`${who} requires 2 <= n_labels <= n_samples - 1 (got n_labels=${k}, n_samples=${n})`, [
      { path: 'labels', message: `${k} distinct labels for ${n} rows` },
    ]);
  }
}

/**
 * Encodes non-negative labels to codes 0..k-1 in ascending order of label value (scikit-learn's `LabelEncoder`).
 * Use it once at a metric's entry so the hot loops index plain arrays. Cost O(n) when the largest label is at most
 * a few times n (a lookup table), O(n log n) otherwise (a sort of the distinct values).
 */
export function encodeLabels(labels: Int32Array): EncodedLabels {
  const n = labels.length;
  let max = -1;
  for (let i = 0; i < n; i++) if (labels[i]! > max) max = labels[i]!;
  const codes = new Int32Array(n);
  if (max < 4 * n + 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) table[labels[i]!] = 0;
    let k = 0;
    for (let v = 0; v <= max; v++) if (table[v] === 0) table[v] = k++;
    const values = new Int32Array(k);
    for (let v = 0; v <= max; v++) if (table[v]! >= 0) values[table[v]!] = v;
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = table[labels[i]!]!;
      codes[i] = c;
      counts[c]!++;
    }
    return { codes, values, counts, k };
  }
  const values = Int32Array.from(new Set(labels)).sort();
  const index = new Map<number, number>();
  for (let c = 0; c < values.length; c++) index.set(values[c]!, c);
  const counts = new Int32Array(values.length);
  for (let i = 0; i < n; i++) {
    const c = index.get(labels[i]!)!;
    codes[i] = c;
    counts[c]!++;
  }
  return { codes, values, counts, k: values.length };
}

/**
 * Relabels so that clusters are numbered 0, 1, 2, … in order of first appearance: two labelings that induce the
 * same partition become identical arrays. Use it to compare clusterings or to write stable outputs. Cost O(n)
 * (plus O(n log n) when labels are sparse and large). Labels must be non-negative.
 */
export function canonicalRelabel(labels: Int32Array): Int32Array {
  checkLabels(labels, labels.length, 'canonicalRelabel');
  const { codes, k } = encodeLabels(labels);
  const first = new Int32Array(k).fill(-1);
  const out = new Int32Array(codes.length);
  let next = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (first[c] === -1) first[c] = next++;
    out[i] = first[c]!;
  }
  return out;
}
