/**
 * The dashboard's data payloads: one JSON-serialisable shape per page, returned by the functions of this folder and
 * served as `GET /api/<name>`. Every payload says its `state`:
 * - `ready`: the data below is filled in;
 * - `empty`: nothing to show yet (no data, or no finished run); arrays are empty and numbers null, `message` says
 *   what to do;
 * - `running`: a segmentation run is in progress; when an earlier run finished, its data is filled in (`run` is not
 *   null) so the page can show it with a banner, else the data is empty as for `empty`.
 * Every number is finite or null (null = not defined, e.g. a mean over no customers). Dates are ISO-8601 strings.
 */
import type { Family } from '../../segments/naming/index.js';
import type { Strategy } from '../../strategies/index.js';
import type { Profile, ProfilePrediction } from '../../server/read/profiles.js';

export type PayloadState = 'ready' | 'empty' | 'running';

export interface PayloadBase {
  readonly state: PayloadState;
  /** A sentence for the marketer: why the page is empty, or a note about the data (null when there is nothing to say). */
  readonly message: string | null;
}

/** The segmentation run a payload describes. */
export interface RunRef {
  readonly runId: string;
  readonly createdAt: string;
  /** The as-of date of the run's features (null when the run did not record it). */
  readonly asOf: string | null;
  readonly method: string;
  readonly k: number | null;
  readonly seed: number | null;
}

/** A segment's identity on every page: the same colour for the same family everywhere (`FAMILY_COLOURS`). */
export interface SegmentKey {
  readonly cluster: number;
  readonly name: string;
  readonly family: Family | null;
  readonly colour: string;
}

// ---------------------------------------------------------------- overview

export interface OverviewKpis {
  /** Customers in the feature table (as of `asOf`). */
  readonly customers: number;
  /** Customers whose last purchase is at most 90 whole days before as-of (`recency_days <= 90`). */
  readonly activeCustomers: number;
  readonly activeShare: number | null;
  /** Customers with at least one kept purchase. */
  readonly buyers: number;
  readonly revenue: number;
  readonly orders: number;
  /** Average order value: revenue / orders (null without orders). */
  readonly aov: number | null;
  /** Customers with ≥ 2 orders / customers with ≥ 1 (null without buyers). */
  readonly repeatRate: number | null;
}

export interface SegmentMixRow extends SegmentKey {
  readonly size: number;
  /** size / all customers of the run. */
  readonly share: number | null;
  readonly revenue: number;
  readonly revenueShare: number | null;
  /** Size of the segment with the same name in the previous finished run (null: no previous run or a new name). */
  readonly previousSize: number | null;
  /** size − previousSize (null when previousSize is null). */
  readonly sizeDelta: number | null;
}

/** Size change of one segment name between the previous and the latest run (names in either run). */
export interface SegmentChange {
  readonly name: string;
  readonly size: number;
  readonly previousSize: number;
  readonly delta: number;
}

export interface OverviewPayload extends PayloadBase {
  readonly run: RunRef | null;
  readonly previousRun: RunRef | null;
  /** As-of date of the run (the features' reference date). */
  readonly asOf: string | null;
  /** As-of date of the stored `customer_features` (differs from `asOf` when features were recomputed since). */
  readonly featuresAsOf: string | null;
  readonly kpis: OverviewKpis | null;
  readonly segments: readonly SegmentMixRow[];
  readonly changes: readonly SegmentChange[];
}

// ---------------------------------------------------------------- segments

export interface SegmentRow extends SegmentKey {
  readonly reason: string;
  readonly size: number;
  readonly share: number | null;
  readonly revenue: number;
  readonly revenueShare: number | null;
  readonly avgRecencyDays: number | null;
  readonly avgFrequency: number | null;
  readonly avgMonetary: number | null;
  /** Mean customer lifetime value when a CLV column or `customer_predictions` rows (target 'clv') exist, else null. */
  readonly avgClv: number | null;
  readonly strategy: Strategy | null;
}

/** A segment × feature table; `values[s][f]` belongs to `segments[s]` and `features[f]`. */
export interface SegmentFeatureTable {
  readonly features: readonly string[];
  readonly segments: readonly SegmentKey[];
  readonly values: readonly (readonly (number | null)[])[];
}

