/**
 * Random forest training, 100 trees, √d features per node, on synthetic 100,000 × 20 two-class data (ctx.quick:
 * 20,000 rows, 20 trees): ours (single thread) vs scikit-learn's RandomForestClassifier(n_jobs=2) in the same run,
 * on the same data written as raw float64 / int32 to ctx.workDir. Only the fit is timed on both sides; the note
 * gives both training accuracies on a held-out 20% for a sanity check.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Bench, BenchContext, BenchRow } from '../../bench/types.js';
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { accuracy } from './confusion.js';
import { fitRandomForest } from './random-forest.js';

const run = promisify(execFile);

const SKLEARN = `
import sys, time, json, resource
import numpy as np
from sklearn.ensemble import RandomForestClassifier
n, d, trees = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(sys.argv[1], dtype='<f8').reshape(n, d)
y = np.fromfile(sys.argv[2], dtype='<i4')
cut = int(n * 0.8)
t = time.perf_counter()
rf = RandomForestClassifier(n_estimators=trees, max_features='sqrt', n_jobs=2, random_state=0).fit(X[:cut], y[:cut])
s = time.perf_counter() - t
print(json.dumps({"seconds": s, "peakBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "accuracy": float((rf.predict(X[cut:]) == y[cut:]).mean())}))
`;

/** Two classes from a noisy logistic model on 8 of the 20 columns plus an interaction, so trees have work to do. */
function synthetic(rows: number, cols: number, seed: number): { X: FeatureMatrix; y: Int32Array } {
  const rng = createRng(seed);
  const values = new Float64Array(rows * cols);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = 0;
    for (let j = 0; j < cols; j++) {
      const v = rng.normal();
      values[r * cols + j] = v;
      if (j < 8) z += (j % 2 === 0 ? 1 : -0.7) * v;
    }
    z += 1.5 * values[r * cols]! * values[r * cols + 1]! + rng.normal();
    y[r] = z > 0 ? 1 : 0;
  }
  return { X: createMatrix(values, rows, cols), y };
}

const bench: Bench = {
  name: 'supervised',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const n = ctx.quick ? 20_000 : 100_000;
    const trees = ctx.quick ? 20 : 100;
    const d = 20;
    const { X, y } = synthetic(n, d, 0);
    const cut = Math.floor(n * 0.8);
    const train = createMatrix(X.values.subarray(0, cut * d), cut, d);
    const test = createMatrix(X.values.subarray(cut * d), n - cut, d);
    const t = performance.now();
    const rf = fitRandomForest(train, y.subarray(0, cut), { nEstimators: trees, maxFeatures: 'sqrt', seed: 0, oobScore: false });
    const oursSeconds = (performance.now() - t) / 1000;
    const acc = accuracy(y.subarray(cut), rf.predict(test));
    let note = `${n}×${d}, ${trees} trees, fit on 80%; held-out accuracy ours ${acc.toFixed(4)}`;
    let peer: { seconds: number; peakBytes: number; accuracy: number } | null = null;
    if (ctx.python) {
      const xf = join(ctx.workDir, `rf-${n}x${d}.f64`);
      const yf = join(ctx.workDir, `rf-${n}.i32`);
      await writeFile(xf, new Uint8Array(X.values.buffer, X.values.byteOffset, X.values.byteLength));
      await writeFile(yf, new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
      const { stdout } = await run(ctx.python, ['-c', SKLEARN, xf, yf, String(n), String(d), String(trees)], { maxBuffer: 1 << 20 });
      peer = JSON.parse(stdout) as { seconds: number; peakBytes: number; accuracy: number };
      note += `, sklearn ${peer.accuracy.toFixed(4)}; ours 1 thread, sklearn n_jobs=2`;
    } else {
      note += '; sklearn skipped: no Python with scikit-learn';
    }
    return [
      {
        name: `random forest ${trees} trees ${n} rows`,
        oursSeconds,
        oursPeakBytes: process.resourceUsage().maxRSS * 1024,
        ...(peer ? { peerName: 'sklearn RandomForestClassifier', peerSeconds: peer.seconds, peerPeakBytes: peer.peakBytes } : {}),
        note,
      },
    ];
  },
};

export default bench;
