/**
 * Random forest classifier (Breiman, "Random Forests", Machine Learning 45, 2001), as scikit-learn's
 * `RandomForestClassifier`: each tree is a CART tree grown to purity on a bootstrap sample (drawn as per-row counts
 * that multiply the row weights, so n_node_samples counts distinct rows as sklearn does), trying `maxFeatures`
 * random features per node (default √d); probabilities are the mean of the trees' leaf frequencies. The
 * out-of-bag score is the accuracy on each row of the trees that did not see it. The matrix is presorted once for all
 * trees. Seeded: same seed, same forest. Cost O(trees · d · n log n).
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import { addTreeProba, growOptions, makeTree, type Criterion, type DecisionTree, type DecisionTreeOptions } from './decision-tree.js';
import { findLeaf, growTree, type GrowOptions, type GrownTree } from './cart.js';
import { presort, selectRows, type ColumnData } from './presort.js';
import { createRandR } from './rand-r.js';
import type { Classifier, WeightOptions } from './types.js';
import { argmaxRows, fail, rowWeights, validateClassification, validateNewRows } from './validate.js';

export interface RandomForestOptions extends WeightOptions {
  /** Number of trees (default 100). */
  readonly nEstimators?: number;
  /** Features tried per node (default 'sqrt'). */
  readonly maxFeatures?: DecisionTreeOptions['maxFeatures'];
  readonly criterion?: Criterion;
  readonly maxDepth?: number;
  readonly minSamplesSplit?: number;
  readonly minSamplesLeaf?: number;
  readonly minImpurityDecrease?: number;
  /** Bootstrap rows per tree (default true); false grows every tree on all rows (only the feature draws differ). */
  readonly bootstrap?: boolean;
  /** Compute the out-of-bag score (default true when bootstrapping). */
  readonly oobScore?: boolean;
  readonly seed?: number;
  readonly nClasses?: number;
}

export interface RandomForest extends Classifier {
  readonly kind: 'random-forest';
  readonly trees: readonly DecisionTree[];
  /** Out-of-bag accuracy over rows left out by at least one tree; null without bootstrap. */
  readonly oobScore: number | null;
  /** Out-of-bag probabilities (rows × nClasses; NaN rows were in every bootstrap sample). */
  readonly oobProba: Float64Array | null;
}

/** A checked forest fit: what every tree needs, shared by `fitRandomForest` and `fitRandomForestParallel`. */
export interface ForestPlan {
  readonly C: number;
  readonly nEstimators: number;
  readonly grow: GrowOptions;
  /** Row weights before the bootstrap (class and sample weights). */
  readonly base: Float64Array;
  readonly bootstrap: boolean;
  readonly wantOob: boolean;
  readonly criterion: Criterion;
}

/** Validates the data and options of a forest fit (InputError naming the option) and resolves the defaults. */
export function planForest(X: FeatureMatrix, y: Int32Array, options: RandomForestOptions): ForestPlan {
  const who = 'random forest';
  const C = validateClassification(who, X, y, options.sampleWeight, options.nClasses);
  const nEstimators = options.nEstimators ?? 100;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) fail(`${who} requires an integer nEstimators >= 1 (got ${nEstimators})`, 'nEstimators');
  const grow = growOptions(who, { ...options, maxFeatures: options.maxFeatures ?? 'sqrt' }, X.cols);
  const bootstrap = options.bootstrap ?? true;
  return {
    C, nEstimators, grow, bootstrap,
    base: rowWeights(y, C, options.sampleWeight, options.classWeight),
    wantOob: bootstrap && (options.oobScore ?? true),
    criterion: options.criterion ?? 'gini',
  };
}

/**
 * Draws one tree's bootstrap sample as per-row counts (n draws of `rng.int(n)`, into zeroed `counts`). Returns
 * false, leaving the draws made, if a count would pass `limit` (a Uint8Array store holds 255).
 */
