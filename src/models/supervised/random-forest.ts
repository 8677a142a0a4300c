/**
 * Random forest classifier (Breiman, "Random Forests", Machine Learning 45, 2001), as scikit-learn's
 * `RandomForestClassifier`: each tree is a CART tree grown to purity on a bootstrap sample (drawn as per-row counts
 * that multiply the row weights, so n_node_samples counts distinct rows as sklearn does), trying `maxFeatures`
 * random features per node (default √d); probabilities are the mean of the trees' leaf frequencies. The
 * out-of-bag score is the accuracy on each row of the trees that did not see it. The matrix is presorted once for all
 * trees. Seeded: same seed, same forest. Cost O(trees · d · n log n).
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import { addTreeProba, fitTreeOnColumns, growOptions, type Criterion, type DecisionTree, type DecisionTreeOptions } from './decision-tree.js';
import { findLeaf } from './cart.js';
import { presort } from './presort.js';
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

export function fitRandomForest(X: FeatureMatrix, y: Int32Array, options: RandomForestOptions = {}): RandomForest {
  const who = 'random forest';
  const C = validateClassification(who, X, y, options.sampleWeight, options.nClasses);
  const nEstimators = options.nEstimators ?? 100;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) fail(`${who} requires an integer nEstimators >= 1 (got ${nEstimators})`, 'nEstimators');
  const grow = growOptions(who, { ...options, maxFeatures: options.maxFeatures ?? 'sqrt' }, X.cols);
  const base = rowWeights(y, C, options.sampleWeight, options.classWeight);
  const bootstrap = options.bootstrap ?? true;
  const wantOob = bootstrap && (options.oobScore ?? true);
  const cols = presort(X);
  const rng = createRng(options.seed ?? 0);
  const n = X.rows;
  const counts = new Int32Array(n);
  const w = new Float64Array(n);
  const oob = wantOob ? new Float64Array(n * C) : null;
  const trees: DecisionTree[] = [];
  for (let t = 0; t < nEstimators; t++) {
    if (bootstrap) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[rng.int(n)]!++;
      for (let i = 0; i < n; i++) w[i] = base[i]! * counts[i]!;
    } else w.set(base);
    const tree = fitTreeOnColumns(cols, X.columns, y, C, w, options.criterion ?? 'gini', grow, rng.int(0x7fffffff) || 1);
    trees.push(tree);
    if (oob) addOob(tree, X, counts, oob);
  }
  let oobScore: number | null = null;
  if (oob) {
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

function addOob(tree: DecisionTree, X: FeatureMatrix, counts: Int32Array, oob: Float64Array): void {
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
