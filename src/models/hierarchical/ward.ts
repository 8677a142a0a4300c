/**
 * Ward linkage by the nearest-neighbour chain with O(n·d) memory: clusters are kept as centroids and sizes, and
 * the Ward distance sqrt(2·|A||B|/(|A|+|B|))·‖cA − cB‖ (the value scipy reports as height) is computed on the fly.
 * Active clusters live in compacted typed arrays so each nearest-neighbour scan is one contiguous pass.
 * Cost: O(n²·d) time, O(n·d) memory. Reference: Murtagh & Contreras (2012), "Algorithms for hierarchical
 * clustering: an overview", §3.3; scipy.cluster._hierarchy.nn_chain for the chain conventions.
 */

/**
 * Runs the chain on row-major `values` (n×d) and returns unsorted merges as (n−1)×4 rows
 * [representative point of A, representative point of B, height, size], in scipy's pre-sort convention.
 */
export function wardChainMerges(values: Float64Array, n: number, d: number): Float64Array {
  const merges = new Float64Array((n - 1) * 4);
  const cent = Float64Array.from(values); // centroid of the cluster in each slot
  const size = new Float64Array(n).fill(1);
  const idOf = new Int32Array(n); // slot -> cluster id (a member point index, scipy's convention)
  const slotOf = new Int32Array(n); // cluster id -> slot
  for (let i = 0; i < n; i++) {
    idOf[i] = i;
    slotOf[i] = i;
  }
  const chain = new Int32Array(n);
  let chainLength = 0;
  let active = n;
  for (let k = 0; k < n - 1; k++) {
    if (chainLength === 0) {
      chain[0] = idOf[0]!;
      chainLength = 1;
    }
    let x: number;
    let y: number;
    let best: number; // 2·|A||B|/(|A|+|B|)·‖cA − cB‖², the squared Ward distance
    for (;;) {
      x = chain[chainLength - 1]!;
      const sx = slotOf[x]!;
      const nx = size[sx]!;
      const ox = sx * d;
      best = Infinity;
      let bestSlot = -1;
      if (chainLength > 1) {
        // prefer the previous element of the chain on ties, so the chain cannot cycle
        y = chain[chainLength - 2]!;
        bestSlot = slotOf[y]!;
        best = wardSq(cent, ox, bestSlot * d, d, nx, size[bestSlot]!);
      }
      for (let s = 0; s < active; s++) {
        if (s === sx) continue;
        const ns = size[s]!;
        const f = (2 * nx * ns) / (nx + ns);
        const limit = best / f;
        const os = s * d;
        let acc = 0;
        let j = 0;
        for (; j < d; j++) {
          const t = cent[ox + j]! - cent[os + j]!;
          acc += t * t;
          if (acc > limit) break; // prune only; acceptance below uses the same product as wardSq
        }
        if (j === d && acc * f < best) {
          best = acc * f;
          bestSlot = s;
        }
      }
      const candidate = idOf[bestSlot]!;
      if (chainLength > 1 && candidate === chain[chainLength - 2]) {
        y = candidate;
        break;
      }
      chain[chainLength++] = candidate;
    }
    chainLength -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const sx = slotOf[x]!;
    const sy = slotOf[y]!;
    const nx = size[sx]!;
    const ny = size[sy]!;
    const row = k * 4;
    merges[row] = x;
    merges[row + 1] = y;
    merges[row + 2] = Math.sqrt(best);
    merges[row + 3] = nx + ny;
    // the merged cluster keeps id y (scipy: "cluster y will be replaced with the new cluster")
    const inv = 1 / (nx + ny);
    for (let j = 0; j < d; j++) cent[sy * d + j] = (nx * cent[sx * d + j]! + ny * cent[sy * d + j]!) * inv;
    size[sy] = nx + ny;
    // drop x: move the last active slot into its place
    const last = active - 1;
    if (sx !== last) {
      cent.copyWithin(sx * d, last * d, last * d + d);
      size[sx] = size[last]!;
      const moved = idOf[last]!;
      idOf[sx] = moved;
      slotOf[moved] = sx;
    }
    active = last;
  }
  return merges;
}

function wardSq(cent: Float64Array, oa: number, ob: number, d: number, na: number, nb: number): number {
  let acc = 0;
  for (let j = 0; j < d; j++) {
    const t = cent[oa + j]! - cent[ob + j]!;
    acc += t * t;
  }
  return ((2 * na * nb) / (na + nb)) * acc;
}
