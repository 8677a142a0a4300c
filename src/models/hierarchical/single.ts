/**
 * Single linkage through the minimum spanning tree (Prim's algorithm with distances computed on the fly),
 * the same traversal as scipy.cluster._hierarchy.mst_single_linkage without its condensed matrix.
 * Cost: O(n²·d) time, O(n) memory. Reference: Gower & Ross (1969), "Minimum spanning trees and single linkage
 * cluster analysis", Applied Statistics 18(1).
 */

/** Returns the MST edges as unsorted merges [x, y, height, 0] in scipy's pre-sort convention. */
export function singleLinkageMerges(values: Float64Array, n: number, d: number): Float64Array {
  const merges = new Float64Array((n - 1) * 4);
  const merged = new Uint8Array(n);
  const nearest = new Float64Array(n).fill(Infinity);
  let x = 0;
  for (let k = 0; k < n - 1; k++) {
    merged[x] = 1;
    let currentMin = Infinity;
    let y = -1;
    const ox = x * d;
    for (let i = 0; i < n; i++) {
      if (merged[i] === 1) continue;
      const oi = i * d;
      let acc = 0;
      for (let c = 0; c < d; c++) {
        const t = values[ox + c]! - values[oi + c]!;
        acc += t * t;
      }
      const dist = Math.sqrt(acc);
      if (nearest[i]! > dist) nearest[i] = dist;
      if (nearest[i]! < currentMin || y < 0) {
        y = i;
        currentMin = nearest[i]!;
      }
    }
    const row = k * 4;
    merges[row] = x;
    merges[row + 1] = y;
    merges[row + 2] = currentMin;
    x = y;
  }
  return merges;
}
