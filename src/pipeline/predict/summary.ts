/**
 * What the stored predictions say about each segment of a run, for the report: per segment, the mean churn risk and
 * mean purchase propensity of its members (the latest horizon scored of each target) and how many customers the
 * segment classifier places in it; plus each model's stored evaluation. Null when nothing was predicted.
 * Cost: one aggregation of `customer_predictions` joined to the run's memberships.
 */
import type { Store } from '../../store/db.js';

export interface ScoreSummary {
  readonly horizonDays: number;
  readonly model: string;
  readonly asOf: string;
  /** Customers scored (all segments). */
  readonly customers: number;
  /** Held-out ROC AUC of the model when its evaluation was stored. */
  readonly rocAuc: number | null;
}

export interface SegmentModelSummary {
  readonly model: string;
  readonly asOf: string;
  readonly customers: number;
  readonly folds: number | null;
  readonly accuracy: number | null;
  readonly macroF1: number | null;
  readonly baselineAccuracy: number | null;
  readonly partial: readonly { readonly days: number; readonly customers: number; readonly classifier: number | null; readonly nearestCentroid: number | null }[];
}

export interface SegmentPredictions {
  readonly cluster: number;
  readonly name: string;
  readonly members: number;
  /** Mean probability over the members scored; null when none was. */
  readonly churn: { readonly customers: number; readonly mean: number } | null;
  readonly propensity: { readonly customers: number; readonly mean: number } | null;
  /** Customers the segment classifier places in this segment (null without segment predictions for the run). */
  readonly placed: number | null;
}

export interface PredictionSummary {
  readonly runId: string;
  readonly churn: ScoreSummary | null;
  readonly propensity: ScoreSummary | null;
  readonly segmentModel: SegmentModelSummary | null;
  readonly segments: readonly SegmentPredictions[];
}

interface ScoreRow { target: string; horizon_days: number; model: string; as_of: Date; customers: number; metrics: string | null }
interface SegmentRow { cluster: number; name: string | null; members: number; churn_n: number; churn_mean: number | null; prop_n: number; prop_mean: number | null; placed: number }

/** The summary for `runId`; null when the store holds no churn, propensity or segment prediction for it. */
export async function loadPredictionSummary(store: Store, runId: string): Promise<PredictionSummary | null> {
  // The newest horizon of each target (a target can be scored at several horizons; each keeps its own rows).
  const latest = await store.rows<ScoreRow>(
    `WITH scored AS (
       SELECT target, horizon_days, any_value(model) AS model, max(as_of) AS as_of, count(*)::INTEGER AS customers, max(created_at) AS created
       FROM customer_predictions WHERE target IN ('churn', 'propensity') OR (target = 'segment' AND run_id = $run)
       GROUP BY target, horizon_days
     )
     SELECT s.target, s.horizon_days, s.model, s.as_of, s.customers, m.metrics::VARCHAR AS metrics
     FROM scored s LEFT JOIN prediction_models m ON m.target = s.target AND m.horizon_days = s.horizon_days AND (s.target <> 'segment' OR m.run_id = $run)
     QUALIFY row_number() OVER (PARTITION BY s.target ORDER BY s.created DESC, s.horizon_days) = 1`,
    { run: runId },
  );
  if (latest.length === 0) return null;
  const byTarget = new Map(latest.map((r) => [r.target, r] as const));
  const horizon = (target: string) => byTarget.get(target)?.horizon_days ?? -1;
  const rows = await store.rows<SegmentRow>(
    `SELECT m.cluster, any_value(m.segment_name) AS name, count(*)::INTEGER AS members,
            count(c.probability)::INTEGER AS churn_n, avg(c.probability) AS churn_mean,
            count(p.probability)::INTEGER AS prop_n, avg(p.probability) AS prop_mean,
            (SELECT count(*)::INTEGER FROM customer_predictions s WHERE s.target = 'segment' AND s.run_id = $run AND s.cluster = m.cluster) AS placed
     FROM segment_memberships m
     LEFT JOIN customer_predictions c ON c.customer_id = m.customer_id AND c.target = 'churn' AND c.horizon_days = $churn
     LEFT JOIN customer_predictions p ON p.customer_id = m.customer_id AND p.target = 'propensity' AND p.horizon_days = $propensity
     WHERE m.run_id = $run AND m.cluster IS NOT NULL
     GROUP BY m.cluster ORDER BY m.cluster`,
    { run: runId, churn: horizon('churn'), propensity: horizon('propensity') },
  );
  const hasSegment = byTarget.has('segment');
  return {
    runId,
    churn: scoreSummary(byTarget.get('churn')),
    propensity: scoreSummary(byTarget.get('propensity')),
    segmentModel: segmentModelSummary(byTarget.get('segment')),
    segments: rows.map((r) => ({
      cluster: r.cluster,
      name: r.name ?? `Segment ${r.cluster + 1}`,
      members: r.members,
      churn: r.churn_n > 0 && r.churn_mean !== null ? { customers: r.churn_n, mean: r.churn_mean } : null,
      propensity: r.prop_n > 0 && r.prop_mean !== null ? { customers: r.prop_n, mean: r.prop_mean } : null,
      placed: hasSegment ? r.placed : null,
    })),
  };
}

function scoreSummary(row: ScoreRow | undefined): ScoreSummary | null {
  if (!row) return null;
  const metrics = parseMetrics(row.metrics);
  return { horizonDays: row.horizon_days, model: row.model, asOf: row.as_of.toISOString(), customers: row.customers, rocAuc: finite(metrics.rocAuc) };
}

function segmentModelSummary(row: ScoreRow | undefined): SegmentModelSummary | null {
  if (!row) return null;
  const m = parseMetrics(row.metrics);
  const baseline = (m.baseline ?? {}) as Record<string, unknown>;
  const partial = Array.isArray(m.partial) ? (m.partial as Record<string, unknown>[]) : [];
  return {
    model: row.model, asOf: row.as_of.toISOString(), customers: row.customers,
    folds: finite(m.folds), accuracy: finite(m.accuracy), macroF1: finite(m.macroF1), baselineAccuracy: finite(baseline.accuracy),
    partial: partial.map((p) => ({ days: Number(p.days), customers: Number(p.customers), classifier: finite(p.classifier), nearestCentroid: finite(p.nearestCentroid) })),
  };
}

function parseMetrics(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
