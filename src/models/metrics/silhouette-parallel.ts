/**
 * Exact silhouette spread over worker threads: the symmetric distance pass is split into row ranges of equal pair
 * counts; the main thread takes one range, each worker another, and the partial sums are added at the end.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FeatureMatrix } from '../matrix.js';
import { sumCompensated } from './compensated-sum.js';
import { accumulateSymmetric, splitTriangle } from './silhouette-kernel.js';
import { finishFromSums, prepareSilhouette, silhouetteSamples, type SilhouetteOptions } from './silhouette.js';
import type { SilhouetteJob } from './silhouette-worker.js';

export interface ParallelSilhouetteOptions extends SilhouetteOptions {
  /** Threads in all, the main one included. Default: the available parallelism, at most 4. */
  readonly threads?: number;
  /** Below this many rows the single-threaded path is used (worker start-up would dominate). Default 10,000. */
  readonly minRows?: number;
}

/**
 * The worker module. Compiled (dist/) it is plain JS; run from sources under tsx (tests), a worker does not inherit
 * tsx's loader on Node 20, so a small bootstrap loads the .ts file through tsx's API.
 */
function startWorker(job: SilhouetteJob): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./silhouette-worker.js', import.meta.url), { workerData: job });
  const target = new URL('./silhouette-worker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(target)}, ${JSON.stringify(target)}))`;
  return new Worker(code, { eval: true, workerData: job });
}

function shared(src: Float64Array | Int32Array): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(src.byteLength);
  new Uint8Array(buf).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
  return buf;
}

function runWorker(job: SilhouetteJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = startWorker(job);
    w.once('message', () => {
      void w.terminate();
      resolve();
    });
    w.once('error', (e) => {
      void w.terminate();
      reject(e);
    });
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`silhouette worker exited with code ${code} (rows ${job.p0}..${job.p1})`));
    });
  });
}

/**
 * `silhouetteSamples` on several threads: same values (up to the order of additions, ~1e-15 relative), about
 * `threads` times faster for n >= `minRows`. Use it for exact scores on tens of thousands of rows. Cost
 * O(n²·d / threads) time, O(threads·k·n + n·d) memory; falls back to the single-threaded path when n is small or
 * k·n exceeds `maxBufferEntries`. Reference: Rousseeuw (1987), J. Comput. Appl. Math. 20, 53–65.
 */
export async function silhouetteSamplesParallel(m: FeatureMatrix, labels: Int32Array, options: ParallelSilhouetteOptions = {}): Promise<Float64Array> {
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), 4), 16));
  const maxBuffer = options.maxBufferEntries ?? 1 << 23;
  if (threads === 1 || m.rows < (options.minRows ?? 10_000) || labels.length !== m.rows) return silhouetteSamples(m, labels, options);
  const { enc, sorted } = prepareSilhouette(m, labels, 'silhouette');
  const { n, d, k } = sorted;
  if (k * n * threads > maxBuffer * 2) return silhouetteSamples(m, labels, options);
  const bounds = splitTriangle(n, threads);
  const xs = shared(sorted.xs);
  const codes = shared(sorted.sortedCodes);
  const partials = Array.from({ length: threads - 1 }, () => new SharedArrayBuffer(k * n * 8));
  const jobs = partials.map((sums, w) =>
    runWorker({ xs, sums, start: sorted.start, sortedCodes: codes, n, d, k, p0: bounds[w + 1]!, p1: bounds[w + 2]! }),
  );
  const total = new Float64Array(k * n);
  accumulateSymmetric(sorted, bounds[0]!, bounds[1]!, total);
  await Promise.all(jobs);
  for (const buf of partials) {
    const part = new Float64Array(buf);
    for (let i = 0; i < total.length; i++) total[i]! += part[i]!;
  }
  return finishFromSums(sorted, enc, total);
}

/** Mean of `silhouetteSamplesParallel` (compensated sum); see there for when and at what cost. */
export async function silhouetteScoreParallel(m: FeatureMatrix, labels: Int32Array, options: ParallelSilhouetteOptions = {}): Promise<number> {
  const s = await silhouetteSamplesParallel(m, labels, options);
  return sumCompensated(s) / s.length;
}
