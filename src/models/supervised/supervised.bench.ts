/**
 * Tree ensembles on synthetic 100,000 × 20 two-class data (ctx.quick: 20,000 rows, 20 trees / stages), against
 * scikit-learn in the same run on the same data (written as raw float64 / int32 to ctx.workDir):
 * - random forest, 100 trees, √d features per node: ours on one thread and on two (`fitRandomForestParallel`, the
 *   same trees) vs RandomForestClassifier(n_jobs=2);
 * - gradient boosting, 100 stages of depth-3 trees, learning rate 0.1: ours vs GradientBoostingClassifier (the
 *   same exact-split algorithm; single-threaded in sklearn too), and HistGradientBoostingClassifier(max_iter=100,
 *   max_depth=3, early_stopping=False) as context: a different, binned algorithm (2 OpenMP threads), not a
 *   like-for-like peer.
 * Only the fit is timed on both sides; the notes give held-out accuracies on the last 20% as a sanity check.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Bench, BenchContext, BenchRow } from '../../bench/types.js';
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { accuracy } from './confusion.js';
import { fitGradientBoosting } from './gradient-boosting.js';
import { fitRandomForestParallel } from './forest-parallel.js';
import { fitRandomForest } from './random-forest.js';

const run = promisify(execFile);

const SKLEARN = `
import sys, time, json, resource
import numpy as np
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier, HistGradientBoostingClassifier
n, d, trees = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(sys.argv[1], dtype='<f8').reshape(n, d)
y = np.fromfile(sys.argv[2], dtype='<i4')
cut = int(n * 0.8)
out = {}
for name, make in [
    ('rf', lambda: RandomForestClassifier(n_estimators=trees, max_features='sqrt', n_jobs=2, random_state=0)),
    ('gbt', lambda: GradientBoostingClassifier(n_estimators=trees, learning_rate=0.1, max_depth=3, random_state=0)),
    ('hist', lambda: HistGradientBoostingClassifier(max_iter=trees, learning_rate=0.1, max_depth=3, early_stopping=False, random_state=0)),
]:
    m = make()
    t = time.perf_counter()
    m.fit(X[:cut], y[:cut])
    s = time.perf_counter() - t
    out[name] = {"seconds": s, "accuracy": float((m.predict(X[cut:]) == y[cut:]).mean())}
out["peakBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(out))
`;

interface PeerFit {
  readonly seconds: number;
  readonly accuracy: number;
}
interface PeerResult {
  readonly rf: PeerFit;
  readonly gbt: PeerFit;
  readonly hist: PeerFit;
  readonly peakBytes: number;
}

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

async function runPeer(ctx: BenchContext, X: FeatureMatrix, y: Int32Array, trees: number): Promise<PeerResult | string> {
  if (!ctx.python) return 'sklearn skipped: no Python with scikit-learn';
  const xf = join(ctx.workDir, `trees-${X.rows}x${X.cols}.f64`);
  const yf = join(ctx.workDir, `trees-${X.rows}.i32`);
  await writeFile(xf, new Uint8Array(X.values.buffer, X.values.byteOffset, X.values.byteLength));
  await writeFile(yf, new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
  try {
    const { stdout } = await run(ctx.python, ['-c', SKLEARN, xf, yf, String(X.rows), String(X.cols), String(trees)], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as PeerResult;
  } catch (error) {
    return `sklearn failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

function seconds(f: () => void): number {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
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
    const yTrain = y.subarray(0, cut);
    const yTest = y.subarray(cut);
    // the peer runs first, alone, so that neither side's timing includes the other's load
    const peer = await runPeer(ctx, X, y, trees);
    const p = typeof peer === 'string' ? null : peer;
    const size = `${n.toLocaleString('en')}×${d}, fit on 80%`;
    const sk = (f: PeerFit | undefined) => (f ? `, sklearn ${f.accuracy.toFixed(4)}` : typeof peer === 'string' ? `; ${peer}` : '');

    let rf: ReturnType<typeof fitRandomForest> | undefined;
    const rfSeconds = seconds(() => (rf = fitRandomForest(train, yTrain, { nEstimators: trees, maxFeatures: 'sqrt', seed: 0, oobScore: false })));
    const rfAcc = accuracy(yTest, rf!.predict(test));
    const t2 = performance.now();
    const rf2 = await fitRandomForestParallel(train, yTrain, { nEstimators: trees, maxFeatures: 'sqrt', seed: 0, oobScore: false, threads: 2 });
    const rf2Seconds = (performance.now() - t2) / 1000;
    const sameTrees = rf2.trees.every((tree, i) => tree.nodeCount === rf!.trees[i]!.nodeCount && tree.threshold.every((v, j) => Object.is(v, rf!.trees[i]!.threshold[j])));
    let gb: ReturnType<typeof fitGradientBoosting> | undefined;
    const gbSeconds = seconds(() => (gb = fitGradientBoosting(train, yTrain, { nEstimators: trees, learningRate: 0.1, maxDepth: 3, seed: 0 })));
    const gbAcc = accuracy(yTest, gb!.predict(test));
    const peak = process.resourceUsage().maxRSS * 1024;
    const peerOf = (name: string, f: PeerFit | undefined) => (f && p ? { peerName: name, peerSeconds: f.seconds, peerPeakBytes: p.peakBytes } : {});
    return [
      {
        name: `random forest, ${trees} trees, ${n} rows`,
        oursSeconds: rfSeconds,
        oursPeakBytes: peak,
        ...peerOf('sklearn RandomForestClassifier n_jobs=2', p?.rf),
        note: `${size}; held-out accuracy ours ${rfAcc.toFixed(4)}${sk(p?.rf)}; ours 1 thread`,
      },
      {
        name: `random forest, ${trees} trees, ${n} rows, 2 threads`,
        oursSeconds: rf2Seconds,
        ...peerOf('sklearn RandomForestClassifier n_jobs=2', p?.rf),
        note: `fitRandomForestParallel; same trees as 1 thread: ${sameTrees ? 'yes' : 'NO'}`,
      },
      {
        name: `gradient boosting, ${trees} stages depth 3, ${n} rows`,
        oursSeconds: gbSeconds,
        ...peerOf('sklearn GradientBoostingClassifier', p?.gbt),
        note: `${size}; held-out accuracy ours ${gbAcc.toFixed(4)}${sk(p?.gbt)}; both 1 thread, exact splits`,
      },
      {
        name: `gradient boosting vs the histogram variant (context)`,
        oursSeconds: gbSeconds,
        ...peerOf('sklearn HistGradientBoostingClassifier', p?.hist),
        note: `not like for like: 255 bins, 2 OpenMP threads${sk(p?.hist)}`,
      },
    ];
  },
};

export default bench;
