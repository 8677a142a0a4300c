/**
 * The job `fitRandomForestParallel` shares between threads, and the loop every thread runs on it: take the next tree
 * number from the shared counter, grow that tree on the shared presorted columns with the bootstrap counts and seed
 * the main thread drew for it, hand it on. A tree depends only on its number, so which thread grows it does not
 * matter.
 */
import type { GrownTree } from './cart.js';
import type { ColumnData } from './presort.js';
import { growForestTree, type ForestPlan } from './random-forest.js';

/** What the main thread sends: shared buffers, the plan, and the per-tree seeds. */
export interface ForestJob {
  readonly n: number;
  readonly d: number;
  /** float32 columns (d × n) and the per-feature sorted row orders (d × n), as `presort` makes them. */
  readonly x: SharedArrayBuffer;
  readonly sorted: SharedArrayBuffer;
  readonly y: SharedArrayBuffer;
  /** Bootstrap counts, tree t at [t·n, (t+1)·n) as bytes; null without bootstrap. */
  readonly counts: SharedArrayBuffer | null;
  readonly seeds: Int32Array;
  /** Int32 counter of the next tree to grow, shared by every thread. */
  readonly next: SharedArrayBuffer;
  readonly plan: ForestPlan;
}

/** A grown tree's arrays as posted back (`leafOf` stays behind). */
export type TreeMessage = { readonly kind: 'tree'; readonly t: number; readonly tree: Omit<GrownTree, 'leafOf'> } | { readonly kind: 'done' };

/** The columns, labels and counts of a job as typed arrays over its shared buffers. */
export function jobArrays(job: ForestJob): { cols: ColumnData; y: Int32Array; counts: Uint8Array | null; next: Int32Array } {
  const { n, d } = job;
  const sorted = new Int32Array(job.sorted);
  return {
    cols: { n, d, x: new Float32Array(job.x), sorted: Array.from({ length: d }, (_, f) => sorted.subarray(f * n, (f + 1) * n)) },
    y: new Int32Array(job.y),
    counts: job.counts ? new Uint8Array(job.counts) : null,
    next: new Int32Array(job.next),
  };
}

/** Grows trees from the shared counter until it passes the last one; `send` receives each. */
export function growFromCounter(job: ForestJob, send: (t: number, tree: GrownTree) => void): void {
  const { cols, y, counts, next } = jobArrays(job);
  const { n } = job;
  const w = new Float64Array(n);
  for (let t = Atomics.add(next, 0, 1); t < job.plan.nEstimators; t = Atomics.add(next, 0, 1)) {
    send(t, growForestTree(cols, y, job.plan, counts ? counts.subarray(t * n, (t + 1) * n) : null, job.seeds[t]!, w));
  }
}
