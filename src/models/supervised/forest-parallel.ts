/**
 * Random forest on several threads, with the same trees as `fitRandomForest` for the same seed: the main thread
 * makes every random draw first, in the order the one-thread fit makes them (each tree's bootstrap counts, then its
 * seed), so a tree depends only on its number; the threads then take tree numbers from a shared counter. Trees come
 * back as arrays and are put in order; the out-of-bag sums are added in tree order, as in the one-thread fit.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import type { GrownTree } from './cart.js';
import { makeTree } from './decision-tree.js';
import { growFromCounter, jobArrays, type ForestJob, type TreeMessage } from './forest-job.js';
import { presort } from './presort.js';
import { addOob, assembleForest, drawBootstrap, fitRandomForest, growForestTree, planForest, type RandomForest, type RandomForestOptions } from './random-forest.js';

export interface ParallelForestOptions extends RandomForestOptions {
  /** Threads in all, the main one included. Default: the available parallelism, at most 4. */
  readonly threads?: number;
  /** Below this many rows the one-thread fit runs (worker start-up would dominate). Default 10,000. */
  readonly minRows?: number;
}

/** Bootstrap counts are kept as bytes for all trees at once; past this many the one-thread fit runs instead. */
const MAX_COUNT_BYTES = 2 ** 30;

/**
 * `fitRandomForest` on `threads` threads: the same forest (trees, probabilities, out-of-bag score) for the same
 * options, about `threads` times faster on a machine with that many free cores. Falls back to the one-thread fit —
 * same result — below `minRows`, for a single tree, when trees × rows bootstrap counts would not fit in 1 GiB of bytes,
 * or when a count would pass 255; trees a failed worker thread took are grown on the main thread. Cost
 * O(trees · d · n log n / threads) time; O(trees · n) bytes for the counts plus a shared copy of the presorted data.
 */
export async function fitRandomForestParallel(X: FeatureMatrix, y: Int32Array, options: ParallelForestOptions = {}): Promise<RandomForest> {
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), 4), 64));
  const prepared = threads > 1 && X.rows >= (options.minRows ?? 10_000) ? prepareForestJob(X, y, options) : null;
  if (prepared === null) return fitRandomForest(X, y, options);
  const { job, counts } = prepared;
  const { n, plan } = job;
  const T = plan.nEstimators;
  const grown: (Omit<GrownTree, 'leafOf'> | undefined)[] = new Array<undefined>(T);
  const helpers = Array.from({ length: threads - 1 }, () => runWorker(job, grown));
  growFromCounter(job, (t, g) => (grown[t] = g));
  await Promise.all(helpers);
  const left = grown.flatMap((g, t) => (g ? [] : [t])); // taken by a worker that failed
  if (left.length > 0) {
    const { cols, y: labels } = jobArrays(job);
    const w = new Float64Array(n);
    for (const t of left) grown[t] = growForestTree(cols, labels, plan, counts ? counts.subarray(t * n, (t + 1) * n) : null, job.seeds[t]!, w);
  }
  const trees = grown.map((g) => makeTree(g!, plan.C, plan.criterion, X.columns));
  let oob: Float64Array | null = null;
  if (plan.wantOob && counts) {
    oob = new Float64Array(n * plan.C);
    for (let t = 0; t < T; t++) addOob(trees[t]!, X, counts.subarray(t * n, (t + 1) * n), oob);
  }
  return assembleForest(plan.C, trees, y, oob);
}

/**
 * Checks the options, makes every random draw of the fit in `fitRandomForest`'s order (tree t's bootstrap counts,
 * then its seed) and copies the presorted data to shared memory. Null when the one-thread fit should run instead:
 * a single tree, counts past 1 GiB, or a count past 255. Throws the same InputError as `fitRandomForest`.
 */
export function prepareForestJob(X: FeatureMatrix, y: Int32Array, options: RandomForestOptions): { job: ForestJob; counts: Uint8Array | null } | null {
  const plan = planForest(X, y, options);
  const n = X.rows;
  const T = plan.nEstimators;
  if (T === 1 || (plan.bootstrap && T * n > MAX_COUNT_BYTES)) return null;
  const rng = createRng(options.seed ?? 0);
  const counts = plan.bootstrap ? new Uint8Array(new SharedArrayBuffer(T * n)) : null;
  const seeds = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    if (counts && !drawBootstrap(rng, counts.subarray(t * n, (t + 1) * n), 255)) return null;
    seeds[t] = rng.int(0x7fffffff) || 1;
  }
  const cols = presort(X);
  const sorted = new Int32Array(new SharedArrayBuffer(cols.d * n * 4));
  cols.sorted.forEach((s, f) => sorted.set(s, f * n));
  const job: ForestJob = {
    n, d: cols.d, x: shared(cols.x), sorted: sorted.buffer as SharedArrayBuffer, y: shared(y),
    counts: counts ? (counts.buffer as SharedArrayBuffer) : null, seeds, next: new SharedArrayBuffer(4), plan,
  };
  return { job, counts };
}

function shared(src: Float32Array | Int32Array): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(src.byteLength);
  new Uint8Array(buf).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
  return buf;
}

/** The parent's flags minus those a worker rejects (`--input-type` is allowed only for the main entry point). */
function workerExecArgv(): string[] {
  return process.execArgv.filter((a, i, all) => !a.startsWith('--input-type') && all[i - 1] !== '--input-type');
}

/**
 * Starts one worker on the job and resolves when it is done or gone (never rejects: the trees it did not deliver are
 * grown on the main thread). Compiled it loads forest-worker.js; from TypeScript sources (tests under tsx) a worker
 * does not inherit tsx's loader on Node 20, so a small bootstrap loads the .ts file through tsx's API.
 */
function runWorker(job: ForestJob, grown: (Omit<GrownTree, 'leafOf'> | undefined)[]): Promise<void> {
  return new Promise((resolve) => {
    let w: Worker;
    try {
      if (!import.meta.url.endsWith('.ts')) {
        w = new Worker(new URL('./forest-worker.js', import.meta.url), { workerData: job, execArgv: workerExecArgv() });
      } else {
        const target = new URL('./forest-worker.ts', import.meta.url).href;
        const api = import.meta.resolve('tsx/esm/api');
        const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(target)}, ${JSON.stringify(target)}))`;
        w = new Worker(code, { eval: true, workerData: job, execArgv: workerExecArgv() });
      }
    } catch {
      resolve();
      return;
    }
    w.on('message', (m: TreeMessage) => {
      if (m.kind === 'tree') grown[m.t] = m.tree;
      else resolve();
    });
    w.once('error', () => resolve());
    w.once('exit', () => resolve());
  });
}
