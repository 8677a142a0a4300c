/**
 * CART decision tree classifier (Breiman et al., 1984) built to give the same tree as scikit-learn's
 * `DecisionTreeClassifier` with the same settings: Gini or entropy, float32 features, midpoint thresholds, preorder
 * node ids, and — with `sklearnRandomState` — sklearn's own per-node feature order, so ties between equally good
 * splits resolve the same way. Fit cost O(d · n log n) to presort plus O(d · n) per level; predict O(depth) per row.
 */
import type { FeatureMatrix } from '../matrix.js';
import { growTree, findLeaf, type GrowOptions, type GrownTree } from './cart.js';
import { presort, selectRows, type ColumnData } from './presort.js';
import { createRandR } from './rand-r.js';
import type { Classifier, WeightOptions } from './types.js';
import { argmaxRows, fail, rowWeights, validateClassification, validateNewRows } from './validate.js';
import { createRng } from '../../core/rng.js';

export type Criterion = 'gini' | 'entropy';

export interface DecisionTreeOptions extends WeightOptions {
  readonly criterion?: Criterion;
  /** Default Infinity (grow until pure or too small). */
  readonly maxDepth?: number;
  /** Smallest node that may be split (default 2). */
  readonly minSamplesSplit?: number;
  /** Smallest number of rows per leaf (default 1). */
  readonly minSamplesLeaf?: number;
  /** A split must decrease weighted impurity by at least this, as sklearn's (default 0). */
  readonly minImpurityDecrease?: number;
  /** Features tried per node: a count, 'sqrt', 'log2' or 'all' (default 'all'). */
  readonly maxFeatures?: number | 'sqrt' | 'log2' | 'all';
  /** Seed of the feature order per node (ties between equally good splits follow it). Default 0. */
  readonly seed?: number;
  /**
   * Replays scikit-learn's feature order instead: pass `RandomState(random_state).randint(0, 2**31 - 1)`, the seed
   * sklearn gives its splitter. Overrides `seed`.
   */
  readonly sklearnRandomState?: number;
  /** Number of classes when some are absent from y (default max label + 1, all present). */
  readonly nClasses?: number;
}

export interface DecisionTree extends Classifier {
  readonly kind: 'decision-tree';
  readonly criterion: Criterion;
  readonly nodeCount: number;
  /** Split feature per node; −2 at leaves. */
  readonly feature: Int32Array;
  /** Split threshold per node (go left when float32(x) <= threshold); −2 at leaves. */
  readonly threshold: Float64Array;
  /** Child node ids; −1 at leaves. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Weighted class counts per node, nodeCount × nClasses (sklearn's tree_.value). */
  readonly value: Float64Array;
  readonly impurity: Float64Array;
  readonly nNodeSamples: Int32Array;
  readonly weightedNNodeSamples: Float64Array;
  readonly columns: readonly string[];
  readonly depth: number;
  readonly leafCount: number;
}

