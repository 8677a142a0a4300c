export { segmentCustomers, memberMeans, type CustomerSegmentation, type KCandidate, type SegmentCustomersOptions } from './segment-customers.js';
export { CLUSTER_FEATURES, LOG_FEATURES } from './cluster-features.js';
