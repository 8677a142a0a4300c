/**
 * Cluster-quality metrics: internal scores (inertia, silhouette, Davies–Bouldin, Calinski–Harabasz), agreement
 * between labelings (adjusted Rand, NMI) and the Kneedle elbow finder. Numbers agree with scikit-learn 1.2.
 */
export { adjustedRandFromContingency, adjustedRandIndex } from './adjusted-rand.js';
export { calinskiHarabaszScore } from './calinski-harabasz.js';
export { contingency, contingencyDense, type Contingency } from './contingency.js';
export { daviesBouldinScore } from './davies-bouldin.js';
export { inertia } from './inertia.js';
export { kneedle, type KneedleOptions, type KneedleResult } from './kneedle.js';
export { canonicalRelabel, encodeLabels, type EncodedLabels } from './labels.js';
export { labelEntropy, mutualInfoFromContingency, mutualInformation, normalizedMutualInfo } from './mutual-info.js';
export { silhouetteByCluster, silhouetteSamples, silhouetteScore, type ClusterSilhouette, type SilhouetteOptions } from './silhouette.js';
export { silhouetteSamplesParallel, silhouetteScoreParallel, type ParallelSilhouetteOptions } from './silhouette-parallel.js';
export { silhouetteScoreSampled, silhouetteScoreSampledParallel, type SampledSilhouetteOptions } from './silhouette-sampled.js';
