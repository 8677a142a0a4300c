/** Gaussian mixture models (EM) with soft memberships, numerically matching scikit-learn's GaussianMixture. */
export { fitGmm, countParameters } from './gmm.js';
export { COVARIANCE_TYPES } from './types.js';
export type { CovarianceType, GaussianMixture, GmmOptions } from './types.js';
