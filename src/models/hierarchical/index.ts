/** Hierarchical (agglomerative) clustering: linkage in scipy's format and flat cuts of the tree. */
export { linkage } from './linkage.js';
export { cutByHeight, cutByK } from './cut.js';
export { LINKAGE_METHODS, DEFAULT_MAX_CONDENSED_BYTES } from './types.js';
export type { Linkage, LinkageMethod, LinkageOptions } from './types.js';
