/**
 * One pass over the input before a K-means fit: checks that every value is finite, computes scikit-learn's
 * tolerance scale (the mean of the per-column population variances, by the same Welford recurrence as
 * `meanColumnVariance`, hence the same bits) and, for worker threads, copies the rows onto a SharedArrayBuffer.
 * Fusing the three reads the matrix once instead of three times. O(n·d).
 */
import { assertFinite, type FeatureMatrix } from '../matrix.js';

export interface PreparedInput {
  /** Mean of the per-column population variances. */
  readonly variance: number;
  /** The rows: `m.values` itself, or its copy on a SharedArrayBuffer when one was asked for. */
  readonly x: Float64Array;
}

/** True when `x` can be handed to worker threads as it is (a whole SharedArrayBuffer from offset 0). */
export function isShareable(x: Float64Array): boolean {
  return x.buffer instanceof SharedArrayBuffer && x.byteOffset === 0;
}

/**
 * Mean of the per-column population variances by Welford's recurrence, scikit-learn's `_tolerance` scale; copies
 * the rows into `copy` in the same pass when given. Non-finite when a value is. O(n·d).
 */
export function meanVarianceAndCopy(values: Float64Array, rows: number, cols: number, copy: Float64Array | null): number {
  const mean = new Float64Array(cols);
  const m2 = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const w = 1 / (i + 1);
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = values[o + j]!;
      if (copy) copy[o + j] = v;
      const delta = v - mean[j]!;
      const next = mean[j]! + delta * w;
      mean[j] = next;
      m2[j]! += delta * (v - next);
    }
  }
  let total = 0;
  for (let j = 0; j < cols; j++) total += m2[j]! / rows;
  return total / cols;
}

/**
 * Validates and measures `m` in one pass (see the module comment); throws the InputError of `assertFinite`
 * (naming `who`, the row and the column) on a non-finite value.
 */
export function prepareInput(m: FeatureMatrix, who: string, shared: boolean): PreparedInput {
  const { rows, cols, values } = m;
  const cached = shared && !isShareable(values) ? sharedCopies.get(values) : undefined;
  const copy = shared && !isShareable(values) && !cached ? new Float64Array(new SharedArrayBuffer(values.length * 8)) : null;
  const variance = meanVarianceAndCopy(values, rows, cols, copy);
  // A non-finite value makes the variance non-finite: find and name it. (Finite values whose squares overflow
  // also land here; then nothing is thrown and the variance is what meanColumnVariance gives.)
  if (!Number.isFinite(variance)) assertFinite(m, who);
  if (copy) sharedCopies.set(values, copy);
  return { variance, x: cached ?? copy ?? values };
}

/**
 * The shared copy of each input still in use, so that fits of one matrix (a k scan, restarts) share one copy.
 * Worker threads let go of a fit's SharedArrayBuffers only when their own heap is collected, which an idle worker
 * rarely does: a fresh copy per fit kept every earlier one alive (+150 MB per fit at a million rows).
 */
const sharedCopies = new WeakMap<Float64Array, Float64Array>();
