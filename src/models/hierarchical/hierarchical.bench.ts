/**
 * Ward linkage, ours vs scipy's `linkage(X, 'ward')` (which builds the n×n condensed matrix) on the same
 * Gaussian blobs (8 columns, 6 centres), written as raw float64 to ctx.workDir for the Python child.
 * Sizes: 20,000 rows against scipy and 50,000 ours only; ctx.quick uses 5,000 and 10,000.
 * Peak memory: ours is this process's maxRSS after the run (an upper bound: it includes Node itself and
 * whatever ran before), scipy's is ru_maxrss of its child process.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Bench, BenchContext, BenchRow } from '../../bench/types.js';
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { linkage } from './linkage.js';

const run = promisify(execFile);

const SCIPY = `
import sys, time, json, resource
import numpy as np
from scipy.cluster.hierarchy import linkage
X = np.fromfile(sys.argv[1], dtype='<f8').reshape(int(sys.argv[2]), int(sys.argv[3]))
t = time.perf_counter()
Z = linkage(X, 'ward')
s = time.perf_counter() - t
print(json.dumps({"seconds": s, "peakBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "top": float(Z[-1, 2])}))
`;

/** Gaussian blobs: `centres` centres uniform in [−10, 10]^cols, unit spread, rows dealt round-robin. */
export function blobs(rows: number, cols: number, centres: number, seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const c = new Float64Array(centres * cols);
  for (let i = 0; i < c.length; i++) c[i] = rng.next() * 20 - 10;
  const values = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const k = r % centres;
    for (let j = 0; j < cols; j++) values[r * cols + j] = c[k * cols + j]! + rng.normal();
  }
  return createMatrix(values, rows, cols);
}

function timeWard(m: FeatureMatrix): { seconds: number; top: number; peakBytes: number } {
  const t = performance.now();
  const z = linkage(m, { method: 'ward' });
  const seconds = (performance.now() - t) / 1000;
  return { seconds, top: z.Z[z.Z.length - 2]!, peakBytes: process.resourceUsage().maxRSS * 1024 };
}

const bench: Bench = {
  name: 'hierarchical',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const n = ctx.quick ? 5_000 : 20_000;
    const cols = 8;
    const m = blobs(n, cols, 6, 0);
    const ours = timeWard(m);
    let peer: { seconds: number; peakBytes: number; top: number } | null = null;
    let note = `${n}×${cols} blobs; top merge height ours ${ours.top.toFixed(6)}`;
    if (ctx.python) {
      const file = join(ctx.workDir, `ward-${n}x${cols}.f64`);
      await writeFile(file, new Uint8Array(m.values.buffer, m.values.byteOffset, m.values.byteLength));
      const { stdout } = await run(ctx.python, ['-c', SCIPY, file, String(n), String(cols)], { maxBuffer: 1 << 20 });
      peer = JSON.parse(stdout) as { seconds: number; peakBytes: number; top: number };
      note += `, scipy ${peer.top.toFixed(6)}`;
    } else {
      note += '; scipy skipped: no Python with scipy';
    }
    rows.push({
      name: `ward linkage ${n} rows`,
      oursSeconds: ours.seconds,
      oursPeakBytes: ours.peakBytes,
      ...(peer ? { peerName: 'scipy linkage(ward)', peerSeconds: peer.seconds, peerPeakBytes: peer.peakBytes } : {}),
      note,
    });
    const big = ctx.quick ? 10_000 : 50_000;
    const large = timeWard(blobs(big, cols, 6, 1));
    rows.push({
      name: `ward linkage ${big} rows (ours only)`,
      oursSeconds: large.seconds,
      oursPeakBytes: large.peakBytes,
      note: `${big}×${cols} blobs; O(n·d) memory, no peer (scipy would need ${((big * (big - 1)) / 2 * 8 / 1e9).toFixed(1)} GB for the condensed matrix)`,
    });
    return rows;
  },
};

export default bench;
