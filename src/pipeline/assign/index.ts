/**
 * Segment assignment: a classifier that places new and partially observed customers in the newest run's segments
 * without re-running K-means, evaluated by cross-validation and on customers cut to their first days, stored in
 * `customer_predictions` (target 'segment').
 */
export { assignSegments, type AssignSegmentsOptions, type SegmentAssignmentResult, type SegmentShare } from './assign-segments.js';
export { SEGMENT_MODELS, type SegmentModel } from './classifier.js';
export type { ClassReport, PartialAgreement, SegmentEvaluation } from './evaluate.js';
export { loadRunModel, nearestCentroidLabels, toClusteringSpace, type RunModel } from './run-model.js';
