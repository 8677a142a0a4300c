export { segmentCustomers } from './segment-customers.js';
export { memberMeans, scaleForClustering, type ClusteringSpace } from './clustering-space.js';
export {
  SEGMENT_DEFAULTS, SEGMENT_METHODS, SEGMENT_METHOD_CHOICES, SEGMENT_METHOD_NAMES,
  type CustomerSegmentation, type FitFacts, type KCandidate, type MethodChoice, type SegmentCustomersOptions, type SegmentMethod, type SegmentMethodChoice, type StoredStability,
} from './types.js';
export { CLUSTER_FEATURES, LOG_FEATURES } from './cluster-features.js';
