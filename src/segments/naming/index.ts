export { nameClusters, humanise, type ClusterName, type ClusterProfileInput } from './name-clusters.js';
export { FAMILIES, FAMILY_LABELS, FAMILY_PROFILES, type Family } from './families.js';
