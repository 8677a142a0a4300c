/** Test helper: loads the scikit-learn fixtures written by fixtures/sklearn/supervised/generate.py. */
import { readFileSync } from 'node:fs';
import { createMatrix, type FeatureMatrix } from '../matrix.js';

interface Dataset {
  readonly rows: number;
  readonly cols: number;
  readonly xB64: string;
  readonly y: number[];
  readonly columns: string[];
}

export interface TreeCase {
  readonly name: string;
  readonly data: string;
  readonly params: { criterion?: 'gini' | 'entropy'; max_depth?: number; min_samples_leaf?: number; min_samples_split?: number; min_impurity_decrease?: number; max_features?: number; class_weight?: 'balanced' | Record<string, number> };
  readonly randRSeed: number;
  readonly sampleWeight: number[] | null;
  readonly stable: boolean;
  readonly distinctTrees: number;
  readonly nodeCount: number;
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly impurity: number[];
  readonly nNodeSamples: number[];
  readonly weightedNNodeSamples: number[];
  readonly proba: number[];
  readonly predict: number[];
}

export interface LogisticCase {
  readonly name: string;
  readonly data: string;
  readonly params: { C: number; fit_intercept?: boolean; class_weight?: 'balanced' | Record<string, number> };
  readonly sampleWeight: number[] | null;
  readonly coef: number[][];
  readonly intercept: number[];
  readonly nIter: number;
  readonly maxGradient: number;
  readonly proba: number[];
  readonly converged: { solver: string; coef: number[][]; intercept: number[]; maxGradient: number; proba: number[] };
}

export interface BinaryMetrics {
  readonly rocAuc: number;
  readonly averagePrecision: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly accuracy: number;
  readonly confusion: number[];
}

interface QualityModel {
  readonly accuracy: number[];
  readonly rocAuc: number[];
  readonly meanAccuracy: number;
  readonly meanRocAuc: number;
}

export interface SupervisedFixtures {
  readonly source: string;
  readonly sklearnVersion: string;
  readonly datasets: Record<string, Dataset>;
  readonly trees: TreeCase[];
  readonly logistic: LogisticCase[];
  readonly metrics: {
    binary: { y: number[]; score: number[]; tied: number[]; weight: number[]; plain: BinaryMetrics; tiedPlain: BinaryMetrics; weighted: BinaryMetrics; tiedWeighted: BinaryMetrics };
    multiclass: { y: number[]; proba: number[]; weight: number[]; logLoss: number; logLossWeighted: number; rocAucOvrMacro: number; accuracy: number; confusion: number[]; confusionWeighted: number[] };
  };
  readonly kfold: { y: number[]; k: number; testFold: number[] }[];
  readonly quality: { data: string; testFold: number[]; models: Record<'randomForest' | 'gradientBoosting' | 'decisionTree' | 'logisticRegression', QualityModel>; randomForestOobScore: number }[];
  readonly calibration: {
    reliability: { nBins: number; observed: number[]; predicted: number[] };
    isotonic: { fitted: number[]; fittedTiedWeighted: number[]; at: number[]; predictAt: number[] };
    platt: { a: number; b: number };
  };
}

const url = new URL('../../../fixtures/sklearn/supervised/supervised.json', import.meta.url);
let cached: SupervisedFixtures | undefined;

export function loadFixtures(): SupervisedFixtures {
  cached ??= JSON.parse(readFileSync(url, 'utf8')) as SupervisedFixtures;
  return cached;
}

/** A fixture dataset as a FeatureMatrix plus Int32Array labels. */
export function dataset(name: string): { X: FeatureMatrix; y: Int32Array } {
  const ds = loadFixtures().datasets[name];
  if (!ds) throw new Error(`fixture dataset ${name} not found`);
  const bytes = Buffer.from(ds.xB64, 'base64');
  const values = new Float64Array(ds.rows * ds.cols);
  new Uint8Array(values.buffer).set(bytes);
  return { X: createMatrix(values, ds.rows, ds.cols, undefined, ds.columns), y: Int32Array.from(ds.y) };
}

/** sklearn's class_weight dict (string keys) as our map. */
export function classWeightOf(cw: 'balanced' | Record<string, number> | undefined): 'balanced' | Record<number, number> | undefined {
  if (cw === undefined || cw === 'balanced') return cw;
  return Object.fromEntries(Object.entries(cw).map(([k, v]) => [Number(k), v]));
}
