/**
 * Choosing the model: compare methods and k by silhouette, Davies–Bouldin, Calinski–Harabasz, BIC (mixtures) and
 * bootstrap stability, pick by a stated rule, and explain the pick in one paragraph.
 *
 * Rule: among candidates whose stability (mean bootstrap ARI) is at least `minStability` (0.8), the highest
 * silhouette; candidates within `tieTolerance` (0.01) of it count as tied and the simplest wins (fewer clusters,
 * then kmeans < minibatch < ward < average < complete < single < gmm). If none is stable, the most stable of those
 * checked. Stability is computed lazily in descending silhouette order, skipping tied candidates that could not win
 * the tie, which gives the same pick as computing it for all at the cost of a few bootstraps instead of all of them.
 * Hierarchical refits in the bootstrap build their tree on at most 2,000 rows, so a stability check stays cheap.
 */
import { InputError } from '../../core/errors.js';
import { silentProgress, type Progress } from '../../core/progress.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import { fitMethod, type Tree } from './fit.js';
import { GRID_DEFAULTS, evaluateGrid, type Candidate } from './grid.js';
import { explainChoice } from './explain.js';
import { bootstrapStability } from './stability.js';
import { CLUSTER_METHODS, SIMPLICITY, type ClusterMethod, type FittedModel } from './types.js';

export interface ChooseModelOptions {
  /** Default: all seven methods. */
  readonly methods?: readonly ClusterMethod[];
  /** Inclusive [kMin, kMax] (default [2, 10], kMax lowered to rows − 1), or a fixed k. */
  readonly kRange?: readonly [number, number] | number;
  /** Default 0. */
  readonly seed?: number;
  /** Rows a hierarchical tree is built on at most. Default 5,000. */
  readonly sampleForHierarchical?: number;
  /** Exact silhouette up to this many rows, sampled above. Default 2,000. */
  readonly silhouetteSample?: number;
  /** Rows a hierarchical tree is built on at most in each bootstrap refit. Default 2,000. */
  readonly stabilitySampleForHierarchical?: number;
  /** Bootstrap resamples per stability check. Default 10. */
  readonly resamples?: number;
  /** Default 0.8. */
  readonly minStability?: number;
  /** Default 0.01. */
  readonly tieTolerance?: number;
  /** Most candidates whose stability is computed. Default 8. */
  readonly maxStabilityChecks?: number;
  /** K-means restarts. Default 10. */
  readonly nInit?: number;
  readonly progress?: Progress;
}

export interface ModelChoice {
  readonly chosen: Candidate;
  /** The chosen model fitted on all rows. */
  readonly model: FittedModel;
  /** Every (method, k) tried, in method then k order. */
  readonly candidates: readonly Candidate[];
  readonly rule: string;
  readonly explanation: string;
  /** Rows the hierarchical trees were built on (null when they used every row). */
  readonly hierarchicalSample: number | null;
}

/** Resolves the k range against the matrix, with a message naming the bound. */
export function resolveKs(kRange: readonly [number, number] | number, rows: number, who: string): number[] {
  const [lo, hi] = typeof kRange === 'number' ? [kRange, kRange] : kRange;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 2 || lo > hi) {
    throw new InputError(`${who} requires integer k ≥ 2 to compare clusterings (got k=${lo === hi ? lo : `${lo}..${hi}`})`, [{ path: 'k', message: `got ${lo}..${hi}` }]);
  }
  if (lo > rows - 1) {
    throw new InputError(`${who} requires k ≤ rows − 1 for the silhouette to be defined (got k=${lo}, rows=${rows})`, [{ path: 'k', message: `got ${lo}` }]);
  }
  const top = Math.min(hi, rows - 1);
  return Array.from({ length: top - lo + 1 }, (_, i) => lo + i);
}

/** Simpler first: fewer clusters, then the method order of SIMPLICITY. */
export function simpler(a: Candidate, b: Candidate): number {
  return a.k - b.k || SIMPLICITY[a.method] - SIMPLICITY[b.method];
}

/** Compares methods and k on `m` and picks one by the rule above; see the module comment. */
export function chooseModel(m: FeatureMatrix, options: ChooseModelOptions = {}): ModelChoice {
  assertFinite(m, 'chooseModel');
  const methods = options.methods ?? CLUSTER_METHODS;
  if (methods.length === 0) throw new InputError('chooseModel requires at least one method (got none)');
  const ks = resolveKs(options.kRange ?? [2, 10], m.rows, 'chooseModel');
  const o = { ...GRID_DEFAULTS, resamples: 10, minStability: 0.8, tieTolerance: 0.01, maxStabilityChecks: 8, stabilitySampleForHierarchical: 2000, ...stripUndefined(options) };
  const progress = options.progress ?? silentProgress;
  const grid = evaluateGrid(m, methods, ks, { ...o, progress });
  const ranked = grid.candidates.filter((c) => c.excluded === null).sort((a, b) => b.silhouette! - a.silhouette! || simpler(a, b));
  if (ranked.length === 0) throw new InputError(`chooseModel found no candidate with a defined silhouette (methods ${methods.join(', ')}, k ${ks.join(', ')}, rows=${m.rows})`);
  const treeCache = new Map<string, Tree>();
  const check = (c: Candidate) => {
    if (c.stability) return;
    const s = bootstrapStability(m, c.method, c.k, { ...o, sampleForHierarchical: o.stabilitySampleForHierarchical, reference: grid.labelsOf(c), treeCache });
    c.stability = { mean: s.mean, std: s.std, min: s.min };
  };
  const checked: Candidate[] = [];
  progress.phase('stability', Math.min(o.maxStabilityChecks, ranked.length));
  let bar: number | null = null;
  let bestStable: Candidate | null = null;
  for (const c of ranked) {
    if (checked.length >= o.maxStabilityChecks) break;
    if (bar !== null && c.silhouette! < bar) break;
    if (bestStable && simpler(c, bestStable) >= 0) continue;
    check(c);
    checked.push(c);
    progress.update(checked.length, `${c.method} k=${c.k}`);
    if (c.stability!.mean < o.minStability) continue;
    if (bar === null) bar = c.silhouette! - o.tieTolerance;
    if (!bestStable || simpler(c, bestStable) < 0) bestStable = c;
  }
  progress.done();
  const stable = checked.filter((c) => c.stability!.mean >= o.minStability);
  const chosen = stable.length > 0
    ? [...stable].sort(simpler)[0]!
    : [...checked].sort((a, b) => b.stability!.mean - a.stability!.mean || simpler(a, b))[0]!;
  const model = fitMethod(m, { method: chosen.method, k: chosen.k, seed: o.seed, sampleForHierarchical: o.sampleForHierarchical, nInit: o.nInit }, grid.trees.get(chosen.method));
  const hierarchicalSample = methods.some((x) => grid.trees.get(x)?.sampleRows) ? o.sampleForHierarchical : null;
  const rule = `among candidates with stability ≥ ${o.minStability}, the highest silhouette; within ${o.tieTolerance} counts as a tie, won by the simpler model (fewer clusters, then kmeans < minibatch < ward < average < complete < single < gmm)`;
  const explanation = explainChoice({ chosen, ranked, stableFound: stable.length > 0, rule, rows: m.rows, hierarchicalSample, stabilitySample: o.stabilitySampleForHierarchical, candidates: grid.candidates, silhouetteSample: o.silhouetteSample });
  return { chosen, model, candidates: grid.candidates, rule, explanation, hierarchicalSample };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
