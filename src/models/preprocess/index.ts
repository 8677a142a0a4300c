/** Preprocessing of the feature matrix: scalers (each returns the matrix and its fitted parameters), and PCA. */
export { fitZScore } from './zscore.js';
export { fitRobust } from './robust.js';
export { fitMinMax } from './minmax.js';
export { fitLog1p } from './log1p.js';
export { fitWinsorise } from './winsorise.js';
export { applyToRow } from './apply.js';
export { applyToMatrix } from './transform.js';
export { pca } from './pca.js';
export type { PcaResult } from './pca.js';
export { symmetricEigen } from './jacobi.js';
export type { EigenResult } from './jacobi.js';
export { quantileSorted } from './quantile.js';
export type * from './params.js';