export interface HeatmapPayload extends SegmentFeatureTable {
  /** Member means in the features' own units, same layout as `values` (for tooltips). */
  readonly means: readonly (readonly (number | null)[])[];
}

export interface RfmCell {
  /** R score 1..5 (5 = most recent). */
  readonly r: number;
  /** F score 1..5 (5 = most frequent). */
  readonly f: number;
  readonly customers: number;
  readonly monetary: number;
}

export interface ClusterPoint {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly cluster: number;
}

export interface ClusterMap {
  readonly points: readonly ClusterPoint[];
  /** Customers in the run, and how many were drawn (a seeded sample of at most 5,000). */
  readonly total: number;
  readonly sampled: number;
  readonly seed: number;
  /** Share of the variance of the standardised features along x and y. */
  readonly explainedVarianceRatio: readonly number[];
}

export interface SegmentFlow {
  /** Segment in the previous run (null: the customer was not in it). */
  readonly fromCluster: number | null;
  readonly fromName: string | null;
  /** Segment in the latest run (null: the customer is not in it). */
  readonly toCluster: number | null;
  readonly toName: string | null;
  readonly customers: number;
}

export interface SegmentsPayload extends PayloadBase {
  readonly run: RunRef | null;
  /** The clustering features of the run, in the run's order. */
  readonly features: readonly string[];
  readonly segments: readonly SegmentRow[];
  /** z-scores of member means against all customers: (mean_segment − mean_all) / sd_all (null for a constant feature). */
  readonly heatmap: HeatmapPayload;
  /** Member means scaled 0..1 across segments (min segment 0, max 1; 0.5 when all segments are equal). */
  readonly radar: SegmentFeatureTable;
  /** All 25 cells, r-major (r = 1..5, then f = 1..5); customers without RFM scores are not counted. */
  readonly rfmGrid: readonly RfmCell[];
  readonly clusterMap: ClusterMap;
  /** Flows from the previous finished run to the latest; empty when there is only one run. */
  readonly flows: { readonly fromRunId: string | null; readonly toRunId: string | null; readonly links: readonly SegmentFlow[] };
}

// ---------------------------------------------------------------- segment members

export const MEMBER_SORT_KEYS = ['customer_id', 'rfm_score', 'recency_days', 'frequency', 'monetary'] as const;
export type MemberSortKey = (typeof MEMBER_SORT_KEYS)[number];
/** A sort key, ascending; prefixed with '-' for descending (e.g. '-monetary'). */
export type MemberSort = MemberSortKey | `-${MemberSortKey}`;

export interface MembersQuery {
  readonly offset?: number;
  /** 1..500, default 50. */
  readonly limit?: number;
  /** Default '-monetary'. */
  readonly sort?: MemberSort;
}

export interface MemberRow {
  readonly customerId: string;
  readonly rfmScore: string | null;
  readonly rfmSegment: string | null;
  readonly recencyDays: number | null;
  readonly frequency: number | null;
  readonly monetary: number | null;
}

export interface MembersPayload extends PayloadBase {
  readonly run: RunRef | null;
  readonly segment: SegmentKey | null;
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly sort: MemberSort;
  readonly members: readonly MemberRow[];
}

// ---------------------------------------------------------------- model choice

export interface KCandidateRow {
  readonly k: number;
  readonly inertia: number | null;
  readonly silhouette: number | null;
}

export interface ClusterSilhouetteRow extends SegmentKey {
  /** Members in the silhouette sample. */
  readonly sampled: number;
  readonly silhouette: number | null;
}

/** scipy's linkage matrix as rows [left, right, height, size]; leaves are 0..leaves−1, merge i creates leaves+i. */
export interface Dendrogram {
  readonly method: string;
  readonly leaves: number;
  readonly merges: readonly (readonly [number, number, number, number])[];
  /** Cluster of each leaf (a sampled customer), when known. */
  readonly leafClusters: readonly number[] | null;
}

