/**
 * Choosing the model: one entry point per method (`fitMethod`), bootstrap stability, and the comparison of
 * methods and k that `segmenta cluster --method auto` runs (`chooseModel`), or of k alone (`chooseKForMethod`).
 */
export { CLUSTER_METHODS, FIT_DEFAULTS, SIMPLICITY, isHierarchical } from './types.js';
export type { ClusterMethod, FitOptions, FittedModel, ModelDetails } from './types.js';
export { fitMethod, predictLabels } from './fit.js';
export { bootstrapStability, type Stability, type StabilityOptions } from './stability.js';
export { chooseModel, type ChooseModelOptions, type ModelChoice } from './choose.js';
export { chooseKForMethod, type ChooseKOptions, type KChoice } from './choose-k.js';
export { scoreLabels, type ClusterScores, type ScoreOptions } from './scores.js';
export type { Candidate } from './grid.js';
export { clusterMeans, nearestCentroid, takeRows } from './assign.js';
export { sampleWithoutReplacement } from './sample.js';
export { SCALINGS, parseScaling, scaleMatrix, type Scaling } from './scale.js';
