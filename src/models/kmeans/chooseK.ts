/**
 * Fits K-means for each k in [kMin, kMax] and reports inertia per k (for an elbow plot), plus an optional score
 * from a callback, so a metrics module (e.g. silhouette) can plug in without this module importing it.
 * Cost: (kMax − kMin + 1) K-means fits.
 */
import type { FeatureMatrix } from '../matrix.js';
import { kmeans } from './kmeans.js';
import type { KMeansOptions } from './types.js';
import { InputError } from '../../core/errors.js';

/** Scores one clustering; higher is better by convention of the caller (e.g. silhouette). */
export type ClusteringScore = (m: FeatureMatrix, labels: Int32Array, k: number) => number;

export interface ChooseKOptions extends Omit<KMeansOptions, 'k' | 'init'> {
  /** Default 2. */
  readonly kMin?: number;
  /** Default 10, lowered to rows when the matrix is smaller. */
  readonly kMax?: number;
  readonly score?: ClusteringScore;
}

/** Typed columns, one entry per k tried. */
export interface ChooseKResult {
  readonly ks: Int32Array;
  readonly inertias: Float64Array;
  /** Callback scores, or null without a callback. */
  readonly scores: Float64Array | null;
  readonly converged: Uint8Array;
  /** k at the elbow: the largest distance below the chord from the first to the last (normalised) inertia. */
  readonly elbowK: number;
}

export function chooseK(m: FeatureMatrix, options: ChooseKOptions = {}): ChooseKResult {
  const kMin = options.kMin ?? 2;
  const kMax = Math.min(options.kMax ?? 10, m.rows);
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 1 || kMin > kMax) {
    const message = `chooseK requires integers 1 ≤ kMin ≤ kMax ≤ rows (got kMin=${kMin}, kMax=${options.kMax ?? 10}, rows=${m.rows})`;
    throw new InputError(message, [{ path: 'kMin', message }]);
  }
  const count = kMax - kMin + 1;
  const ks = new Int32Array(count);
  const inertias = new Float64Array(count);
  const converged = new Uint8Array(count);
  const scores = options.score ? new Float64Array(count) : null;
  for (let i = 0; i < count; i++) {
    const k = kMin + i;
    const r = kmeans(m, { ...options, k });
    ks[i] = k;
    inertias[i] = r.inertia;
    converged[i] = r.converged ? 1 : 0;
    if (scores && options.score) scores[i] = options.score(m, r.labels, k);
  }
  return { ks, inertias, scores, converged, elbowK: elbow(ks, inertias) };
}

/** The k whose (normalised) inertia lies farthest below the straight line from the first to the last point. */
export function elbow(ks: Int32Array, inertias: Float64Array): number {
  const n = ks.length;
  if (n < 3) return ks[0] ?? 0;
  const k0 = ks[0]!;
  const k1 = ks[n - 1]!;
  const i0 = inertias[0]!;
  const i1 = inertias[n - 1]!;
  const range = i0 - i1 || 1;
  let best = k0;
  let bestGap = 0;
  for (let i = 1; i < n - 1; i++) {
    const t = (ks[i]! - k0) / (k1 - k0);
    const chord = 1 - t;
    const y = (inertias[i]! - i1) / range;
    const gap = chord - y;
    if (gap > bestGap + 1e-9) {
      bestGap = gap;
      best = ks[i]!;
    }
  }
  return best;
}
