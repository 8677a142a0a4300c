/**
 * What one method's fit hands back to `segmentCustomers` (labels and centroids in the clustering space, the k
 * scan, how customers were assigned), and the helpers the methods share: the k checks with the house messages,
 * the run's sampled silhouette, and the k rows of a models/select comparison.
 */
import { InputError } from '../../core/errors.js';
import type { FeatureMatrix } from '../../models/matrix.js';
import { silhouetteScoreSampledParallel } from '../../models/metrics/index.js';
import type { Candidate } from '../../models/select/index.js';
import type { FitFacts, KCandidate, SegmentCustomersOptions, SegmentMethod } from './types.js';

export interface MethodFit {
  readonly method: SegmentMethod;
  /** Segments obtained (distinct labels 0..k−1). */
  readonly k: number;
  readonly labels: Int32Array;
  /** k × cols, in the clustering space: the centroids a new customer is placed at. */
  readonly zCentroids: Float64Array;
  readonly candidates: readonly KCandidate[];
  readonly elbowK: number | null;
  readonly chosenBy: string;
  readonly silhouette: number;
  readonly inertia: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** How every customer got its segment (without the placement agreement, which `finishSegmentation` adds). */
  readonly assignment: string;
  readonly fitFacts: FitFacts;
}

/** Options with every default filled in, as the method fits receive them. */
export type ResolvedOptions = Required<Omit<SegmentCustomersOptions, 'method'>>;

/** The k range of `--k auto` on `rows` customers, or an InputError naming the customers needed. */
export function autoKRange(o: ResolvedOptions, rows: number): [number, number] {
  const kMax = Math.min(o.kMax, rows - 1);
  if (kMax < o.kMin) throw new InputError(`--k auto requires at least ${o.kMin + 1} customers (got ${rows})`);
  return [o.kMin, kMax];
}

/** Checks a fixed k against the customers, with the message the CLI shows. */
export function checkFixedK(k: number, rows: number): void {
  if (!Number.isInteger(k) || k < 1 || k > rows) throw new InputError(`--k must be a whole number between 1 and the number of customers (got k=${k}, customers=${rows})`);
}

/**
 * The run's silhouette: on a seeded sample of `silhouetteSample` rows (all rows when fewer), the distance pass on
 * worker threads; 0 for a single segment. Every method is scored on the same rows for the same seed.
 */
export async function runSilhouette(x: FeatureMatrix, labels: Int32Array, k: number, o: ResolvedOptions): Promise<number> {
  if (k < 2) return 0;
  return silhouetteScoreSampledParallel(x, labels, { sampleSize: Math.min(o.silhouetteSample, x.rows), seed: o.seed });
}

/** The k rows of a comparison for one method that could be chosen (excluded rows are named in `chosenBy`). */
export function kCandidates(candidates: readonly Candidate[], method: SegmentMethod, converged: boolean | null): KCandidate[] {
  return candidates
    .filter((c) => c.method === method && c.excluded === null && c.silhouette !== null)
    .map((c) => ({ k: c.k, inertia: c.inertia, silhouette: c.silhouette!, converged, ...(c.bic !== null ? { bic: c.bic } : {}) }));
}

/** "; k=9 excluded (gave 8 clusters, not 9)" for candidates that could not be chosen, else "". */
export function excludedNote(candidates: readonly Candidate[], method: SegmentMethod): string {
  const excluded = candidates.filter((c) => c.method === method && c.excluded !== null);
  return excluded.length > 0 ? `; not eligible: ${excluded.map((c) => `k=${c.k} (${c.excluded})`).join(', ')}` : '';
}

/** 12,345 */
export const count = (n: number): string => n.toLocaleString('en-US');
