/**
 * Grows one CART tree depth-first, node ids in preorder, exactly as scikit-learn's DepthFirstTreeBuilder +
 * BestSplitter (sklearn/tree/_tree.pyx, _splitter.pyx, _criterion.pyx, version 1.2): per node, features are drawn in
 * sklearn's random order (constant features remembered for the children), each candidate position between distinct
 * values (gap > 1e-7) is scored by the criterion's proxy improvement and the first strictly best wins; the threshold
 * is the midpoint of the two float32 values. Classification uses Gini or entropy on weighted class counts; regression
 * (for boosting) uses Friedman's MSE. Rows are kept in per-feature sorted orders that are stably partitioned at every
 * split, so no sorting happens while growing. Cost O(d · n) per tree level. Kernel code: shapes are checked by callers.
 */
import type { ColumnData } from './presort.js';
import type { RandR } from './rand-r.js';

export type GrowTarget =
  | { readonly kind: 'classification'; readonly y: Int32Array; readonly nClasses: number; readonly criterion: 'gini' | 'entropy' }
  | { readonly kind: 'regression'; readonly target: Float64Array };

export interface GrowOptions {
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly minImpurityDecrease: number;
  /** Features examined per node (sklearn keeps drawing past it while it only finds constant features). */
  readonly maxFeatures: number;
}

/** A flat tree; children −1 and feature −2 at leaves (sklearn's TREE_LEAF / TREE_UNDEFINED). */
export interface GrownTree {
  readonly nodeCount: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Per node `stride` values: weighted class counts (classification) or the weighted mean (regression). */
  readonly value: Float64Array;
  readonly stride: number;
  readonly impurity: Float64Array;
  readonly nNodeSamples: Int32Array;
  readonly weightedNNodeSamples: Float64Array;
  /** Leaf node id of every training row (−1 for rows with zero weight). */
  readonly leafOf: Int32Array;
}

const EPSILON = 2.220446049250313e-16;
const FEATURE_THRESHOLD = 1e-7;
const LOG2 = Math.log(2);

