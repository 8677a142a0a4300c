/** The segment × feature tables of the segments page: z-scores for the heatmap, 0..1 scaling for the radar. */
import type { GroupStats } from './segment-stats.js';

/**
 * z of each segment mean against all customers: (mean_segment − mean_all) / sd_all (population sd over customers
 * with a value). Null when either mean is missing or the feature is constant. O(segments·features).
 */
export function zScoreTable(segments: readonly GroupStats[], overall: GroupStats): (number | null)[][] {
  return segments.map((s) =>
    s.means.map((mean, j) => {
      const mu = overall.means[j] ?? null;
      const sd = overall.sds[j] ?? null;
      if (mean === null || mu === null || sd === null || !(sd > 0)) return null;
      const z = (mean - mu) / sd;
      return Number.isFinite(z) ? z : null;
    }),
  );
}

/**
 * Each feature's segment means scaled to 0..1 across segments (lowest 0, highest 1); 0.5 for every segment when
 * they are all equal (one segment included), null for a missing mean. O(segments·features).
 */
export function minMaxTable(segments: readonly GroupStats[], features: number): (number | null)[][] {
  const lo = new Array<number>(features).fill(Infinity);
  const hi = new Array<number>(features).fill(-Infinity);
  for (const s of segments) {
    for (let j = 0; j < features; j++) {
      const v = s.means[j];
      if (v === null || v === undefined) continue;
      lo[j] = Math.min(lo[j]!, v);
      hi[j] = Math.max(hi[j]!, v);
    }
  }
  return segments.map((s) =>
    Array.from({ length: features }, (_, j) => {
      const v = s.means[j];
      if (v === null || v === undefined) return null;
      const range = hi[j]! - lo[j]!;
      return range > 0 ? (v - lo[j]!) / range : 0.5;
    }),
  );
}
