/**
 * Bootstrap stability of a run's segments (models/select `bootstrapStability`: refit on resamples drawn with
 * replacement, compare with the run by adjusted Rand index), in the shape the run's metrics store and the
 * dashboard's model page draws. Above `stabilitySample` customers the resamples come from a seeded sample of that
 * many, compared with the run's own segments of those customers. Cost: `resamples` refits of the method on up to
 * `stabilitySample` rows — K-means with nInit restarts, a Ward tree of up to `treeSample` rows (about 1.3 s at
 * 5,000), or an EM fit (seconds at 20,000 rows) — plus O(n·k·d) per resample to label the rows.
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../../models/matrix.js';
import { bootstrapStability, sampleWithoutReplacement, takeRows } from '../../models/select/index.js';
import { count, type ResolvedOptions } from './method-fit.js';
import type { SegmentMethod, StoredStability } from './types.js';

export function segmentStability(x: FeatureMatrix, method: SegmentMethod, labels: Int32Array, k: number, o: ResolvedOptions): StoredStability {
  const rows = x.rows > o.stabilitySample ? sampleWithoutReplacement(x.rows, o.stabilitySample, createRng(o.seed)) : null;
  const m = rows ? takeRows(x, rows) : x;
  const reference = rows ? Int32Array.from(rows, (r) => labels[r]!) : labels;
  const s = bootstrapStability(m, method, k, { resamples: o.stability, seed: o.seed, reference, sampleForHierarchical: o.treeSample, nInit: o.nInit });
  const from = rows ? `a seeded sample of ${count(m.rows)} of ${count(x.rows)} customers` : `all ${count(m.rows)} customers`;
  return {
    mean: s.mean,
    std: s.std,
    min: s.min,
    ari: Array.from(s.ari),
    resamples: o.stability,
    rows: m.rows,
    method,
    k,
    note: `${method} k=${k} refitted on ${o.stability} bootstrap resamples of ${from}, each compared with the run's segments by adjusted Rand index`,
  };
}
