/**
 * Worker side of `silhouetteSamplesParallel`: runs the symmetric pass over one row range of the shared,
 * cluster-sorted data and writes the distance sums into its own shared buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { accumulateSymmetric } from './silhouette-kernel.js';

/** What the main thread sends: shared buffers plus the shape and the row range [p0, p1). */
export interface SilhouetteJob {
  readonly xs: SharedArrayBuffer;
  readonly sums: SharedArrayBuffer;
  readonly start: Int32Array;
  readonly sortedCodes: SharedArrayBuffer;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly p0: number;
  readonly p1: number;
}

const job = workerData as SilhouetteJob;
const sorted = {
  xs: new Float64Array(job.xs),
  n: job.n,
  d: job.d,
  k: job.k,
  start: job.start,
  order: new Int32Array(0),
  sortedCodes: new Int32Array(job.sortedCodes),
};
accumulateSymmetric(sorted, job.p0, job.p1, new Float64Array(job.sums));
parentPort?.postMessage('done');
