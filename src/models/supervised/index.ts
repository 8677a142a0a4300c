/**
 * Supervised models for tabular customer data: CART decision tree (same splits as scikit-learn), random forest,
 * gradient-boosted trees, L2 logistic regression; metrics, stratified k-fold and cross-validation; calibration
 * (reliability table, Platt, isotonic); permutation importance; trees as readable rules.
 */
export type { ClassWeight, Classifier, FitClassifier, WeightOptions } from './types.js';
export { fitDecisionTree, treeProba, type Criterion, type DecisionTree, type DecisionTreeOptions } from './decision-tree.js';
export { treeRules, type RuleOptions, type TreeRule } from './tree-rules.js';
export { fitRandomForest, forestProba, type RandomForest, type RandomForestOptions } from './random-forest.js';
export { fitRandomForestParallel, type ParallelForestOptions } from './forest-parallel.js';
export { fitGradientBoosting, boostingProba, type GradientBoosting, type GradientBoostingOptions } from './gradient-boosting.js';
export { fitLogisticRegression, logisticProba, type LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export { rocAuc, rocAucOvr } from './roc-auc.js';
export { averagePrecision, averagePrecisionOvr } from './average-precision.js';
export { logLoss } from './log-loss.js';
export { brierScore, brierScoreMulticlass } from './brier.js';
export { accuracy, confusionMatrix } from './confusion.js';
export { stratifiedKFold, foldRows, takeRows, type StratifiedKFoldOptions } from './stratified-k-fold.js';
export { crossValidate, scoreProba, type CrossValidateOptions, type CrossValidation, type FoldScores } from './cross-validate.js';
export { reliabilityTable, type ReliabilityBin } from './reliability.js';
export { fitPlatt, type PlattScaling } from './platt.js';
export { fitIsotonic, type IsotonicCalibration } from './isotonic.js';
export { permutationImportance, type ImportanceMetric, type PermutationImportance, type PermutationImportanceOptions } from './permutation-importance.js';
