/**
 * Prediction stage: churn risk and purchase propensity per customer, trained on a time split of the customers' own
 * history, evaluated on held-out customers, stored in `customer_predictions` (evaluations in `prediction_models`);
 * and the per-segment summary of all stored predictions that the report shows.
 */
export { predictCustomers, PREDICT_TARGETS, type PredictOptions, type PredictTarget, type PredictionResult } from './predict-customers.js';
export { PREDICT_MODELS, type PredictModel } from './model.js';
export type { Evaluation, FeatureImportance } from './evaluate.js';
export type { ScoreDistribution } from './distribution.js';
export { loadPredictionSummary, type PredictionSummary, type ScoreSummary, type SegmentModelSummary, type SegmentPredictions } from './summary.js';
