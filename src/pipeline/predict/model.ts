/**
 * The classifier behind churn and propensity scores: one of gradient-boosted trees (default), a random forest or L2
 * logistic regression, each with fixed settings chosen for a few thousand to a few hundred thousand customers and
 * seeded from the run. Logistic regression sees z-scored columns (means and deviations of the training rows), since
 * raw features (money, days) differ by orders of magnitude and the L2 penalty is not scale-free.
 */
import { createMatrix, type FeatureMatrix } from '../../models/matrix.js';
import { fitGradientBoosting, fitLogisticRegression, fitRandomForest, type Classifier } from '../../models/supervised/index.js';

export const PREDICT_MODELS = ['gbt', 'forest', 'logistic'] as const;
export type PredictModel = (typeof PREDICT_MODELS)[number];

type Fit = (X: FeatureMatrix, y: Int32Array, seed: number) => Classifier;

const FITS: Readonly<Record<PredictModel, Fit>> = {
  gbt: (X, y, seed) => fitGradientBoosting(X, y, { nEstimators: 100, learningRate: 0.1, maxDepth: 3, minSamplesLeaf: 10, subsample: 0.8, seed }),
  forest: (X, y, seed) => fitRandomForest(X, y, { nEstimators: 100, minSamplesLeaf: 10, maxFeatures: 'sqrt', oobScore: false, seed }),
  logistic: (X, y) => standardised(X, (Z) => fitLogisticRegression(Z, y, { C: 1, maxIterations: 200 })),
};

/** Fits the named model on (X, y) with labels 0/1. Cost: that of the model (O(trees · n log n · d) for the ensembles). */
export function fitPredictModel(kind: PredictModel, X: FeatureMatrix, y: Int32Array, seed: number): Classifier {
  return FITS[kind](X, y, seed);
}

/** P(class 1) per row of X. */
export function positiveProbability(model: Classifier, X: FeatureMatrix): Float64Array {
  const proba = model.predictProba(X);
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) out[i] = proba[i * model.nClasses + 1]!;
  return out;
}

/** Wraps a model fitted on z-scored columns so that it takes raw columns; a constant column scales by 1. */
function standardised(X: FeatureMatrix, fit: (Z: FeatureMatrix) => Classifier): Classifier {
  const { rows, cols } = X;
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m += X.values[r * cols + c]!;
    m /= Math.max(rows, 1);
    let ss = 0;
    for (let r = 0; r < rows; r++) ss += (X.values[r * cols + c]! - m) ** 2;
    const sd = Math.sqrt(ss / Math.max(rows, 1));
    mean[c] = m;
    scale[c] = sd > 0 ? sd : 1;
  }
  const z = (M: FeatureMatrix): FeatureMatrix => {
    const out = new Float64Array(M.values.length);
    for (let i = 0; i < out.length; i++) {
      const c = i % cols;
      out[i] = (M.values[i]! - mean[c]!) / scale[c]!;
    }
    return createMatrix(out, M.rows, cols, M.ids, M.columns);
  };
  const inner = fit(z(X));
  return {
    nClasses: inner.nClasses,
    predictProba: (M) => inner.predictProba(z(M)),
    predict: (M) => inner.predict(z(M)),
  };
}