export function drawBootstrap(rng: Rng, counts: Int32Array | Uint8Array, limit = Infinity): boolean {
  const n = counts.length;
  for (let i = 0; i < n; i++) {
    const j = rng.int(n);
    if (counts[j]! >= limit) return false;
    counts[j]!++;
  }
  return true;
}

/** Grows tree number `seed`'s CART tree on rows weighted base × counts (counts null: every row once). */
export function growForestTree(cols: ColumnData, y: Int32Array, plan: ForestPlan, counts: ArrayLike<number> | null, seed: number, w: Float64Array): GrownTree {
  const { base } = plan;
  if (counts) for (let i = 0; i < base.length; i++) w[i] = base[i]! * counts[i]!;
  else w.set(base);
  const { order, m } = selectRows(cols, w);
  return growTree(cols, order, m, w, { kind: 'classification', y, nClasses: plan.C, criterion: plan.criterion }, plan.grow, createRandR(seed));
}

export function fitRandomForest(X: FeatureMatrix, y: Int32Array, options: RandomForestOptions = {}): RandomForest {
  const plan = planForest(X, y, options);
  const cols = presort(X);
  const rng = createRng(options.seed ?? 0);
  const n = X.rows;
  const counts = new Int32Array(n);
  const w = new Float64Array(n);
  const oob = plan.wantOob ? new Float64Array(n * plan.C) : null;
  const trees: DecisionTree[] = [];
  for (let t = 0; t < plan.nEstimators; t++) {
    if (plan.bootstrap) {
      counts.fill(0);
      drawBootstrap(rng, counts);
    }
    const g = growForestTree(cols, y, plan, plan.bootstrap ? counts : null, rng.int(0x7fffffff) || 1, w);
    const tree = makeTree(g, plan.C, plan.criterion, X.columns);
    trees.push(tree);
    if (oob) addOob(tree, X, counts, oob);
  }
  return assembleForest(plan.C, trees, y, oob);
}

/** The forest from its trees and, with a bootstrap, the summed out-of-bag class probabilities (normalised here). */
export function assembleForest(C: number, trees: DecisionTree[], y: Int32Array, oob: Float64Array | null): RandomForest {
  let oobScore: number | null = null;
  if (oob) {
    const n = y.length;
    let hit = 0;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += oob[i * C + c]!;
      if (s === 0) {
        for (let c = 0; c < C; c++) oob[i * C + c] = NaN;
        continue;
      }
      let best = 0;
      for (let c = 0; c < C; c++) {
        oob[i * C + c]! /= s;
        if (oob[i * C + c]! > oob[i * C + best]!) best = c;
      }
      seen++;
      if (best === y[i]) hit++;
    }
    oobScore = seen > 0 ? hit / seen : null;
  }
  const forest: RandomForest = {
    kind: 'random-forest',
    nClasses: C,
    trees,
    oobScore,
    oobProba: oob,
    predictProba: (Xn) => forestProba(forest, Xn),
    predict: (Xn) => argmaxRows(forestProba(forest, Xn), C),
  };
  return forest;
}

/** Adds a tree's leaf frequencies to the out-of-bag sums of the rows its bootstrap left out. */
export function addOob(tree: DecisionTree, X: FeatureMatrix, counts: ArrayLike<number>, oob: Float64Array): void {
  const C = tree.nClasses;
  for (let i = 0; i < X.rows; i++) {
    if (counts[i]! > 0) continue;
    const leaf = findLeaf(tree, X.values, i * X.cols);
    let s = 0;
    for (let c = 0; c < C; c++) s += tree.value[leaf * C + c]!;
    for (let c = 0; c < C; c++) oob[i * C + c]! += tree.value[leaf * C + c]! / s;
  }
}

/** Mean of the trees' class probabilities. O(rows · trees · depth). */
export function forestProba(forest: RandomForest, X: FeatureMatrix): Float64Array {
  validateNewRows('random forest predictProba', X, forest.trees[0]!.columns.length);
  const out = new Float64Array(X.rows * forest.nClasses);
  const scale = 1 / forest.trees.length;
  for (const tree of forest.trees) addTreeProba(tree, X, out, scale);
  return out;
}
