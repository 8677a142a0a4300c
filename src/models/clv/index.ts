/**
 * Customer lifetime value: buy-till-you-die purchase models (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB), the
 * Gamma-Gamma spend model, the transaction summary they are fitted on, and the checks of Fader, Hardie & Lee.
 */
export { lgamma, lbeta, hyp2f1, logHyp2f1, logSumExp, logAddExp, logSubExp } from './special.js';
export { minimise, type MinimiseOptions, type MinimiseResult } from './optimise.js';
export { requireConverged, type FitOptions, type FitResult } from './fit.js';
export { validateSummary, groupSummary, totalWeight, type RfmSummary } from './summary.js';
export * from './bgnbd.js';
export * from './mbgnbd.js';
export * from './pareto-nbd.js';
export * from './bgbb.js';
export * from './gamma-gamma.js';
export { customerLifetimeValue, type ClvOptions, type ConditionalExpected } from './clv.js';
export { summarise, type Transactions, type SummariseOptions, type CustomerSummary, type HoldoutSummary } from './summarise.js';
export { parseDate, dayOf, toDay } from './dates.js';
export { readCdnowTransactions } from './cdnow.js';
export { holdoutTracking, frequencyFit, type TrackingTable, type FrequencyFit } from './checks.js';
