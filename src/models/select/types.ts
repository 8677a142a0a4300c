/** Shapes shared by model fitting, stability and model choice. Methods are data: a union of names. */
import type { GaussianMixture } from '../gmm/index.js';
import type { Linkage } from '../hierarchical/index.js';
import type { KMeansResult, MiniBatchKMeansResult } from '../kmeans/index.js';

export const CLUSTER_METHODS = ['kmeans', 'minibatch', 'ward', 'complete', 'average', 'single', 'gmm'] as const;
export type ClusterMethod = (typeof CLUSTER_METHODS)[number];

/** Order of simplicity used to break ties: centroid models first, then trees, then mixtures. */
export const SIMPLICITY: Readonly<Record<ClusterMethod, number>> = { kmeans: 0, minibatch: 1, ward: 2, average: 3, complete: 4, single: 5, gmm: 6 };

export function isHierarchical(method: ClusterMethod): method is 'ward' | 'complete' | 'average' | 'single' {
  return method === 'ward' || method === 'complete' || method === 'average' || method === 'single';
}

export interface FitOptions {
  readonly method: ClusterMethod;
  /** Number of clusters, 1 ≤ k ≤ rows. */
  readonly k: number;
  /** Default 0. */
  readonly seed?: number;
  /** Hierarchical methods build their tree on at most this many rows (drawn by seed); the rest go to the nearest centroid. Default 5,000. */
  readonly sampleForHierarchical?: number;
  /** K-means restarts. Default 10 (K-means' own default). */
  readonly nInit?: number;
}

export const FIT_DEFAULTS = { seed: 0, sampleForHierarchical: 5000, nInit: 10 } as const;

/** The fitted model behind the labels, by kind. */
export type ModelDetails =
  | { readonly kind: 'kmeans'; readonly result: KMeansResult }
  | { readonly kind: 'minibatch'; readonly result: MiniBatchKMeansResult }
  /** `sampleRows`: the rows (ascending) the tree was built on, or null when it was built on all rows. */
  | { readonly kind: 'hierarchical'; readonly linkage: Linkage; readonly sampleRows: Int32Array | null }
  | { readonly kind: 'gmm'; readonly model: GaussianMixture };

export interface FittedModel {
  readonly method: ClusterMethod;
  /** k asked for. */
  readonly k: number;
  /** Distinct labels obtained (can be below k: tied tree heights, an empty mixture component). */
  readonly clusters: number;
  /** Canonical labels: 0, 1, … numbered by first appearance in row order. */
  readonly labels: Int32Array;
  /** Mean of each cluster's rows, clusters × cols, row-major, in canonical label order. */
  readonly centroids: Float64Array;
  readonly sizes: Int32Array;
  readonly details: ModelDetails;
}
