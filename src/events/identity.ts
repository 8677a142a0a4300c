/**
 * Identity resolution: every id a person used (anonymousIds, old userIds) is merged into one customer.
 * Links come from `identify` (anonymousId ↔ userId) and `alias` (previousId ↔ userId); they are undirected, so
 * chains and cycles merge into one component. This file holds the pure kernel; the store reads the links as
 * dense integer columns and writes the result back (store/import/identities.ts).
 */

/** The ids of one resolution problem, as dense indices 0..n-1. */
export interface IdentityGraph {
  /** Number of distinct ids. */
  readonly n: number;
  /** Link endpoints, as indices; `from[k]` and `to[k]` are one link. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  /**
   * Preference rank of each id as a canonical customer id: 0 is best. Ids that are not userIds get -1 and are
   * never chosen for a component that holds a userId. The store ranks userIds by first seen, then by string.
   */
  readonly rank: Int32Array;
}

/**
 * Union-find with path compression (halving) and union by size, then one pass that picks each component's
 * best-ranked id. Returns `canonical[i]` = the index of the id that `i` resolves to. A component with no ranked
 * id (no userId) resolves to its smallest index — the id itself when it has no links; the store numbers ids in
 * string order, so that is the smallest id. Cost: O((n + links) α(n)) time, 3 Int32Arrays of size n.
 * Reference: Tarjan (1975), "Efficiency of a good but not linear set union algorithm", JACM 22(2).
 */
export function resolveComponents(graph: IdentityGraph): Int32Array {
  const { n, from, to, rank } = graph;
  if (from.length !== to.length) throw new RangeError(`resolveComponents requires from and to of equal length (got ${from.length} and ${to.length})`);
  if (rank.length !== n) throw new RangeError(`resolveComponents requires one rank per id (got ${rank.length} ranks for n=${n})`);
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) parent[i] = i;

  const find = (start: number): number => {
    let x = start;
    while (parent[x] !== x) {
      const grand = parent[parent[x]!]!;
      parent[x] = grand;
      x = grand;
    }
    return x;
  };

  for (let k = 0; k < from.length; k++) {
    const a = from[k]!;
    const b = to[k]!;
    if (a < 0 || a >= n || b < 0 || b >= n) throw new RangeError(`resolveComponents link ${k} is out of range (got ${a} → ${b}, n=${n})`);
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) continue;
    if (size[ra]! < size[rb]!) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra]! += size[rb]!;
  }

  // best[root] = the best-ranked id of the component (-1 when none); lowest[root] = its smallest index.
  const best = new Int32Array(n).fill(-1);
  const lowest = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (lowest[root]! < 0) lowest[root] = i;
    const r = rank[i]!;
    if (r < 0) continue;
    const current = best[root]!;
    if (current < 0 || r < rank[current]!) best[root] = i;
  }
  const canonical = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const chosen = best[root]!;
    canonical[i] = chosen < 0 ? lowest[root]! : chosen;
  }
  return canonical;
}
