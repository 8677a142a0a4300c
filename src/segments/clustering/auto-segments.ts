/**
 * `--method auto`: compare K-means, Ward and the Gaussian mixture over k with models/select `chooseModel`
 * (silhouette, Davies–Bouldin, Calinski–Harabasz, BIC and bootstrap stability; among stable candidates the
 * highest silhouette, near-ties to the simpler model), on a seeded sample of at most `compareSample` customers,
 * then fit the chosen method and k on every customer with that method's own segment fit. The comparison table
 * and its explanation are kept for the run. Cost: 3 methods × |k range| fits on the sample, a few bootstrap
 * stability checks of `resamples` refits each (Ward refits on trees of ≤ 2,000 rows), then one full fit.
 */
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../../models/matrix.js';
import { kneedle } from '../../models/metrics/index.js';
import { chooseModel, sampleWithoutReplacement, takeRows, type ModelChoice } from '../../models/select/index.js';
import { autoKRange, count, kCandidates, type MethodFit, type ResolvedOptions } from './method-fit.js';
import { SEGMENT_DEFAULTS, SEGMENT_METHODS, type MethodChoice, type SegmentMethod, type StoredStability } from './types.js';

export interface AutoOutcome {
  readonly fit: MethodFit;
  readonly choice: MethodChoice;
  /** The chosen candidate's stability from the comparison (null when the run computes its own). */
  readonly stability: StoredStability | null;
}

/** Fits one method on every customer: how `auto` refits its choice. */
export type SegmentFitter = (method: SegmentMethod, x: FeatureMatrix, o: ResolvedOptions) => Promise<MethodFit>;

export async function fitAutoSegments(x: FeatureMatrix, o: ResolvedOptions, fitOne: SegmentFitter): Promise<AutoOutcome> {
  if (o.k !== 'auto' && (!Number.isInteger(o.k) || o.k < 2 || o.k > x.rows - 1)) {
    throw new InputError(`--method auto compares segmentations and requires --k auto or a whole k between 2 and customers − 1 (got k=${o.k}, customers=${x.rows})`);
  }
  const sampled = x.rows > o.compareSample;
  const cx = sampled ? takeRows(x, sampleWithoutReplacement(x.rows, o.compareSample, createRng(o.seed))) : x;
  const kRange = o.k === 'auto' ? autoKRange(o, cx.rows) : o.k;
  const resamples = o.stability > 0 ? o.stability : SEGMENT_DEFAULTS.autoResamples;
  const choice = chooseModel(cx, { methods: SEGMENT_METHODS, kRange, seed: o.seed, sampleForHierarchical: o.treeSample, resamples, nInit: o.nInit });
  const method = choice.chosen.method as SegmentMethod;
  const k = choice.chosen.k;
  const full = await fitOne(method, x, { ...o, k });
  const where = sampled ? `a seeded sample of ${count(cx.rows)} of ${count(x.rows)} customers` : `all ${count(x.rows)} customers`;
  const ks = typeof kRange === 'number' ? `k=${kRange}` : `k=${kRange[0]}..${kRange[1]}`;
  const candidates = kCandidates(choice.candidates, method, null);
  const fit: MethodFit = {
    ...full,
    candidates: candidates.length > 0 ? candidates : full.candidates,
    elbowK: method === 'kmeans' && candidates.length >= 3 ? kneedle(candidates.map((c) => c.k), candidates.map((c) => c.inertia)).knee : null,
    chosenBy: `--method auto compared ${SEGMENT_METHODS.join(', ')} at ${ks} on ${where}: ${choice.explanation} Then ${method} k=${k} was fitted on all ${count(x.rows)} customers${full.k < k ? `, giving ${full.k} segments` : ''}.`,
  };
  return { fit, choice: methodChoice(choice, cx.rows), stability: o.stability > 0 ? null : comparisonStability(choice, method, cx.rows, resamples) };
}

function methodChoice(choice: ModelChoice, rows: number): MethodChoice {
  return {
    rule: choice.rule,
    explanation: choice.explanation,
    comparedRows: rows,
    candidates: choice.candidates.map((c) => ({
      method: c.method, k: c.k, silhouette: c.silhouette, daviesBouldin: c.daviesBouldin, calinskiHarabasz: c.calinskiHarabasz,
      bic: c.bic, stability: c.stability, excluded: c.excluded,
    })),
  };
}

/** The chosen candidate's bootstrap stability as the comparison measured it (summary only, no per-resample ARIs). */
function comparisonStability(choice: ModelChoice, method: SegmentMethod, rows: number, resamples: number): StoredStability | null {
  const s = choice.chosen.stability;
  if (!s) return null;
  const k = choice.chosen.k;
  return {
    mean: s.mean, std: s.std, min: s.min, resamples, rows, method, k,
    note: `from --method auto's comparison: ${method} k=${k} refitted on ${resamples} bootstrap resamples of the ${count(rows)} compared customers${method === 'ward' ? ' (trees of at most 2,000 rows)' : ''}, each compared with its fit on them by adjusted Rand index`,
  };
}
