/**
 * Shared shapes of the supervised models: labels are `Int32Array` in 0..C−1, sample weights `Float64Array`,
 * class weights `'balanced'` (sklearn's n / (C · count_c)) or a map from class to weight.
 */
import type { FeatureMatrix } from '../matrix.js';

/** `'balanced'` gives class c the weight n / (classesPresent · count_c), as scikit-learn; a map gives weights directly (missing classes weigh 1). */
export type ClassWeight = 'balanced' | Readonly<Record<number, number>>;

/** Weights every fit accepts. The weight of a row is sampleWeight[i] · classWeight[y[i]]. */
export interface WeightOptions {
  readonly sampleWeight?: Float64Array;
  readonly classWeight?: ClassWeight;
}

/** A fitted classifier: probabilities as a row-major rows × nClasses `Float64Array`. */
export interface Classifier {
  readonly nClasses: number;
  /** Probability of each class per row, row-major (rows × nClasses). */
  predictProba(X: FeatureMatrix): Float64Array;
  /** The most probable class per row (the first on ties, as numpy's argmax). */
  predict(X: FeatureMatrix): Int32Array;
}

/** Fits a classifier on (X, y) with optional row weights; used by cross-validation and permutation importance. */
export type FitClassifier = (X: FeatureMatrix, y: Int32Array, sampleWeight?: Float64Array) => Classifier;
