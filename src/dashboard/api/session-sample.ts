/**
 * A seeded sample of sessions, so the journey page stays fast on large stores: a session is in the sample when
 * hash(session_id, seed) falls below a threshold — the same sessions for the same seed and fraction, whole sessions
 * only (a journey is never cut in the middle).
 */
import type { Store } from '../../store/db.js';
import { finiteOr } from './numbers.js';

/** Events whose sessions are read at most (about): above it sessions are sampled. */
export const MAX_JOURNEY_EVENTS = 500_000;

/** Resolution of the sampling threshold. */
const BUCKETS = 1_000_000;

export interface SessionSample {
  /** SQL predicate on `session_id` (uses `$seed` and `$threshold`); 'true' when every session is used. */
  readonly predicate: string;
  readonly params: { readonly seed: number; readonly threshold: number };
  /** Expected share of sessions in the sample. */
  readonly fraction: number;
  readonly sampled: boolean;
}

/**
 * Decides the sample from DuckDB's row-count estimate of `events` (catalogue metadata, no scan): the fraction that
 * keeps about `maxEvents` events. O(1).
 */
export async function sessionSample(store: Store, seed: number, maxEvents = MAX_JOURNEY_EVENTS): Promise<SessionSample> {
  const events = finiteOr(await store.scalar(`SELECT estimated_size FROM duckdb_tables() WHERE table_name = 'events' AND schema_name = 'main'`));
  const fraction = events > maxEvents ? maxEvents / events : 1;
  const threshold = Math.max(1, Math.floor(fraction * BUCKETS));
  return {
    predicate: fraction < 1 ? `(hash(session_id, $seed) % ${BUCKETS}) < $threshold` : 'true',
    params: { seed, threshold },
    fraction,
    sampled: fraction < 1,
  };
}

/** The sample's parameters when its predicate uses them, else none (DuckDB rejects unused parameters). */
export function sampleParams(sample: SessionSample): Record<string, number> {
  return sample.sampled ? { seed: sample.params.seed, threshold: sample.params.threshold } : {};
}
