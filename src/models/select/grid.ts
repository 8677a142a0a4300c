/**
 * Fits every (method, k) of a grid and scores it. Trees are built once per hierarchical method and cut at every k;
 * labels are kept for reuse (stability needs the full fit) while they fit in a budget, else refitted on demand.
 */
import { silentProgress, type Progress } from '../../core/progress.js';
import type { FeatureMatrix } from '../matrix.js';
import { buildTree, fitMethod, type Tree } from './fit.js';
import { scoreLabels, type ClusterScores } from './scores.js';
import { FIT_DEFAULTS, isHierarchical, type ClusterMethod } from './types.js';

/** One row of the comparison table. */
export interface Candidate extends ClusterScores {
  readonly method: ClusterMethod;
  readonly k: number;
  /** BIC of the mixture (lower is better); null for other methods. */
  readonly bic: number | null;
  /** Bootstrap stability (mean ARI ± std), null when not computed. */
  stability: { readonly mean: number; readonly std: number; readonly min: number } | null;
  /** Why the candidate cannot be chosen (e.g. fewer clusters than k), else null. */
  readonly excluded: string | null;
}

export interface GridOptions {
  readonly seed: number;
  readonly sampleForHierarchical: number;
  readonly silhouetteSample: number;
  readonly nInit: number;
  readonly progress?: Progress;
}

export interface Grid {
  readonly candidates: Candidate[];
  /** Full-fit labels of a candidate (cached or refitted). */
  labelsOf(c: Candidate): Int32Array;
  /** The tree built for each hierarchical method on the full data. */
  readonly trees: ReadonlyMap<ClusterMethod, Tree>;
}

const LABEL_BUDGET = 32_000_000;

export function evaluateGrid(m: FeatureMatrix, methods: readonly ClusterMethod[], ks: readonly number[], o: GridOptions): Grid {
  const progress = o.progress ?? silentProgress;
  const trees = new Map<ClusterMethod, Tree>();
  const cache = new Map<string, Int32Array>();
  const keep = m.rows * methods.length * ks.length <= LABEL_BUDGET;
  const fitOptions = { seed: o.seed, sampleForHierarchical: o.sampleForHierarchical, nInit: o.nInit };
  const fit = (method: ClusterMethod, k: number) => {
    let tree = trees.get(method);
    if (isHierarchical(method) && !tree) {
      tree = buildTree(m, method, o.sampleForHierarchical, o.seed);
      trees.set(method, tree);
    }
    return fitMethod(m, { ...fitOptions, method, k }, tree);
  };
  const candidates: Candidate[] = [];
  progress.phase('fitting', methods.length * ks.length);
  for (const method of methods) {
    for (const k of ks) {
      const model = fit(method, k);
      const scores = scoreLabels(m, model.labels, { silhouetteSample: o.silhouetteSample, seed: o.seed });
      const excluded = model.clusters < k ? `gave ${model.clusters} clusters, not ${k}` : scores.silhouette === null ? 'silhouette undefined' : null;
      const bic = model.details.kind === 'gmm' ? model.details.model.bic : null;
      candidates.push({ ...scores, method, k, bic, stability: null, excluded });
      if (keep) cache.set(`${method}:${k}`, model.labels);
      progress.update(candidates.length, `${method} k=${k}`);
    }
  }
  return {
    candidates,
    trees,
    labelsOf: (c) => cache.get(`${c.method}:${c.k}`) ?? fit(c.method, c.k).labels,
  };
}

export const GRID_DEFAULTS = { seed: FIT_DEFAULTS.seed, sampleForHierarchical: FIT_DEFAULTS.sampleForHierarchical, silhouetteSample: 2000, nInit: FIT_DEFAULTS.nInit } as const;
