/** What a segmentation run produces, as stored in `segment_runs` and shown by the CLI and the report. */
import type { MethodChoice, SegmentMethod, StoredStability } from '../segments/clustering/index.js';
import type { Family } from '../segments/naming/index.js';
import type { Strategy } from '../strategies/index.js';

export interface RunContext {
  readonly now: Date;
  readonly seed: number;
  readonly runId: string;
}

export interface SegmentSummary {
  readonly cluster: number;
  readonly name: string;
  readonly family: Family;
  readonly reason: string;
  readonly size: number;
  readonly share: number;
  readonly revenue: number;
  readonly revenueShare: number;
  readonly avgRecencyDays: number | null;
  readonly avgFrequency: number;
  readonly avgMonetary: number;
  /** Centroid in the features' own units (means of the cluster's members before scaling). */
  readonly centroid: Readonly<Record<string, number>>;
  /** Centroid in the clustering space (standard deviations from the average customer). */
  readonly zCentroid: Readonly<Record<string, number>>;
  readonly strategy: Strategy;
}

export interface KChoice {
  readonly k: number;
  readonly inertia: number;
  readonly silhouette: number;
}

export interface RfmSegmentSummary {
  readonly segment: string;
  readonly customers: number;
  readonly revenue: number;
  readonly avgRecencyDays: number;
  readonly avgFrequency: number;
  readonly avgMonetary: number;
}

export interface RunSummary {
  readonly runId: string;
  readonly createdAt: string;
  readonly asOf: string;
  readonly seed: number;
  readonly customers: number;
  readonly clusteredCustomers: number;
  readonly orders: number;
  readonly revenue: number;
  /** The method that made the segments (for `--method auto`, the one it chose). */
  readonly method: SegmentMethod;
  readonly k: number;
  readonly kChoice: { readonly mode: 'auto' | 'fixed'; readonly candidates: readonly KChoice[]; readonly elbowK: number | null; readonly reason: string };
  readonly silhouette: number;
  /** Whether the fit converged and its iterations (Ward: true and 0, a tree is exact). */
  readonly converged: boolean;
  readonly iterations: number;
  /**
   * How every customer got its segment and how a new customer is placed (nearest stored centroid), with how often
   * the two agree. Absent in runs stored before methods other than K-means existed.
   */
  readonly assignment?: string;
  /** Customers the model was fitted on, and whether they were a seeded sample of the shop. */
  readonly fit?: { readonly rows: number; readonly sampled: boolean };
  /** Bootstrap stability of the segments, when measured (`--stability N`, or `--method auto`'s comparison). */
  readonly stability?: StoredStability | null;
  /** Why `--method auto` chose its method (the full comparison table is in the run's metrics). */
  readonly methodChoice?: Pick<MethodChoice, 'rule' | 'explanation' | 'comparedRows'> | null;
  readonly features: readonly string[];
  readonly transforms: readonly string[];
  readonly imputed: Readonly<Record<string, number>>;
  readonly droppedFeatures: readonly string[];
  readonly segments: readonly SegmentSummary[];
  readonly rfm: readonly RfmSegmentSummary[];
  readonly timings: Readonly<Record<string, number>>;
}
