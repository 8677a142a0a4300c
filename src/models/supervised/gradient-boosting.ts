/**
 * Gradient-boosted trees for classification, as scikit-learn's `GradientBoostingClassifier` (Friedman, "Greedy
 * function approximation", Annals of Statistics 29, 2001): binary log-loss (one tree per stage) or multinomial
 * softmax (one tree per class per stage). Each tree is a depth-limited regression tree fitted to the negative
 * gradient (y − p) with Friedman's MSE criterion; its leaves are then replaced by one Newton step,
 * Σ w·r / Σ w·p(1−p) (times (K−1)/K for softmax), and added with shrinkage `learningRate`. The start is the log-odds
 * (log priors) of the weighted classes. Not the histogram variant. Cost O(stages · K · d · n) after one presort.
 */
import { createRng } from '../../core/rng.js';
import type { FeatureMatrix } from '../matrix.js';
import { findLeaf, growTree, type GrownTree } from './cart.js';
import { growOptions, treeSeed } from './decision-tree.js';
import { presort, selectRows } from './presort.js';
import { createRandR } from './rand-r.js';
import type { Classifier, WeightOptions } from './types.js';
import { argmaxRows, fail, rowWeights, validateClassification, validateNewRows } from './validate.js';

export interface GradientBoostingOptions extends WeightOptions {
  /** Boosting stages (default 100). */
  readonly nEstimators?: number;
  /** Shrinkage (default 0.1). */
  readonly learningRate?: number;
  /** Depth of each tree (default 3). */
  readonly maxDepth?: number;
  readonly minSamplesSplit?: number;
  readonly minSamplesLeaf?: number;
  /** Share of rows drawn (without replacement) per stage (default 1: no subsampling). */
  readonly subsample?: number;
  readonly maxFeatures?: number | 'sqrt' | 'log2' | 'all';
  readonly seed?: number;
  readonly nClasses?: number;
}

export interface GradientBoosting extends Classifier {
  readonly kind: 'gradient-boosting';
  /** Raw score at the start, one per tree column (1 for binary, K for multi-class). */
  readonly init: Float64Array;
  /** trees[stage * K + k]; leaf values already multiplied by the learning rate. */
  readonly trees: readonly GrownTree[];
  readonly K: number;
  /** Weighted training log loss after each stage. */
  readonly trainLoss: Float64Array;
}

export function fitGradientBoosting(X: FeatureMatrix, y: Int32Array, options: GradientBoostingOptions = {}): GradientBoosting {
  const who = 'gradient boosting';
  const C = validateClassification(who, X, y, options.sampleWeight, options.nClasses);
  const nEstimators = options.nEstimators ?? 100;
  const lr = options.learningRate ?? 0.1;
  const subsample = options.subsample ?? 1;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) fail(`${who} requires an integer nEstimators >= 1 (got ${nEstimators})`, 'nEstimators');
  if (!(lr > 0)) fail(`${who} requires learningRate > 0 (got ${lr})`, 'learningRate');
  if (!(subsample > 0 && subsample <= 1)) fail(`${who} requires subsample in (0, 1] (got ${subsample})`, 'subsample');
  const grow = growOptions(who, { maxDepth: options.maxDepth ?? 3, minSamplesSplit: options.minSamplesSplit, minSamplesLeaf: options.minSamplesLeaf, maxFeatures: options.maxFeatures }, X.cols);
  const n = X.rows;
  const K = C === 2 ? 1 : C;
  const w = rowWeights(y, C, options.sampleWeight, options.classWeight);
  const cols = presort(X);
  const rng = createRng(options.seed ?? 0);
  const rand = createRandR(treeSeed(options.seed ?? 0));
  // Start: log-odds (binary) or log prior (multi-class) of the weighted classes.
  const prior = new Float64Array(C);
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    prior[y[i]!]! += w[i]!;
    wsum += w[i]!;
  }
  const init = new Float64Array(K);
  if (K === 1) init[0] = Math.log(prior[1]! / prior[0]!);
  else for (let k = 0; k < K; k++) init[k] = Math.log(Math.max(prior[k]! / wsum, 1e-300));
  const raw = new Float64Array(n * K);
  for (let i = 0; i < n; i++) raw.set(init, i * K);
  const p = new Float64Array(n * K);
  const r = new Float64Array(n);
  const stageW = new Float64Array(n);
  const trees: GrownTree[] = [];
  const trainLoss = new Float64Array(nEstimators);
  for (let s = 0; s < nEstimators; s++) {
    probabilities(raw, K, p);
    stageW.set(w);
    if (subsample < 1) for (let i = 0; i < n; i++) if (rng.next() >= subsample) stageW[i] = 0;
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) r[i] = (K === 1 ? (y[i] === 1 ? 1 : 0) : y[i] === k ? 1 : 0) - p[i * K + k]!;
      const { order, m } = selectRows(cols, stageW);
      const tree = growTree(cols, order, m, stageW, { kind: 'regression', target: r }, grow, rand);
      newtonLeaves(tree, r, p, stageW, k, K, lr);
      for (let i = 0; i < n; i++) raw[i * K + k]! += tree.value[findLeaf(tree, X.values, i * X.cols)]!;
      trees.push(tree);
    }
    trainLoss[s] = logLossOf(raw, K, y, w);
  }
  const model: GradientBoosting = {
    kind: 'gradient-boosting',
    nClasses: C,
    init,
    trees,
    K,
    trainLoss,
    predictProba: (Xn) => boostingProba(model, Xn),
    predict: (Xn) => argmaxRows(boostingProba(model, Xn), C),
  };
  return model;
}

