/** Features stage: feature definitions as data, compiled to one SQL statement; cleaning report; the feature matrix. */
export { FEATURES, type FeatureDefinition, type ImputeRule } from './definitions.js';
export { compileFeatures, validateDefinitions } from './compile.js';
export { computeFeatures, defaultAsOf, type ComputeFeaturesOptions, type FeatureSnapshot } from './compute.js';
export { exportFeatures } from './export.js';
export { imputationFills, readFeatureMatrix, sortedQuantile, upperFence, type FeatureMatrixRead, type ReadFeatureMatrixOptions } from './matrix.js';
export { AS_OF, type FeatureSource } from './sources.js';
export { CLEANING_RULES, formatQualityReport, missingValueRules, qualityReport, type CleaningAction, type CleaningRule, type QualityReport, type QualityTotals, type RuleOutcome } from './cleaning/index.js';
