/**
 * K-means on 1,000,000 × 8 Gaussian blobs (k = 6, one k-means++ init, maxIterations 100; 100,000 rows with
 * `quick`): ours (Hamerly on 2 threads and on 1, Lloyd, mini-batch) against scikit-learn's Lloyd, Elkan and MiniBatchKMeans, measured in
 * the same run through /usr/bin/python3 on the same data (written as raw float64, read with numpy.fromfile; only
 * the fit is timed). Medians of 3.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../core/rng.js';
import type { Bench, BenchContext, BenchRow } from '../../bench/types.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { kmeans, miniBatchKMeans, PARALLEL_MIN_ROWS } from './index.js';

const D = 8;
const K = 6;
const RUNS = 3;

/** make_blobs-like data: centres uniform in (−10, 10), unit standard deviation. */
function blobs(n: number, seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const centres = new Float64Array(K * D);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.next() * 20 - 10;
  const x = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    const c = rng.int(K);
    for (let j = 0; j < D; j++) x[i * D + j] = centres[c * D + j]! + rng.normal();
  }
  return createMatrix(x, n, D);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => void): number {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
}

const PY = `
import json, sys, time
import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
path, n, d, k, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(path, dtype='<f8').reshape(n, d)
out = {}
for name, make in [
    ('lloyd', lambda s: KMeans(n_clusters=k, n_init=1, max_iter=100, algorithm='lloyd', random_state=s)),
    ('elkan', lambda s: KMeans(n_clusters=k, n_init=1, max_iter=100, algorithm='elkan', random_state=s)),
    ('minibatch', lambda s: MiniBatchKMeans(n_clusters=k, n_init=1, batch_size=4096, random_state=s)),
]:
    times, iters = [], []
    for s in range(runs):
        m = make(s)
        t = time.perf_counter(); m.fit(X); times.append(time.perf_counter() - t)
        iters.append(int(m.n_iter_))
    out[name] = {'seconds': sorted(times)[len(times) // 2], 'iterations': iters}
print(json.dumps(out))
`;

interface PeerTimes {
  [name: string]: { seconds: number; iterations: number[] } | undefined;
}

function runPeer(ctx: BenchContext, m: FeatureMatrix): PeerTimes | string {
  if (ctx.python === null) return 'peer skipped: no Python with scikit-learn';
  const file = join(ctx.workDir, `kmeans-blobs-${m.rows}x${m.cols}.f64`);
  writeFileSync(file, new Uint8Array(m.values.buffer, m.values.byteOffset, m.values.byteLength));
  const r = spawnSync(ctx.python, ['-c', PY, file, String(m.rows), String(m.cols), String(K), String(RUNS)], { encoding: 'utf8' });
  if (r.status !== 0) return `peer failed: ${r.stderr.trim().split('\n').pop() ?? 'unknown error'}`;
  return JSON.parse(r.stdout) as PeerTimes;
}

const bench: Bench = {
  name: 'kmeans',
  async run(ctx) {
    const n = ctx.quick ? 100_000 : 1_000_000;
    const m = blobs(n, 0);
    const peer = runPeer(ctx, m);
    const rows: BenchRow[] = [];
    const warm = blobs(20_000, 1); // let the JIT compile the kernels before timing, as numpy's are precompiled
    kmeans(warm, { k: K, nInit: 1 });
    kmeans(warm, { k: K, nInit: 1, algorithm: 'lloyd' });
    kmeans(blobs(PARALLEL_MIN_ROWS, 2), { k: K, nInit: 1, threads: 2 }); // starts the worker pool (once per process)
    const size = `${n.toLocaleString('en')}×${D}, k=${K}`;
    const ours = (label: string, peerKey: string, peerName: string, f: (seed: number) => string): void => {
      const notes: string[] = [];
      const seconds = median(Array.from({ length: RUNS }, (_, s) => time(() => notes.push(f(s)))));
      const p = typeof peer === 'string' ? undefined : peer[peerKey];
      const note = `${size}; ours ${notes.join(' / ')}` + (p ? `; sklearn iterations ${p.iterations.join(' / ')}` : typeof peer === 'string' ? `; ${peer}` : '');
      rows.push(p ? { name: label, oursSeconds: seconds, peerName, peerSeconds: p.seconds, note } : { name: label, oursSeconds: seconds, note });
    };
    const hamerly = (threads: number) => (seed: number): string => {
      const r = kmeans(m, { k: K, nInit: 1, maxIterations: 100, seed, threads });
      return `${r.iterations} it`;
    };
    ours('kmeans hamerly, 2 threads', 'lloyd', 'scikit-learn KMeans lloyd (2 threads)', hamerly(2));
    ours('kmeans hamerly, 2 threads', 'elkan', 'scikit-learn KMeans elkan (2 threads)', hamerly(2));
    ours('kmeans hamerly, 1 thread', 'lloyd', 'scikit-learn KMeans lloyd (2 threads)', hamerly(1));
    ours('kmeans lloyd, 1 thread', 'elkan', 'scikit-learn KMeans elkan (2 threads)', (seed) => {
      const r = kmeans(m, { k: K, nInit: 1, maxIterations: 100, seed, algorithm: 'lloyd', threads: 1 });
      return `${r.iterations} it`;
    });
    ours('miniBatchKMeans, batch 4096', 'minibatch', 'scikit-learn MiniBatchKMeans', (seed) => {
      const r = miniBatchKMeans(m, { k: K, batchSize: 4096, seed });
      return `${r.steps} steps`;
    });
    return rows;
  },
};

export default bench;