/** Replaces each leaf's value by lr × its Newton step from the rows (of positive weight) that reached it. */
function newtonLeaves(tree: GrownTree, r: Float64Array, p: Float64Array, w: Float64Array, k: number, K: number, lr: number): void {
  const num = new Float64Array(tree.nodeCount);
  const den = new Float64Array(tree.nodeCount);
  for (let i = 0; i < r.length; i++) {
    const leaf = tree.leafOf[i]!;
    if (leaf < 0) continue;
    const pk = p[i * K + k]!;
    num[leaf]! += w[i]! * r[i]!;
    den[leaf]! += w[i]! * pk * (1 - pk);
  }
  const scale = K === 1 ? 1 : (K - 1) / K;
  for (let j = 0; j < tree.nodeCount; j++) {
    if (tree.left[j]! !== -1) continue;
    tree.value[j] = Math.abs(den[j]!) < 1e-150 ? 0 : (lr * scale * num[j]!) / den[j]!;
  }
}

function probabilities(raw: Float64Array, K: number, out: Float64Array): void {
  const n = raw.length / K;
  for (let i = 0; i < n; i++) {
    if (K === 1) {
      const z = raw[i]!;
      out[i] = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      continue;
    }
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, raw[i * K + k]!);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(raw[i * K + k]! - m);
    for (let k = 0; k < K; k++) out[i * K + k] = Math.exp(raw[i * K + k]! - m) / s;
  }
}

function logLossOf(raw: Float64Array, K: number, y: Int32Array, w: Float64Array): number {
  let sum = 0;
  let ws = 0;
  for (let i = 0; i < y.length; i++) {
    let l: number;
    if (K === 1) {
      const z = raw[i]!;
      const lse = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      l = lse - (y[i] === 1 ? z : 0);
    } else {
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, raw[i * K + k]!);
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.exp(raw[i * K + k]! - m);
      l = m + Math.log(s) - raw[i * K + y[i]!]!;
    }
    sum += w[i]! * l;
    ws += w[i]!;
  }
  return sum / ws;
}

/** Probabilities from the summed raw scores: sigmoid (binary) or softmax. O(rows · trees · depth). */
export function boostingProba(model: GradientBoosting, X: FeatureMatrix): Float64Array {
  const d = X.cols;
  validateNewRows('gradient boosting predictProba', X, d);
  const { K, trees, init } = model;
  const raw = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    raw.set(init, i * K);
    for (let t = 0; t < trees.length; t++) raw[i * K + (t % K)]! += trees[t]!.value[findLeaf(trees[t]!, X.values, i * d)]!;
  }
  const p = new Float64Array(X.rows * K);
  probabilities(raw, K, p);
  if (K > 1) return p;
  const out = new Float64Array(X.rows * 2);
  for (let i = 0; i < X.rows; i++) {
    out[2 * i] = 1 - p[i]!;
    out[2 * i + 1] = p[i]!;
  }
  return out;
}
