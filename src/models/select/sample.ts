/** Seeded row draws: a sorted sample without replacement, and a bootstrap resample with replacement. */
import type { Rng } from '../../core/rng.js';

/** `size` distinct rows of 0..n−1 drawn uniformly (partial Fisher–Yates), returned ascending. O(n). */
export function sampleWithoutReplacement(n: number, size: number, rng: Rng): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(n - i);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm.slice(0, size).sort();
}

/** n rows of 0..n−1 drawn uniformly with replacement (a bootstrap resample). O(n). */
export function bootstrapRows(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(n);
  return out;
}
