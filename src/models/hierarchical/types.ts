/**
 * Shared shapes of agglomerative clustering. A dendrogram is scipy's linkage matrix Z: (n−1)×4 row-major
 * `Float64Array` with rows [idx1, idx2, height, size]; leaves are 0..n−1 and merge i creates cluster n+i.
 */

/** Linkage criteria, all on Euclidean distance between rows. */
export const LINKAGE_METHODS = ['ward', 'complete', 'average', 'single'] as const;
export type LinkageMethod = (typeof LINKAGE_METHODS)[number];

export interface LinkageOptions {
  readonly method: LinkageMethod;
  /**
   * Cap in bytes on the condensed distance matrix that `complete` and `average` need (n(n−1)/2 float64).
   * Default 2 GiB, about 23,000 rows. `ward` and `single` use O(n) memory and ignore it.
   */
  readonly maxCondensedBytes?: number;
}

/** The dendrogram in scipy's format, with the row count it was built from. */
export interface Linkage {
  readonly method: LinkageMethod;
  /** Number of leaves (rows clustered). */
  readonly rows: number;
  /** (rows−1)×4, row-major: [idx1, idx2, height, size], sorted by height, scipy's cluster numbering. */
  readonly Z: Float64Array;
}

export const DEFAULT_MAX_CONDENSED_BYTES = 2 * 1024 ** 3;
