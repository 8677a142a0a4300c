/**
 * Complete and average linkage by the nearest-neighbour chain on a condensed distance matrix, a port of
 * scipy.cluster._hierarchy.nn_chain (Lance–Williams updates in place). Cost: O(n²·d) to fill the matrix plus
 * O(n²) for the chain; memory n(n−1)/2 float64 — 1.6 GB at 20,000 rows, so the caller caps it.
 * Reference: Müllner (2011), "Modern hierarchical, agglomerative clustering algorithms", arXiv:1109.2378.
 */

/** Index of pair (i, j), i < j, in scipy's condensed (upper-triangle, row-major) distance vector. */
function condensedIndex(n: number, i: number, j: number): number {
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/** Euclidean distances between all pairs of rows, in scipy's `pdist` order. */
export function condensedEuclidean(values: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array((n * (n - 1)) / 2);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i + 1; j < n; j++) {
      const oj = j * d;
      let acc = 0;
      for (let c = 0; c < d; c++) {
        const t = values[oi + c]! - values[oj + c]!;
        acc += t * t;
      }
      out[p++] = Math.sqrt(acc);
    }
  }
  return out;
}

/**
 * Runs the chain on a condensed matrix (consumed: it is updated in place) and returns unsorted merges
 * [point of A, point of B, height, size] in scipy's pre-sort convention.
 */
export function condensedChainMerges(D: Float64Array, n: number, method: 'complete' | 'average'): Float64Array {
  const merges = new Float64Array((n - 1) * 4);
  const size = new Int32Array(n).fill(1);
  const chain = new Int32Array(n);
  let chainLength = 0;
  const average = method === 'average';
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      let first = 0;
      while (size[first] === 0) first++;
      chain[0] = first;
      chainLength = 1;
    }
    let x: number;
    let y = 0;
    let currentMin: number;
    for (;;) {
      x = chain[chainLength - 1]!;
      currentMin = Infinity;
      if (chainLength > 1) {
        y = chain[chainLength - 2]!;
        currentMin = D[x < y ? condensedIndex(n, x, y) : condensedIndex(n, y, x)]!;
      }
      // column part: pairs (i, x) with i < x
      for (let i = 0; i < x; i++) {
        if (size[i] === 0) continue;
        const dist = D[condensedIndex(n, i, x)]!;
        if (dist < currentMin) {
          currentMin = dist;
          y = i;
        }
      }
      // row part: pairs (x, i) with i > x are contiguous
      const base = condensedIndex(n, x, x + 1) - (x + 1);
      for (let i = x + 1; i < n; i++) {
        if (size[i] === 0) continue;
        const dist = D[base + i]!;
        if (dist < currentMin) {
          currentMin = dist;
          y = i;
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = size[x]!;
    const ny = size[y]!;
    const row = k * 4;
    merges[row] = x;
    merges[row + 1] = y;
    merges[row + 2] = currentMin;
    merges[row + 3] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      if (size[i] === 0 || i === y) continue;
      const ix = i < x ? condensedIndex(n, i, x) : condensedIndex(n, x, i);
      const iy = i < y ? condensedIndex(n, i, y) : condensedIndex(n, y, i);
      const dxi = D[ix]!;
      const dyi = D[iy]!;
      D[iy] = average ? (nx * dxi + ny * dyi) / (nx + ny) : dxi > dyi ? dxi : dyi;
    }
  }
  return merges;
}
