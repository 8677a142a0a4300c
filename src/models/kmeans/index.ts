/** K-means clustering: full-batch (Hamerly / Lloyd), mini-batch, and a k-selection helper. */
export { kmeans, clusterSizes, meanColumnVariance } from './kmeans.js';
export { KMEANS_DEFAULTS, PARALLEL_MIN_ROWS } from './types.js';
export { closeKMeansWorkers } from './pool.js';
export type { KMeansOptions, KMeansResult, KMeansInit, KMeansAlgorithm } from './types.js';
export { miniBatchKMeans, MINI_BATCH_DEFAULTS } from './minibatch.js';
export type { MiniBatchKMeansOptions, MiniBatchKMeansResult } from './minibatch.js';
export { chooseK, elbow } from './chooseK.js';
export type { ChooseKOptions, ChooseKResult, ClusteringScore } from './chooseK.js';