export interface ModelChoicePayload extends PayloadBase {
  readonly run: RunRef | null;
  readonly method: string | null;
  readonly candidates: readonly KCandidateRow[];
  readonly chosenK: number | null;
  /** The rule that chose k, in words (e.g. 'highest silhouette 0.427 among k=2..10; ...'). */
  readonly chosenBy: string | null;
  readonly elbowK: number | null;
  /** The run's overall (sampled) silhouette as stored. */
  readonly silhouette: number | null;
  readonly perCluster: readonly ClusterSilhouetteRow[];
  readonly silhouetteSample: { readonly size: number; readonly seed: number } | null;
  /** Bootstrap stability as the run stored it (shape of `models/select` `Stability`), else null. */
  readonly stability: unknown;
  readonly dendrogram: Dendrogram | null;
}

// ---------------------------------------------------------------- customers

export interface CustomerSearchHit {
  /** The id that matched (a customer id or an alias). */
  readonly id: string;
  readonly customerId: string;
  readonly isAlias: boolean;
}

export interface CustomerSearchPayload extends PayloadBase {
  readonly query: string;
  /** Prefix matches first, then matches elsewhere in the id; each group in id order. */
  readonly results: readonly CustomerSearchHit[];
}

export interface TimelineEvent {
  readonly ts: string;
  readonly type: string;
  readonly event: string | null;
  readonly name: string | null;
}

/** A stored prediction as the profile reads it (`ProfilePrediction`), its probability a finite number or null. */
export type PredictionRow = Omit<ProfilePrediction, 'probability'> & { readonly probability: number | null };

export interface CustomerProfilePayload extends PayloadBase {
  readonly profile: Profile | null;
  /** The last 200 events of the customer's ids, newest first. */
  readonly timeline: readonly TimelineEvent[];
  readonly predictions: readonly PredictionRow[];
}

// ---------------------------------------------------------------- cohorts

export interface CohortRow {
  /** Month of the first kept purchase, 'YYYY-MM'. */
  readonly cohort: string;
  readonly customers: number;
  /** Index m = months since the first purchase month (0 = the first month); length = months observed. */
  readonly active: readonly number[];
  readonly activeShare: readonly (number | null)[];
  readonly revenue: readonly number[];
}

export interface CohortsPayload extends PayloadBase {
  /** Purchases strictly before this instant count (the latest run's as-of, else all purchases). */
  readonly asOf: string | null;
  readonly cohorts: readonly CohortRow[];
  /** The largest month offset shown (columns 0..maxOffset). */
  readonly maxOffset: number;
}

// ---------------------------------------------------------------- journeys

export interface FunnelStep {
  readonly step: string;
  /** Sessions that reached this step after the previous ones, in order. */
  readonly sessions: number;
  /** sessions / sessions of the first step. */
  readonly shareOfFirst: number | null;
  /** 1 − sessions / sessions of the previous step (null for the first step or after an empty step). */
  readonly dropOff: number | null;
}

export interface JourneysPayload extends PayloadBase {
  readonly states: readonly string[];
  /** Row-stochastic transition probabilities, `transitions[from][to]`. */
  readonly transitions: readonly (readonly number[])[];
  readonly counts: readonly (readonly number[])[];
  readonly purchaseProbability: readonly { readonly state: string; readonly probability: number }[];
  readonly paths: readonly { readonly path: readonly string[]; readonly count: number }[];
  readonly removalEffects: readonly { readonly state: string; readonly purchaseProbability: number; readonly effect: number }[];
  readonly funnel: readonly FunnelStep[];
  /** Sessions with a session id (estimated as used / fraction when sampled), sessions used, and the sample's rule. */
  readonly sample: { readonly sessionsTotal: number; readonly sessionsUsed: number; readonly sampled: boolean; readonly fraction: number; readonly seed: number };
}

// ---------------------------------------------------------------- quality

export interface QualityRuleRow {
  readonly id: string;
  readonly description: string;
  readonly unit: string;
  readonly action: string;
  readonly rowsAffected: number;
  readonly share: number;
  readonly examples: readonly Record<string, unknown>[];
}

export interface QualityPayload extends PayloadBase {
  readonly asOf: string | null;
  readonly rules: readonly QualityRuleRow[];
  readonly totals: {
    readonly orderLines: number; readonly keptLines: number; readonly excludedLines: number; readonly keptOrders: number;
    readonly customers: number; readonly revenue: number; readonly events: number;
  } | null;
}
