/**
 * Benchmark: exact silhouette (20,000 × 8) and Davies–Bouldin / Calinski–Harabasz (1,000,000 × 8) on Gaussian blobs
 * (6 centres, seed 0), ours vs scikit-learn measured in the same run through `ctx.python`. The data go to the peer as
 * raw float64 / int32 files; only the metric call is timed on both sides. Medians of 3 runs. `ctx.quick`: 5,000 and
 * 100,000 rows.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Bench, BenchContext, BenchRow } from '../../bench/types.js';
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { calinskiHarabaszScore } from './calinski-harabasz.js';
import { daviesBouldinScore } from './davies-bouldin.js';
import { silhouetteScore } from './silhouette.js';
import { silhouetteScoreParallel } from './silhouette-parallel.js';

const run = promisify(execFile);
const COLS = 8;
const CENTRES = 6;
const REPEATS = 3;

const PEER = `
import json, sys, time
import numpy as np
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
fns = {"silhouette": silhouette_score, "daviesBouldin": davies_bouldin_score, "calinskiHarabasz": calinski_harabasz_score}
prefix, rows, cols, metric, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
X = np.fromfile(prefix + ".f64", dtype=np.float64).reshape(rows, cols)
y = np.fromfile(prefix + ".i32", dtype=np.int32)
times, value = [], None
for _ in range(repeats):
    t0 = time.perf_counter()
    value = fns[metric](X, y)
    times.append(time.perf_counter() - t0)
print(json.dumps({"seconds": float(np.median(times)), "value": float(value)}))
`;

/** Gaussian blobs: 6 centres drawn in [−10, 10]^8, unit spread; labels are the generating centre. */
function blobs(rows: number, seed: number): { m: FeatureMatrix; labels: Int32Array } {
  const rng = createRng(seed);
  const centres = Float64Array.from({ length: CENTRES * COLS }, () => rng.next() * 20 - 10);
  const values = new Float64Array(rows * COLS);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(CENTRES);
    labels[i] = c;
    for (let t = 0; t < COLS; t++) values[i * COLS + t] = centres[c * COLS + t]! + rng.normal();
  }
  return { m: createMatrix(values, rows, COLS), labels };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeOursAsync(fn: () => Promise<number>, repeats: number): Promise<{ seconds: number; value: number }> {
  const times: number[] = [];
  let value = NaN;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    value = await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), value };
}

function timeOurs(fn: () => number, repeats: number): { seconds: number; value: number } {
  const times: number[] = [];
  let value = NaN;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    value = fn();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), value };
}

async function timePeer(ctx: BenchContext, prefix: string, rows: number, metric: string): Promise<{ seconds: number; value: number }> {
  const { stdout } = await run(ctx.python!, ['-c', PEER, prefix, String(rows), String(COLS), metric, String(REPEATS)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { seconds: number; value: number };
}

async function measure(ctx: BenchContext, rows: number, cases: { name: string; metric: string; fn: (m: FeatureMatrix, l: Int32Array) => number }[]): Promise<BenchRow[]> {
  const { m, labels } = blobs(rows, 0);
  const prefix = join(ctx.workDir, `metrics-blobs-${rows}`);
  if (ctx.python !== null) {
    await writeFile(`${prefix}.f64`, new Uint8Array(m.values.buffer, m.values.byteOffset, m.values.byteLength));
    await writeFile(`${prefix}.i32`, new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
  }
  const out: BenchRow[] = [];
  for (const c of cases) {
    const ours = timeOurs(() => c.fn(m, labels), REPEATS);
    const size = `${rows.toLocaleString('en')} × ${COLS}, ${CENTRES} blobs`;
    if (ctx.python === null) {
      out.push({ name: `${c.name}, ${rows} rows`, oursSeconds: ours.seconds, note: `${size}; scikit-learn skipped: no Python with scikit-learn (ctx.python is null)` });
      continue;
    }
    const peer = await timePeer(ctx, prefix, rows, c.metric);
    const rel = Math.abs(ours.value - peer.value) / Math.max(Math.abs(peer.value), 1e-300);
    out.push({
      name: `${c.name}, ${rows} rows`,
      oursSeconds: ours.seconds,
      peerName: 'scikit-learn',
      peerSeconds: peer.seconds,
      note: `${size}; ours ${ours.value.toPrecision(12)}, scikit-learn ${peer.value.toPrecision(12)} (relative difference ${rel.toExponential(1)})`,
    });
  }
  return out;
}

/** Our async (worker-thread) variant only; the peer was measured in the single-threaded row of the same size. */
async function measureAsync(ctx: BenchContext, rows: number, name: string, fn: (m: FeatureMatrix, l: Int32Array) => Promise<number>): Promise<BenchRow[]> {
  const { m, labels } = blobs(rows, 0);
  const ours = await timeOursAsync(() => fn(m, labels), REPEATS);
  return [{ name: `${name}, ${rows} rows`, oursSeconds: ours.seconds, note: `${rows.toLocaleString('en')} × ${COLS}; value ${ours.value.toPrecision(12)}; compare with the scikit-learn time of the row above (threads include worker start-up)` }];
}

const bench: Bench = {
  name: 'cluster metrics',
  async run(ctx) {
    const silhouetteRows = ctx.quick ? 5_000 : 20_000;
    const linearRows = ctx.quick ? 100_000 : 1_000_000;
    return [
      ...(await measure(ctx, silhouetteRows, [{ name: 'exact silhouette (1 thread)', metric: 'silhouette', fn: (m, l) => silhouetteScore(m, l) }])),
      ...(await measureAsync(ctx, silhouetteRows, 'exact silhouette (worker threads)', (m, l) => silhouetteScoreParallel(m, l))),
      ...(await measure(ctx, linearRows, [
        { name: 'Davies–Bouldin', metric: 'daviesBouldin', fn: daviesBouldinScore },
        { name: 'Calinski–Harabasz', metric: 'calinskiHarabasz', fn: calinskiHarabaszScore },
      ])),
    ];
  },
};

export default bench;
