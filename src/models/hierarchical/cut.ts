/**
 * Flat clusters from a dendrogram, like scipy.cluster.hierarchy.fcluster with the `distance` and `maxclust`
 * criteria. Labels are 0-based and canonical: numbered by first appearance in row order. Cost: O(n log n).
 */
import { InputError } from '../../core/errors.js';
import { find } from './relabel.js';
import type { Linkage } from './types.js';

/**
 * Cuts the tree at height `h`: rows whose cophenetic distance is at most `h` share a label
 * (fcluster(Z, t=h, criterion='distance')). Uses the largest height inside each subtree, so it is right for
 * non-monotone trees too.
 */
export function cutByHeight(linkage: Linkage, h: number): Int32Array {
  if (Number.isNaN(h)) {
    throw new InputError(`cutByHeight requires a height that is a number (got h=${h})`);
  }
  return cutAt(linkage, h);
}

/**
 * Cuts the tree into at most `k` clusters at the lowest merge height that gives no more than `k`
 * (fcluster(Z, t=k, criterion='maxclust')). With tied heights at the cut this can give fewer than `k` clusters,
 * exactly as scipy does.
 */
export function cutByK(linkage: Linkage, k: number): Int32Array {
  const n = linkage.rows;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new InputError(`cutByK requires an integer k between 1 and rows (got k=${k}, rows=${n})`, [
      { path: 'k', message: `expected an integer in [1, ${n}], got ${k}` },
    ]);
  }
  if (k === n) return cutAt(linkage, -Infinity);
  const maxInSubtree = subtreeMaxHeights(linkage);
  const sorted = Float64Array.from(maxInSubtree).sort();
  return cutAt(linkage, sorted[n - k - 1]!);
}

function subtreeMaxHeights(linkage: Linkage): Float64Array {
  const { Z, rows: n } = linkage;
  const out = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    let h = Z[i * 4 + 2]!;
    const a = Z[i * 4]!;
    const b = Z[i * 4 + 1]!;
    if (a >= n && out[a - n]! > h) h = out[a - n]!;
    if (b >= n && out[b - n]! > h) h = out[b - n]!;
    out[i] = h;
  }
  return out;
}

function cutAt(linkage: Linkage, t: number): Int32Array {
  const { Z, rows: n } = linkage;
  const maxInSubtree = subtreeMaxHeights(linkage);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  for (let i = 0; i < n - 1; i++) {
    if (maxInSubtree[i]! > t) continue;
    parent[Z[i * 4]!] = n + i;
    parent[Z[i * 4 + 1]!] = n + i;
  }
  const labels = new Int32Array(n);
  const labelOfRoot = new Int32Array(2 * n - 1).fill(-1);
  let next = 0;
  for (let r = 0; r < n; r++) {
    const root = find(parent, r);
    if (labelOfRoot[root] === -1) labelOfRoot[root] = next++;
    labels[r] = labelOfRoot[root]!;
  }
  return labels;
}