/** Grows a tree on the rows in `order` (per-feature sorted, positive weight only; mutated). */
export function growTree(cols: ColumnData, order: Int32Array[], m: number, weight: Float64Array, target: GrowTarget, opt: GrowOptions, rand: RandR): GrownTree {
  const { n, d, x } = cols;
  const isClass = target.kind === 'classification';
  const y = isClass ? target.y : new Int32Array(0);
  const t = isClass ? new Float64Array(0) : target.target;
  const C = isClass ? target.nClasses : 1;
  const entropy = isClass && target.criterion === 'entropy';
  const sumTotal = new Float64Array(C);
  const sumLeft = new Float64Array(C);
  const sumRight = new Float64Array(C);
  let sqTotal = 0;
  let wn = 0;
  let wl = 0;
  let wr = 0;
  let pos = 0;
  let start = 0;
  let end = 0;
  let ord: Int32Array = order[0]!;
  let impL = 0;
  let impR = 0;
  let wTotal = 0;
  const leafOf = new Int32Array(n).fill(-1);
  const goesLeft = new Uint8Array(n);
  const tmp = new Int32Array(m);
  const features = new Int32Array(d);
  for (let f = 0; f < d; f++) features[f] = f;
  const constantFeatures = new Int32Array(d);

  const nodeReset = (): void => {
    sumTotal.fill(0);
    wn = 0;
    sqTotal = 0;
    const o = order[0]!;
    for (let p = start; p < end; p++) {
      const i = o[p]!;
      const w = weight[i]!;
      if (isClass) sumTotal[y[i]!]! += w;
      else {
        sumTotal[0]! += w * t[i]!;
        sqTotal += w * t[i]! * t[i]!;
      }
      wn += w;
    }
  };
  const reset = (): void => {
    sumLeft.fill(0);
    sumRight.set(sumTotal);
    wl = 0;
    wr = wn;
    pos = start;
  };
  const update = (newPos: number): void => {
    if (newPos - pos <= end - newPos) {
      for (let p = pos; p < newPos; p++) {
        const i = ord[p]!;
        const w = weight[i]!;
        if (isClass) sumLeft[y[i]!]! += w;
        else sumLeft[0]! += w * t[i]!;
        wl += w;
      }
    } else {
      sumLeft.set(sumTotal);
      wl = wn;
      for (let p = end - 1; p >= newPos; p--) {
        const i = ord[p]!;
        const w = weight[i]!;
        if (isClass) sumLeft[y[i]!]! -= w;
        else sumLeft[0]! -= w * t[i]!;
        wl -= w;
      }
    }
    wr = wn - wl;
    for (let c = 0; c < C; c++) sumRight[c] = sumTotal[c]! - sumLeft[c]!;
    pos = newPos;
  };
  const countsImpurity = (sum: Float64Array, w: number): number => {
    if (entropy) {
      let e = 0;
      for (let c = 0; c < C; c++) {
        let k = sum[c]!;
        if (k > 0) {
          k /= w;
          e -= k * (Math.log(k) / LOG2);
        }
      }
      return e;
    }
    let sq = 0;
    for (let c = 0; c < C; c++) sq += sum[c]! * sum[c]!;
    return 1 - sq / (w * w);
  };
  const nodeImpurity = (): number => (isClass ? countsImpurity(sumTotal, wn) : sqTotal / wn - (sumTotal[0]! / wn) * (sumTotal[0]! / wn));
  const childrenImpurity = (): void => {
    if (isClass) {
      impL = countsImpurity(sumLeft, wl);
      impR = countsImpurity(sumRight, wr);
      return;
    }
    let sqL = 0;
    for (let p = start; p < pos; p++) {
      const i = ord[p]!;
      sqL += weight[i]! * t[i]! * t[i]!;
    }
    const meanL = sumLeft[0]! / wl;
    const meanR = sumRight[0]! / wr;
    impL = sqL / wl - meanL * meanL;
    impR = (sqTotal - sqL) / wr - meanR * meanR;
  };
  const proxy = (): number => {
    if (isClass) {
      childrenImpurity();
      return -wr * impR - wl * impL;
    }
    const diff = wr * sumLeft[0]! - wl * sumRight[0]!;
    return (diff * diff) / (wl * wr);
  };
  const improvement = (parent: number): number => {
    if (isClass) return (wn / wTotal) * (parent - (wr / wn) * impR - (wl / wn) * impL);
    const diff = wr * sumLeft[0]! - wl * sumRight[0]!;
    return (diff * diff) / (wl * wr * wTotal);
  };

  // Best split of the current node [start, end): sets these.
  let bestFeature = -1;
  let bestPos = 0;
  let bestThreshold = 0;
  let bestImpL = 0;
  let bestImpR = 0;
  let bestImprovement = 0;
  let nConstantOut = 0;
  const minLeaf = opt.minSamplesLeaf;

  const nodeSplit = (parentImpurity: number, nKnownConstants: number): void => {
    bestPos = end;
    bestFeature = -1;
    let bestProxy = -Infinity;
    let fi = d;
    let nVisited = 0;
    let nFoundConstants = 0;
    let nDrawnConstants = 0;
    let nTotalConstants = nKnownConstants;
    while (fi > nTotalConstants && (nVisited < opt.maxFeatures || nVisited <= nFoundConstants + nDrawnConstants)) {
      nVisited++;
      let fj = rand.int(nDrawnConstants, fi - nFoundConstants);
      if (fj < nKnownConstants) {
        swap(features, nDrawnConstants, fj);
        nDrawnConstants++;
        continue;
      }
      fj += nFoundConstants;
      const f = features[fj]!;
      const base = f * n;
      ord = order[f]!;
      if (x[base + ord[end - 1]!]! <= x[base + ord[start]!]! + FEATURE_THRESHOLD) {
        swap(features, fj, nTotalConstants);
        nFoundConstants++;
        nTotalConstants++;
        continue;
      }
      fi--;
      swap(features, fi, fj);
      reset();
      let p = start;
      while (p < end) {
        while (p + 1 < end && x[base + ord[p + 1]!]! <= x[base + ord[p]!]! + FEATURE_THRESHOLD) p++;
        p++;
        if (p >= end) break;
        if (p - start < minLeaf || end - p < minLeaf) continue;
        update(p);
        const v = proxy();
        if (v > bestProxy) {
          bestProxy = v;
          const a = x[base + ord[p - 1]!]!;
          const b = x[base + ord[p]!]!;
          let thr = a / 2 + b / 2;
          if (thr === b || thr === Infinity || thr === -Infinity) thr = a;
          bestThreshold = thr;
          bestFeature = f;
          bestPos = p;
        }
      }
    }
    if (bestPos < end) {
      ord = order[bestFeature]!;
      reset();
      update(bestPos);
      childrenImpurity();
      bestImpL = impL;
      bestImpR = impR;
      bestImprovement = improvement(parentImpurity);
    }
    features.set(constantFeatures.subarray(0, nKnownConstants), 0);
    constantFeatures.set(features.subarray(nKnownConstants, nKnownConstants + nFoundConstants), nKnownConstants);
    nConstantOut = nTotalConstants;
  };

  const partition = (): void => {
    const o = order[bestFeature]!;
    for (let p = start; p < end; p++) goesLeft[o[p]!] = p < bestPos ? 1 : 0;
    for (let f = 0; f < d; f++) {
      if (f === bestFeature) continue;
      const g = order[f]!;
      let l = start;
      let r = 0;
      for (let p = start; p < end; p++) {
        const i = g[p]!;
        if (goesLeft[i] === 1) g[l++] = i;
        else tmp[r++] = i;
      }
      g.set(tmp.subarray(0, r), l);
    }
  };

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const impurityOut: number[] = [];
  const nNode: number[] = [];
  const wNode: number[] = [];
  // Stack records: start, end, depth, parent, isLeft, impurity, nConstant.
  const stack: number[] = [0, m, 0, -1, 0, 0, 0];
  let first = true;
  while (stack.length > 0) {
    const nConst = stack.pop()!;
    let impurity = stack.pop()!;
    const isLeft = stack.pop()!;
    const parent = stack.pop()!;
    const depth = stack.pop()!;
    end = stack.pop()!;
    start = stack.pop()!;
    const nNodeSamples = end - start;
    nodeReset();
    if (first) {
      wTotal = wn;
      impurity = nodeImpurity();
      first = false;
    }
    // A node with one class is a leaf even when rounding left its impurity a few ulps above EPSILON (sklearn's sums
    // run in its own sample order and can then split a pure node; with exact sums both agree).
    let isLeaf = depth >= opt.maxDepth || nNodeSamples < opt.minSamplesSplit || nNodeSamples < 2 * minLeaf || impurity <= EPSILON || (isClass && classesPresent(sumTotal) < 2);
    let nConstChild = nConst;
    if (!isLeaf) {
      nodeSplit(impurity, nConst);
      nConstChild = nConstantOut;
      isLeaf = bestPos >= end || bestImprovement + EPSILON < opt.minImpurityDecrease;
    }
    const id = feature.length;
    if (parent >= 0) {
      if (isLeft === 1) left[parent] = id;
      else right[parent] = id;
    }
    feature.push(isLeaf ? -2 : bestFeature);
    threshold.push(isLeaf ? -2 : bestThreshold);
    left.push(-1);
    right.push(-1);
    if (isClass) for (let c = 0; c < C; c++) value.push(sumTotal[c]!);
    else value.push(sumTotal[0]! / wn);
    impurityOut.push(impurity);
    nNode.push(nNodeSamples);
    wNode.push(wn);
    if (isLeaf) {
      const o = order[0]!;
      for (let p = start; p < end; p++) leafOf[o[p]!] = id;
      continue;
    }
    partition();
    stack.push(bestPos, end, depth + 1, id, 0, bestImpR, nConstChild);
    stack.push(start, bestPos, depth + 1, id, 1, bestImpL, nConstChild);
  }
  return {
    nodeCount: feature.length,
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    stride: C,
    impurity: Float64Array.from(impurityOut),
    nNodeSamples: Int32Array.from(nNode),
    weightedNNodeSamples: Float64Array.from(wNode),
    leafOf,
  };
}

function classesPresent(sum: Float64Array): number {
  let k = 0;
  for (let c = 0; c < sum.length; c++) if (sum[c]! > 0) k++;
  return k;
}

function swap(a: Int32Array, i: number, j: number): void {
  const v = a[i]!;
  a[i] = a[j]!;
  a[j] = v;
}

/** Leaf reached by row `r` of a row-major matrix (values rounded to float32 as at fit time). */
export function findLeaf(tree: Pick<GrownTree, 'feature' | 'threshold' | 'left' | 'right'>, values: Float64Array, offset: number): number {
  let node = 0;
  const { feature, threshold, left, right } = tree;
  while (left[node]! !== -1) {
    node = Math.fround(values[offset + feature[node]!]!) <= threshold[node]! ? left[node]! : right[node]!;
  }
  return node;
}
