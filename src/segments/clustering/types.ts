/**
 * Shapes of a customer segmentation, whatever method made it: the methods as data, the options, one row per
 * k tried, the stored bootstrap stability, and the result the pipeline stores and names.
 */
import type { PreprocessParams } from '../../models/preprocess/index.js';
import type { ClusterName } from '../naming/index.js';

/** Methods a segmentation run can use: K-means, Ward's linkage on a sample, or a Gaussian mixture. */
export const SEGMENT_METHODS = ['kmeans', 'ward', 'gmm'] as const;
export type SegmentMethod = (typeof SEGMENT_METHODS)[number];

/** Each method's name for people (CLI output, reports). */
export const SEGMENT_METHOD_NAMES: Readonly<Record<SegmentMethod, string>> = { kmeans: 'K-means', ward: 'Ward', gmm: 'Gaussian mixture' };

/** What `--method` accepts: a method, or `auto` to compare them (models/select `chooseModel`). */
export const SEGMENT_METHOD_CHOICES = [...SEGMENT_METHODS, 'auto'] as const;
export type SegmentMethodChoice = (typeof SEGMENT_METHOD_CHOICES)[number];

export const SEGMENT_DEFAULTS = {
  method: 'kmeans',
  /** Rows Ward's tree is built on at most: O(s²·d) time, about 1.3 s at 5,000 × 12. */
  treeSample: 5000,
  /** Rows the mixture is fitted on at most: EM costs O(iterations·n·k·d²), so a larger shop fits on a sample. */
  mixtureSample: 50_000,
  /** Rows `auto` compares the methods on at most (every method × k, plus bootstrap refits). */
  compareSample: 10_000,
  /** Rows the bootstrap stability resamples from at most. */
  stabilitySample: 20_000,
  /** Bootstrap resamples `auto` uses when `stability` is 0 (its rule needs stability). */
  autoResamples: 10,
} as const;

export interface SegmentCustomersOptions {
  /** A fixed k, or 'auto' to choose from kMin..kMax by silhouette. */
  readonly k: number | 'auto';
  readonly seed: number;
  /** Default 'kmeans'. */
  readonly method?: SegmentMethodChoice;
  readonly kMin?: number;
  readonly kMax?: number;
  /** K-means restarts of the final fit (default 10). */
  readonly nInit?: number;
  /**
   * Restarts per candidate k while choosing k (default 3, at most nInit): the scan only ranks the k values,
   * and the best k and its neighbours are then given the remaining restarts, up to nInit.
   */
  readonly scanInit?: number;
  /** Rows used for the silhouette of each candidate k (default 5,000; all rows when fewer). */
  readonly silhouetteSample?: number;
  /** Rows Ward's tree is built on at most (default 5,000). */
  readonly treeSample?: number;
  /** Rows the Gaussian mixture is fitted on at most (default 50,000). */
  readonly mixtureSample?: number;
  /** Rows `auto` compares methods on at most (default 10,000). */
  readonly compareSample?: number;
  /** Bootstrap resamples of the stability check (default 0: not computed). */
  readonly stability?: number;
  /** Customers the stability resamples are drawn from at most (default 20,000). */
  readonly stabilitySample?: number;
}

export interface KCandidate {
  readonly k: number;
  readonly inertia: number;
  readonly silhouette: number;
  /** Whether the fit converged; null for Ward (not iterative). */
  readonly converged: boolean | null;
  /** BIC of the mixture (lower is better), mixtures only. */
  readonly bic?: number | null;
}

/** Bootstrap stability as stored in the run's metrics: models/select `Stability` plus how it was measured. */
export interface StoredStability {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  /** ARI of each resample (absent when only the summary is known, e.g. from `auto`'s comparison). */
  readonly ari?: readonly number[];
  readonly resamples: number;
  /** Customers the resamples were drawn from (all, or a seeded sample). */
  readonly rows: number;
  readonly method: SegmentMethod;
  readonly k: number;
  /** How it was measured, in a sentence. */
  readonly note: string;
}

/** Why `auto` chose its method: the comparison table and the explanation of models/select `chooseModel`. */
export interface MethodChoice {
  readonly rule: string;
  readonly explanation: string;
  /** Customers the methods were compared on. */
  readonly comparedRows: number;
  readonly candidates: readonly {
    readonly method: string;
    readonly k: number;
    readonly silhouette: number | null;
    readonly daviesBouldin: number | null;
    readonly calinskiHarabasz: number | null;
    readonly bic: number | null;
    readonly stability: { readonly mean: number; readonly std: number; readonly min: number } | null;
    readonly excluded: string | null;
  }[];
}

/** What the fit rested on, for the stored model: sample sizes and, for a mixture, its parameters. */
export interface FitFacts {
  /** Rows the model was fitted on (Ward: the tree's rows; mixture: EM's rows; K-means: all). */
  readonly fitRows: number;
  /** Fitted on a seeded sample (true) or on every customer (false). */
  readonly sampled: boolean;
  /** The mixture in the clustering space (component order, not segment order), for a Gaussian mixture. */
  readonly mixture?: {
    readonly covarianceType: string;
    readonly weights: readonly number[];
    readonly means: readonly number[];
    readonly covariances: readonly number[];
    readonly logLikelihood: number;
    readonly bic: number;
  };
}

export interface CustomerSegmentation {
  readonly method: SegmentMethod;
  readonly k: number;
  /** Segment (0..k−1) of each row of the input matrix. */
  readonly labels: Int32Array;
  readonly candidates: readonly KCandidate[];
  readonly elbowK: number | null;
  readonly chosenBy: string;
  /** The transforms, in order, as data: enough to place a new customer with the same scaling. */
  readonly transforms: readonly PreprocessParams[];
  readonly transformText: readonly string[];
  /**
   * k × cols centroids in the clustering space (z) — the centroids a new customer is placed at, nearest first —
   * and in the features' own units (member means).
   */
  readonly zCentroids: Float64Array;
  readonly rawCentroids: Float64Array;
  readonly names: readonly ClusterName[];
  readonly silhouette: number;
  /** Within-cluster sum of squares in the clustering space. */
  readonly inertia: number;
  /** Whether the fit converged (Ward: true, a tree is exact) and its iterations (Ward: 0). */
  readonly converged: boolean;
  readonly iterations: number;
  /** How every customer got its segment and how a new customer is placed, in a sentence or two. */
  readonly assignment: string;
  /** Share of customers whose nearest z-centroid is their own segment (1 means placement reproduces the run). */
  readonly placementAgreement: number;
  readonly fitFacts: FitFacts;
  readonly stability: StoredStability | null;
  readonly methodChoice: MethodChoice | null;
}
