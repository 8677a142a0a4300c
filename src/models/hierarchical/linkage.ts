/**
 * Agglomerative (hierarchical) clustering of the rows of a feature matrix, with the result in scipy's linkage
 * format so heights, merge order and cluster numbers match `scipy.cluster.hierarchy.linkage(X, method)`.
 *
 * Cost by method (n rows, d columns):
 * - `ward`: nearest-neighbour chain on centroids — O(n²·d) time, O(n·d) memory (50,000 rows fit easily).
 * - `single`: Prim's minimum spanning tree — O(n²·d) time, O(n) memory.
 * - `complete`, `average`: nearest-neighbour chain on a condensed distance matrix — O(n²·d) time and
 *   n(n−1)/2 float64 of memory (1.6 GB at 20,000 rows); refused above `maxCondensedBytes` (default 2 GiB).
 */
import { InputError } from '../../core/errors.js';
import { assertFinite, type FeatureMatrix } from '../matrix.js';
import { condensedChainMerges, condensedEuclidean } from './condensed.js';
import { sortAndLabel } from './relabel.js';
import { singleLinkageMerges } from './single.js';
import { DEFAULT_MAX_CONDENSED_BYTES, LINKAGE_METHODS, type Linkage, type LinkageOptions } from './types.js';
import { wardChainMerges } from './ward.js';

/** Builds the dendrogram of `m`'s rows with the given linkage criterion (Euclidean distance). */
export function linkage(m: FeatureMatrix, options: LinkageOptions): Linkage {
  const { method } = options;
  if (!LINKAGE_METHODS.includes(method)) {
    throw new InputError(`linkage requires method to be one of ${LINKAGE_METHODS.join(', ')} (got ${String(method)})`, [
      { path: 'method', message: `unknown method ${String(method)}` },
    ]);
  }
  const n = m.rows;
  if (n < 2) {
    throw new InputError(`linkage requires at least 2 rows (got rows=${n})`, [{ path: 'rows', message: `got ${n}` }]);
  }
  if (m.cols < 1) {
    throw new InputError(`linkage requires at least 1 column (got cols=${m.cols})`, [{ path: 'cols', message: `got ${m.cols}` }]);
  }
  assertFinite(m, 'linkage');
  const merges = rawMerges(m, method, options.maxCondensedBytes ?? DEFAULT_MAX_CONDENSED_BYTES);
  return { method, rows: n, Z: sortAndLabel(merges, n) };
}

function rawMerges(m: FeatureMatrix, method: LinkageOptions['method'], maxBytes: number): Float64Array {
  const { values, rows: n, cols: d } = m;
  if (method === 'ward') return wardChainMerges(values, n, d);
  if (method === 'single') return singleLinkageMerges(values, n, d);
  const bytes = ((n * (n - 1)) / 2) * 8;
  if (bytes > maxBytes) {
    throw new InputError(
      `linkage '${method}' requires its condensed distance matrix to fit in maxCondensedBytes ` +
        `(got rows=${n} needing ${bytes} bytes, maxCondensedBytes=${maxBytes}); use 'ward' or 'single', or raise the cap`,
      [{ path: 'maxCondensedBytes', message: `needs ${bytes}, cap ${maxBytes}` }],
    );
  }
  return condensedChainMerges(condensedEuclidean(values, n, d), n, method);
}
