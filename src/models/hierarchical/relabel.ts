/**
 * Turns raw merges into scipy's linkage matrix: a stable sort by height, then cluster numbering by union-find
 * (leaves 0..n−1, merge i creates n+i, the smaller id first, sizes recomputed) — scipy's `label` step.
 * Cost: O(n log n).
 */

/** Sorts `merges` ((n−1)×4: point, point, height, ·) stably by height and relabels them; returns a new Z. */
export function sortAndLabel(merges: Float64Array, n: number): Float64Array {
  const m = n - 1;
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((a, b) => merges[a * 4 + 2]! - merges[b * 4 + 2]! || a - b);
  const Z = new Float64Array(m * 4);
  const parent = new Int32Array(2 * n - 1);
  const size = new Float64Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  size.fill(1, 0, n);
  for (let i = 0; i < m; i++) {
    const src = order[i]! * 4;
    const rx = find(parent, merges[src]!);
    const ry = find(parent, merges[src + 1]!);
    const row = i * 4;
    Z[row] = rx < ry ? rx : ry;
    Z[row + 1] = rx < ry ? ry : rx;
    Z[row + 2] = merges[src + 2]!;
    const next = n + i;
    parent[rx] = next;
    parent[ry] = next;
    size[next] = size[rx]! + size[ry]!;
    Z[row + 3] = size[next]!;
  }
  return Z;
}

/** Root of `x` with path compression. */
export function find(parent: Int32Array, x: number): number {
  let root = x;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[x] !== root) {
    const next = parent[x]!;
    parent[x] = root;
    x = next;
  }
  return root;
}
