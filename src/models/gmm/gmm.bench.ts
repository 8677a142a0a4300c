/**
 * Gaussian mixture, full covariance, k=6: ours (own k-means++ + Lloyd start) vs scikit-learn's
 * GaussianMixture(init_params='kmeans') on the same Gaussian blobs (8 columns, 6 centres) written as raw
 * float64 to ctx.workDir. 200,000 rows; ctx.quick uses 20,000. Fit time includes each side's K-means start.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Bench, BenchContext, BenchRow } from '../../bench/types.js';
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { fitGmm } from './gmm.js';

const run = promisify(execFile);

const SKLEARN = `
import sys, time, json, resource
import numpy as np
from sklearn.mixture import GaussianMixture
X = np.fromfile(sys.argv[1], dtype='<f8').reshape(int(sys.argv[2]), int(sys.argv[3]))
t = time.perf_counter()
gm = GaussianMixture(n_components=6, covariance_type='full', random_state=0).fit(X)
s = time.perf_counter() - t
print(json.dumps({"seconds": s, "peakBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "iterations": int(gm.n_iter_), "score": float(gm.score(X))}))
`;

function blobs(rows: number, cols: number, centres: number, seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const c = new Float64Array(centres * cols);
  for (let i = 0; i < c.length; i++) c[i] = rng.next() * 20 - 10;
  const values = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const k = r % centres;
    for (let j = 0; j < cols; j++) values[r * cols + j] = c[k * cols + j]! + rng.normal() * (1 + (k % 3) * 0.5);
  }
  return createMatrix(values, rows, cols);
}

const bench: Bench = {
  name: 'gmm',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const n = ctx.quick ? 20_000 : 200_000;
    const cols = 8;
    const m = blobs(n, cols, 6, 0);
    const t = performance.now();
    const fit = fitGmm(m, { k: 6, covarianceType: 'full', seed: 0 });
    const oursSeconds = (performance.now() - t) / 1000;
    let note = `${n}×${cols} blobs; ours ${fit.iterations} iterations, score ${fit.logLikelihood.toFixed(6)}`;
    let peer: { seconds: number; peakBytes: number; iterations: number; score: number } | null = null;
    if (ctx.python) {
      const file = join(ctx.workDir, `gmm-${n}x${cols}.f64`);
      await writeFile(file, new Uint8Array(m.values.buffer, m.values.byteOffset, m.values.byteLength));
      const { stdout } = await run(ctx.python, ['-c', SKLEARN, file, String(n), String(cols)], { maxBuffer: 1 << 20 });
      peer = JSON.parse(stdout) as { seconds: number; peakBytes: number; iterations: number; score: number };
      note += `; sklearn ${peer.iterations} iterations, score ${peer.score.toFixed(6)}`;
    } else {
      note += '; sklearn skipped: no Python with scikit-learn';
    }
    const rows: BenchRow[] = [];
    if (peer) {
      // The two sides start from different K-means solutions and may stop after different numbers of iterations;
      // this row runs ours for exactly sklearn's count (tolerance 0), so the EM work compared is the same.
      const t2 = performance.now();
      const same = fitGmm(m, { k: 6, covarianceType: 'full', seed: 0, tolerance: 0, maxIterations: peer.iterations });
      rows.push({
        name: `gmm full k=6 ${n} rows, ${peer.iterations} iterations each`,
        oursSeconds: (performance.now() - t2) / 1000,
        peerName: 'sklearn GaussianMixture',
        peerSeconds: peer.seconds,
        note: `ours ${same.iterations} iterations (tolerance 0), sklearn ${peer.iterations}`,
      });
    }
    return [
      ...rows,
      {
        name: `gmm full k=6 ${n} rows`,
        oursSeconds,
        oursPeakBytes: process.resourceUsage().maxRSS * 1024,
        ...(peer ? { peerName: 'sklearn GaussianMixture', peerSeconds: peer.seconds, peerPeakBytes: peer.peakBytes } : {}),
        note,
      },
    ];
  },
};

export default bench;