/** Resolves maxFeatures as sklearn: sqrt → max(1, floor(√d)), log2 → max(1, floor(log2 d)). */
export function resolveMaxFeatures(who: string, mf: DecisionTreeOptions['maxFeatures'], d: number): number {
  if (mf === undefined || mf === 'all') return d;
  if (mf === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (mf === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  if (!Number.isInteger(mf) || mf < 1 || mf > d) fail(`${who} requires maxFeatures between 1 and cols (got ${mf}, cols=${d})`, 'maxFeatures');
  return mf;
}

/** Checks the growth options and fills defaults. */
export function growOptions(who: string, o: DecisionTreeOptions, d: number): GrowOptions {
  const maxDepth = o.maxDepth ?? Infinity;
  const minSamplesSplit = o.minSamplesSplit ?? 2;
  const minSamplesLeaf = o.minSamplesLeaf ?? 1;
  const minImpurityDecrease = o.minImpurityDecrease ?? 0;
  if (!(maxDepth >= 1)) fail(`${who} requires maxDepth >= 1 (got ${maxDepth})`, 'maxDepth');
  if (!Number.isInteger(minSamplesSplit) || minSamplesSplit < 2) fail(`${who} requires an integer minSamplesSplit >= 2 (got ${minSamplesSplit})`, 'minSamplesSplit');
  if (!Number.isInteger(minSamplesLeaf) || minSamplesLeaf < 1) fail(`${who} requires an integer minSamplesLeaf >= 1 (got ${minSamplesLeaf})`, 'minSamplesLeaf');
  if (!(minImpurityDecrease >= 0)) fail(`${who} requires minImpurityDecrease >= 0 (got ${minImpurityDecrease})`, 'minImpurityDecrease');
  return { maxDepth, minSamplesSplit, minSamplesLeaf, minImpurityDecrease, maxFeatures: resolveMaxFeatures(who, o.maxFeatures, d) };
}

/** Seed of sklearn-style tree randomness from our seed (never 0). */
export function treeSeed(seed: number): number {
  return (createRng(seed).int(0x7fffffff) || 1) >>> 0;
}

/** Fits a CART classification tree. Throws InputError on non-finite X, bad labels, a single class or bad options. */
export function fitDecisionTree(X: FeatureMatrix, y: Int32Array, options: DecisionTreeOptions = {}): DecisionTree {
  const who = 'decision tree';
  const C = validateClassification(who, X, y, options.sampleWeight, options.nClasses);
  const grow = growOptions(who, options, X.cols);
  const w = rowWeights(y, C, options.sampleWeight, options.classWeight);
  return fitTreeOnColumns(presort(X), X.columns, y, C, w, options.criterion ?? 'gini', grow, options.sklearnRandomState ?? treeSeed(options.seed ?? 0));
}

/** Grows a tree on presorted columns with final row weights (used by the forest: one presort, many trees). */
export function fitTreeOnColumns(cols: ColumnData, columns: readonly string[], y: Int32Array, C: number, w: Float64Array, criterion: Criterion, grow: GrowOptions, randSeed: number): DecisionTree {
  const { order, m } = selectRows(cols, w);
  const g = growTree(cols, order, m, w, { kind: 'classification', y, nClasses: C, criterion }, grow, createRandR(randSeed));
  return makeTree(g, C, criterion, columns);
}

/** A classifier from a grown tree's arrays (the forest's worker threads send these without `leafOf`). */
export function makeTree(g: Omit<GrownTree, 'leafOf'>, C: number, criterion: Criterion, columns: readonly string[]): DecisionTree {
  const depthOf = new Int32Array(g.nodeCount);
  let depth = 0;
  let leafCount = 0;
  for (let i = 0; i < g.nodeCount; i++) {
    if (g.left[i]! === -1) leafCount++;
    else {
      depthOf[g.left[i]!] = depthOf[i]! + 1;
      depthOf[g.right[i]!] = depthOf[i]! + 1;
      if (depthOf[i]! + 1 > depth) depth = depthOf[i]! + 1;
    }
  }
  const tree: DecisionTree = {
    kind: 'decision-tree',
    nClasses: C,
    criterion,
    nodeCount: g.nodeCount,
    feature: g.feature,
    threshold: g.threshold,
    left: g.left,
    right: g.right,
    value: g.value,
    impurity: g.impurity,
    nNodeSamples: g.nNodeSamples,
    weightedNNodeSamples: g.weightedNNodeSamples,
    columns,
    depth,
    leafCount,
    predictProba: (X) => treeProba(tree, X),
    predict: (X) => argmaxRows(treeProba(tree, X), C),
  };
  return tree;
}

/** Class probabilities of each row: the leaf's weighted class counts normalised (as sklearn). */
export function treeProba(tree: DecisionTree, X: FeatureMatrix, out?: Float64Array): Float64Array {
  validateNewRows('decision tree predictProba', X, tree.columns.length);
  return addTreeProba(tree, X, out ?? new Float64Array(X.rows * tree.nClasses), 1);
}

/** Adds `scale` × the tree's probabilities into `out` (forests average trees this way). No validation. */
export function addTreeProba(tree: DecisionTree, X: FeatureMatrix, out: Float64Array, scale: number): Float64Array {
  const C = tree.nClasses;
  const { values, cols } = X;
  for (let r = 0; r < X.rows; r++) {
    const leaf = findLeaf(tree, values, r * cols);
    let s = 0;
    for (let c = 0; c < C; c++) s += tree.value[leaf * C + c]!;
    if (s === 0) s = 1;
    for (let c = 0; c < C; c++) out[r * C + c]! += (scale * tree.value[leaf * C + c]!) / s;
  }
  return out;
}
