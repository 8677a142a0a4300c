/**
 * Options and result of K-means. Options have typed defaults (`KMEANS_DEFAULTS`); the result says whether the
 * best run converged and after how many iterations, and carries that run's inertia history.
 */

/** How the initial centroids are chosen: greedy k-means++ (seeded), or given explicitly (k×cols, row-major). */
export type KMeansInit = 'k-means++' | Float64Array;

/** `hamerly` (default) prunes distance computations with triangle-inequality bounds; `lloyd` computes them all. */
export type KMeansAlgorithm = 'hamerly' | 'lloyd';

export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ rows. */
  readonly k: number;
  /** Seed of the run's rng; the same seed gives the same result. Default 0. */
  readonly seed?: number;
  /** Number of k-means++ restarts; the run with the lowest inertia wins. Default 10; forced to 1 with given centroids. */
  readonly nInit?: number;
  /**
   * Restarts to leave out because a fit with the same data, k and seed and this many restarts has been made: their
   * seeds are drawn and not run, so the later restarts are exactly those a fit of `nInit` would run. The caller
   * keeps the better of the two results, keeping the earlier fit on a tie (as one fit of `nInit` keeps its first
   * best run). Default 0; below `nInit`; ignored with given centroids.
   */
  readonly skipRestarts?: number;
  /** Iteration cap of each run. Default 300. */
  readonly maxIterations?: number;
  /**
   * Relative tolerance, scikit-learn's meaning: a run stops when the sum of squared centroid shifts is at most
   * `tolerance × mean of the per-column (population) variances`. Default 1e-4. 0 runs until labels stop changing.
   */
  readonly tolerance?: number;
  /** Default 'k-means++'. */
  readonly init?: KMeansInit;
  /** Default 'hamerly'. Both give the same labels and inertia from the same initial centroids. */
  readonly algorithm?: KMeansAlgorithm;
  /**
   * Threads for the assignment and seeding passes, the calling one included (worker threads, see `pool.ts`).
   * Used only from `PARALLEL_MIN_ROWS` rows; the result is the same bit for bit whatever the count. Default:
   * `os.availableParallelism()` (at most 8) from `PARALLEL_MIN_ROWS` rows, else 1.
   */
  readonly threads?: number;
}

/** Fewer rows than this run on one thread: dispatch and worker start-up would cost more than they save. */
export const PARALLEL_MIN_ROWS = 100_000;

export const KMEANS_DEFAULTS = {
  seed: 0,
  nInit: 10,
  skipRestarts: 0,
  maxIterations: 300,
  tolerance: 1e-4,
  init: 'k-means++',
  algorithm: 'hamerly',
} as const satisfies Omit<Required<KMeansOptions>, 'k' | 'threads'>;

export interface KMeansResult {
  /** Cluster of each row, 0..k-1. */
  readonly labels: Int32Array;
  /** Final centroids, k×cols row-major. */
  readonly centroids: Float64Array;
  /** Rows per cluster. */
  readonly sizes: Int32Array;
  /** Sum of squared distances of rows to their centroid (after the final assignment). */
  readonly inertia: number;
  /** Iterations of the best run (assignment + update steps), as scikit-learn's `n_iter_`. */
  readonly iterations: number;
  /** Whether the best run stopped on its own (labels stable or shift ≤ tolerance) before the cap. */
  readonly converged: boolean;
  /** How many runs (initialisations) were made (`nInit`, less `skipRestarts`). */
  readonly nInitRun: number;
  /** Inertia at each assignment step of the best run (against the centroids of that step); non-increasing. */
  readonly inertiaHistory: number[];
}
