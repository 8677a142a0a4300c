import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accumulateSymmetric, sortByCluster } from './silhouette-kernel.js';

/**
 * The pass written plainly (sorted rows, a loop over columns), with the kernel's order of additions: each row's
 * sum to a cluster gathered in one accumulator, each later row's sum added to in place.
 */
function referenceSums(xs: Float64Array, n: number, d: number, codes: Int32Array, start: Int32Array, k: number): Float64Array {
  const sums = new Float64Array(k * n);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < k; c++) {
      let acc = 0;
      for (let j = Math.max(start[c]!, p + 1); j < start[c + 1]!; j++) {
        let q = 0;
        for (let t = 0; t < d; t++) q += (xs[p * d + t]! - xs[j * d + t]!) ** 2;
        const dist = Math.sqrt(q);
        acc += dist;
        sums[codes[p]! * n + j]! += dist;
      }
      sums[c * n + p]! += acc;
    }
  }
  return sums;
}

describe('accumulateSymmetric', () => {
  // 1..32 columns run a kernel compiled for their d; 33 runs the loop over columns.
  for (const d of [1, 2, 7, 8, 12, 32, 33]) {
    test(`gives the reference sums bit for bit at d = ${d}, over a split of the rows`, () => {
      const n = 90;
      const k = 3;
      const values = new Float64Array(n * d);
      const codes = new Int32Array(n);
      const counts = new Int32Array(k);
      for (let i = 0; i < n; i++) {
        codes[i] = (i * 7) % k;
        counts[codes[i]!]!++;
        for (let t = 0; t < d; t++) values[i * d + t] = Math.sin(i * 1.3 + t * 0.7) * (t + 1);
      }
      const sorted = sortByCluster(values, n, d, codes, k, counts);
      const sums = new Float64Array(k * n);
      accumulateSymmetric(sorted, 0, 40, sums);
      accumulateSymmetric(sorted, 40, n, sums);
      const expected = referenceSums(sorted.xs, n, d, sorted.sortedCodes, sorted.start, k);
      assert.deepEqual(sums, expected);
    });
  }
});
