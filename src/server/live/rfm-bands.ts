/**
 * The RFM bands of the newest finished run, for re-scoring one customer live. The run scored customers by
 * quintiles; the band of score s is the range of raw values its members had (recency in days: fewer is better;
 * frequency and monetary: more is better). A new value gets the best score whose band it reaches:
 * R = the highest s with recency ≤ max recency of band s, F/M = the highest s with value ≥ min of band s.
 * Pure functions plus one loader; cost O(1) per score.
 */
import { RFM_SEGMENTS, segmentIndexOfCode } from '../../segments/rfm/index.js';
import type { Store } from '../../store/db.js';

export interface RfmBands {
  readonly runId: string;
  /** As-of instant of the run's feature snapshot, epoch ms. */
  readonly asOf: number;
  /** When the snapshot was computed, epoch ms: events received later are not in it, whatever their time. */
  readonly createdAt: number;
  /** Index s−1: the largest recency (days) among members scored R = s. */
  readonly recencyMax: readonly number[];
  /** Index s−1: the smallest frequency / monetary among members scored s. */
  readonly frequencyMin: readonly number[];
  readonly monetaryMin: readonly number[];
}

export interface RfmScore {
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly code: string;
  readonly segment: string;
}

/** Bands of the newest finished run with RFM scores, or undefined when there is none (or no feature snapshot). */
export async function loadRfmBands(store: Store): Promise<RfmBands | undefined> {
  const hasFeatures = await store.scalar<boolean>(`SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'customer_features'`);
  if (!hasFeatures) return undefined;
  const runs = await store.rows<{ run_id: string; as_of: Date | null; created_at: Date | null }>(
    `SELECT r.run_id, s.as_of, s.created_at FROM segment_runs r LEFT JOIN feature_snapshots s USING (snapshot_id)
     WHERE r.status = 'done' ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1`,
  );
  const run = runs[0];
  if (!run || !run.as_of) return undefined;
  const bands = await store.rows<{ kind: string; score: number; lo: number; hi: number }>(
    `SELECT 'r' AS kind, m.rfm_r AS score, min(f.recency_days) AS lo, max(f.recency_days) AS hi FROM segment_memberships m JOIN customer_features f USING (customer_id) WHERE m.run_id = $run AND m.rfm_r > 0 GROUP BY 2
     UNION ALL SELECT 'f', m.rfm_f, min(f.frequency), max(f.frequency) FROM segment_memberships m JOIN customer_features f USING (customer_id) WHERE m.run_id = $run AND m.rfm_f > 0 GROUP BY 2
     UNION ALL SELECT 'm', m.rfm_m, min(f.monetary), max(f.monetary) FROM segment_memberships m JOIN customer_features f USING (customer_id) WHERE m.run_id = $run AND m.rfm_m > 0 GROUP BY 2`,
    { run: run.run_id },
  );
  if (bands.length === 0) return undefined;
  const pick = (kind: string, field: 'lo' | 'hi', fallback: number): number[] =>
    [1, 2, 3, 4, 5].map((s) => Number(bands.find((b) => b.kind === kind && b.score === s)?.[field] ?? fallback));
  return { runId: run.run_id, asOf: run.as_of.getTime(), createdAt: (run.created_at ?? run.as_of).getTime(), recencyMax: pick('r', 'hi', -Infinity), frequencyMin: pick('f', 'lo', Infinity), monetaryMin: pick('m', 'lo', Infinity) };
}

/** Scores recency (days), frequency and monetary against the bands; undefined for a customer without a purchase. */
export function scoreAgainstBands(bands: RfmBands, recencyDays: number, frequency: number, monetary: number): RfmScore | undefined {
  if (!(frequency >= 1)) return undefined;
  let r = 1;
  let f = 1;
  let m = 1;
  for (let s = 5; s >= 1; s--) {
    if (recencyDays <= bands.recencyMax[s - 1]!) {
      r = s;
      break;
    }
  }
  for (let s = 5; s >= 1; s--) {
    if (frequency >= bands.frequencyMin[s - 1]!) {
      f = s;
      break;
    }
  }
  for (let s = 5; s >= 1; s--) {
    if (monetary >= bands.monetaryMin[s - 1]!) {
      m = s;
      break;
    }
  }
  const code = 100 * r + 10 * f + m;
  const segment = RFM_SEGMENTS[segmentIndexOfCode(code)] ?? 'Unscored';
  return { r, f, m, code: String(code), segment };
}
