/**
 * Worker threads for the K-means kernels: a small pool started on first use and kept for the life of the
 * process (its threads are unref'd, so they never keep the process alive; `closeKMeansWorkers` ends them).
 * A fit attaches the workers to its SharedArrayBuffers (`buffers.ts`); each step then costs one Atomics.notify
 * and one wait, and the chunks are shared out dynamically. Each chunk writes only its own partial results,
 * which the main thread adds in chunk order, so a threaded fit equals a single-thread fit bit for bit.
 *
 * `kmeans` is synchronous, so the main thread blocks in Atomics.wait while the workers run (and takes chunks
 * itself). Workers load from compiled JS; run from TypeScript sources (tests under tsx) they load the .ts
 * worker through tsx's API, as `metrics/silhouette-parallel.ts` does.
 */
import { Worker } from 'node:worker_threads';
import type { BufferList, KernelBuffers } from './buffers.js';
import { runChunk, type KernelCommand } from './kernels.js';
import { CMD_DETACH, CONTROL_LENGTH, C_CMD, C_DONE, C_ERROR, C_NEXT, C_READY, C_SEQ, type AttachMessage } from './pool-protocol.js';
import type { ChunkRunner } from './runner.js';

/**
 * How long a fit waits for workers to start (the first fit of a process loads them) before running alone. A
 * worker that fails to load cannot say so while the main thread waits, hence the timeout; after one failure the
 * process stops trying and runs every later fit on one thread (same results).
 */
const READY_TIMEOUT_MS = 15_000;

let pool: Worker[] = [];
let broken = false;

/** The parent's flags minus those a worker rejects (`--input-type`, allowed only for the main entry point). */
function workerExecArgv(): string[] {
  return process.execArgv.filter((a, i, all) => !a.startsWith('--input-type') && !(all[i - 1] === '--input-type'));
}

function startWorker(): Worker {
  let w: Worker;
  if (!import.meta.url.endsWith('.ts')) {
    w = new Worker(new URL('./kernel-worker.js', import.meta.url), { execArgv: workerExecArgv() });
  } else {
    const target = new URL('./kernel-worker.ts', import.meta.url).href;
    const api = import.meta.resolve('tsx/esm/api');
    const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(target)}, ${JSON.stringify(target)}))`;
    w = new Worker(code, { eval: true, execArgv: workerExecArgv() });
  }
  w.unref();
  // A failed worker leaves the pool; the fit it was attached to sees C_ERROR (set by the worker on exit).
  const drop = (): void => {
    pool = pool.filter((p) => p !== w);
  };
  w.once('error', drop);
  w.once('exit', drop);
  return w;
}

/** Ends the pooled worker threads (they are started again on demand). */
export async function closeKMeansWorkers(): Promise<void> {
  const all = pool;
  pool = [];
  await Promise.all(all.map((w) => w.terminate()));
}

/** Waits until control[index] ≥ target; false on timeout. */
function waitAtLeast(control: Int32Array, index: number, target: number, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = Atomics.load(control, index);
    if (v >= target) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(control, index, v, left);
  }
}

function post(control: Int32Array, command: number): void {
  Atomics.store(control, C_NEXT, 0);
  Atomics.store(control, C_DONE, 0);
  Atomics.store(control, C_CMD, command);
  Atomics.add(control, C_SEQ, 1);
  Atomics.notify(control, C_SEQ);
}

/**
 * A runner that spreads chunks over `threads` threads (the calling one included), or null when the workers
 * could not be started, in which case the caller runs on one thread (same result). Every buffer in `list` must
 * be a SharedArrayBuffer. Call `close()` to detach the workers.
 */
export function threadedRunner(buffers: KernelBuffers, list: BufferList, threads: number): ChunkRunner | null {
  const helpers = threads - 1;
  if (broken) return null;
  try {
    while (pool.length < helpers) pool.push(startWorker());
  } catch {
    return null; // e.g. a loader without import.meta.resolve: run on one thread, with the same result
  }
  const workers = pool.slice(0, helpers);
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4));
  const message: AttachMessage = { n: buffers.n, d: buffers.d, k: buffers.k, list, control: control.buffer as SharedArrayBuffer };
  for (const w of workers) w.postMessage(message);
  let attached = true;
  const detach = (): void => {
    if (!attached) return;
    attached = false;
    post(control, CMD_DETACH);
    waitAtLeast(control, C_DONE, helpers, READY_TIMEOUT_MS);
  };
  if (!waitAtLeast(control, C_READY, helpers, READY_TIMEOUT_MS) || Atomics.load(control, C_ERROR) !== 0) {
    attached = false;
    post(control, CMD_DETACH); // releases any worker that did attach; the rest never will
    broken = true;
    void closeKMeansWorkers();
    return null;
  }
  return {
    buffers,
    run(command: KernelCommand) {
      post(control, command);
      for (let c = Atomics.add(control, C_NEXT, 1); c < buffers.nChunks; c = Atomics.add(control, C_NEXT, 1)) runChunk(buffers, command, c);
      waitAtLeast(control, C_DONE, helpers, Infinity);
      if (Atomics.load(control, C_ERROR) !== 0) {
        detach();
        throw new Error(`kmeans worker thread failed (command ${command}, ${helpers} workers)`);
      }
    },
    close: detach,
  };
}
