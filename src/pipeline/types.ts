/** What a segmentation run produces, as stored in `segment_runs` and shown by the CLI and the report. */
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
  readonly method: 'kmeans';
  readonly k: number;
  readonly kChoice: { readonly mode: 'auto' | 'fixed'; readonly candidates: readonly KChoice[]; readonly elbowK: number | null; readonly reason: string };
  readonly silhouette: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly features: readonly string[];
  readonly transforms: readonly string[];
  readonly imputed: Readonly<Record<string, number>>;
  readonly droppedFeatures: readonly string[];
  readonly segments: readonly SegmentSummary[];
  readonly rfm: readonly RfmSegmentSummary[];
  readonly timings: Readonly<Record<string, number>>;
}
