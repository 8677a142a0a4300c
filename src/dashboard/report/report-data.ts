/**
 * What the report shows, read the way the dashboard reads it: the `src/dashboard/api` payloads (so every number in
 * the report equals the dashboard's), plus the run's stored summary (centroids in the features' units, the RFM
 * segments) and its predictions, which only the report shows.
 */
import type { PredictionSummary } from '../../pipeline/predict/index.js';
import { loadPredictionSummary } from '../../pipeline/predict/index.js';
import { loadRunSummary } from '../../pipeline/index.js';
import type { RunSummary } from '../../pipeline/types.js';
import type { Store } from '../../store/db.js';
import { cohorts, journeys, modelChoice, overview, quality, segments } from '../api/index.js';
import type { CohortsPayload, JourneysPayload, ModelChoicePayload, OverviewPayload, QualityPayload, SegmentsPayload } from '../api/index.js';

export interface ReportData {
  readonly overview: OverviewPayload;
  readonly segments: SegmentsPayload;
  readonly model: ModelChoicePayload;
  readonly cohorts: CohortsPayload;
  readonly journeys: JourneysPayload;
  readonly quality: QualityPayload;
  /** The stored summary of the run the payloads describe (null: no finished run). */
  readonly run: RunSummary | null;
  readonly predictions: PredictionSummary | null;
}

/**
 * Reads every payload in turn on one store (so they all describe the same newest finished run). Cost: the sum of
 * the dashboard's pages, a few seconds at 100k customers (journeys read a bounded sample of sessions).
 */
export async function loadReportData(store: Store): Promise<ReportData> {
  const ov = await overview(store);
  const runId = ov.run?.runId ?? null;
  return {
    overview: ov,
    segments: await segments(store),
    model: await modelChoice(store),
    cohorts: await cohorts(store),
    journeys: await journeys(store),
    quality: await quality(store),
    run: runId === null ? null : await loadRunSummary(store, runId),
    predictions: runId === null ? null : await loadPredictionSummary(store, runId),
  };
}
