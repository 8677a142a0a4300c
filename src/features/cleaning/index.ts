/** Cleaning rules as data, the quality report that counts them, and its text rendering. */
export { CLEANING_RULES, type CleaningAction, type CleaningRule } from './rules.js';
export { missingValueRules, qualityReport, type QualityReport, type QualityTotals, type RuleOutcome } from './report.js';
export { formatQualityReport } from './format.js';
