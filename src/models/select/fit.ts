/**
 * One clustering method at one k, behind one function: `fitMethod` runs K-means, mini-batch K-means, a linkage
 * tree cut at k, or a Gaussian mixture, and returns canonical labels with the cluster means. Hierarchical methods
 * build their tree on at most `sampleForHierarchical` rows (seeded draw) and give every other row the label of the
 * nearest cluster mean, so cost stays O(s²·d) for s ≤ 5,000 instead of O(n²·d).
 */
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import { fitGmm } from '../gmm/index.js';
import { cutByK, linkage, type Linkage, type LinkageMethod } from '../hierarchical/index.js';
import { kmeans, miniBatchKMeans } from '../kmeans/index.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import { canonicalRelabel } from '../metrics/index.js';
import { clusterMeans, nearestCentroid, takeRows } from './assign.js';
import { sampleWithoutReplacement } from './sample.js';
import { CLUSTER_METHODS, FIT_DEFAULTS, isHierarchical, type FitOptions, type FittedModel, type ModelDetails } from './types.js';

/** A linkage tree over some rows of a matrix, reusable for every k. */
export interface Tree {
  readonly linkage: Linkage;
  /** Rows of the full matrix the tree was built on (ascending), or null for all rows. */
  readonly sampleRows: Int32Array | null;
}

/** Validates the method and k against the matrix, with the house message shape. */
export function checkFitInput(m: FeatureMatrix, method: string, k: number): void {
  if (!(CLUSTER_METHODS as readonly string[]).includes(method)) {
    throw new InputError(`fitMethod requires method to be one of ${CLUSTER_METHODS.join(', ')} (got ${JSON.stringify(method)})`, [{ path: 'method', message: `got ${method}` }]);
  }
  if (m.rows === 0 || m.cols === 0) throw new InputError(`${method} requires a non-empty matrix (got rows=${m.rows}, cols=${m.cols})`, [{ path: 'matrix', message: 'empty' }]);
  if (!Number.isInteger(k) || k < 1 || k > m.rows) {
    throw new InputError(`${method} requires k between 1 and rows (got k=${k}, rows=${m.rows})`, [{ path: 'k', message: `got ${k}` }]);
  }
  assertFinite(m, method);
}

/** Builds the tree of `method` on `m` (or on a seeded sample of `limit` rows when m is larger). O(s²·d). */
export function buildTree(m: FeatureMatrix, method: LinkageMethod, limit: number, seed: number): Tree {
  if (m.rows <= limit) return { linkage: linkage(m, { method }), sampleRows: null };
  const sampleRows = sampleWithoutReplacement(m.rows, limit, createRng(seed));
  return { linkage: linkage(takeRows(m, sampleRows), { method }), sampleRows };
}

/** Labels of all rows of `m` from a tree cut at k: tree rows keep their cut label, the rest go to the nearest cluster mean. */
export function labelsFromTree(m: FeatureMatrix, tree: Tree, k: number): Int32Array {
  const cut = cutByK(tree.linkage, Math.min(k, tree.linkage.rows));
  if (!tree.sampleRows) return cut;
  const { sampleRows } = tree;
  const inTree = new Uint8Array(m.rows);
  const labels = new Int32Array(m.rows);
  for (let i = 0; i < sampleRows.length; i++) {
    inTree[sampleRows[i]!] = 1;
    labels[sampleRows[i]!] = cut[i]!;
  }
  const kk = maxLabel(cut) + 1;
  const { centroids } = clusterMeans(takeRows(m, sampleRows), cut, kk);
  return nearestCentroid(m, centroids, kk, labels, inTree);
}

function maxLabel(labels: Int32Array): number {
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > max) max = labels[i]!;
  return max;
}

/** Raw labels and model of one method; `tree` reuses a tree already built for this method. */
function fitRaw(m: FeatureMatrix, options: Required<FitOptions>, tree?: Tree): { labels: Int32Array; details: ModelDetails } {
  const { method, k, seed } = options;
  if (method === 'kmeans') {
    const result = kmeans(m, { k, seed, nInit: options.nInit });
    return { labels: result.labels, details: { kind: 'kmeans', result } };
  }
  if (method === 'minibatch') {
    const result = miniBatchKMeans(m, { k, seed });
    return { labels: result.labels, details: { kind: 'minibatch', result } };
  }
  if (method === 'gmm') {
    const model = fitGmm(m, { k, seed });
    return { labels: model.labels, details: { kind: 'gmm', model } };
  }
  if (!isHierarchical(method)) throw new Error(`unreachable method ${String(method)}`);
  const t = tree ?? buildTree(m, method, options.sampleForHierarchical, seed);
  return { labels: labelsFromTree(m, t, k), details: { kind: 'hierarchical', linkage: t.linkage, sampleRows: t.sampleRows } };
}

/**
 * Fits `method` with `k` clusters on the rows of `m` and returns canonical labels, cluster means and sizes, and
 * the model (K-means result, linkage tree, or mixture). Deterministic by seed. Cost: that of the method (see each
 * module); hierarchical methods at most O(5,000²·d) plus O(n·k·d) for the nearest-mean assignment.
 */
export function fitMethod(m: FeatureMatrix, options: FitOptions, tree?: Tree): FittedModel {
  checkFitInput(m, options.method, options.k);
  const o: Required<FitOptions> = { ...FIT_DEFAULTS, ...options };
  const { labels: raw, details } = fitRaw(m, o, tree);
  const labels = canonicalRelabel(raw);
  const clusters = maxLabel(labels) + 1;
  const { centroids, sizes } = clusterMeans(m, labels, clusters);
  return { method: o.method, k: o.k, clusters, labels, centroids, sizes, details };
}

/** Labels the model would give to the rows of `x` (a model fitted on other rows of the same columns). */
export function predictLabels(model: FittedModel, x: FeatureMatrix): Int32Array {
  if (model.details.kind === 'gmm') {
    const { k } = model.details.model;
    const p = model.details.model.predictProba(x);
    const out = new Int32Array(x.rows);
    for (let i = 0; i < x.rows; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + best]!) best = c;
      out[i] = best;
    }
    return out;
  }
  return nearestCentroid(x, model.centroids, model.clusters);
}
