import { NotFoundError } from '../core/errors.js';
import type { Store } from '../store/db.js';
import type { RunSummary } from './types.js';

/** The summary of the newest finished run (or of `runId`). */
export async function loadRunSummary(store: Store, runId?: string): Promise<RunSummary> {
  const rows = await store.rows<{ segments: string | null }>(
    runId
      ? `SELECT segments FROM segment_runs WHERE run_id = $run AND status = 'done'`
      : `SELECT segments FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC, run_id DESC LIMIT 1`,
    runId ? { run: runId } : undefined,
  );
  const text = rows[0]?.segments;
  if (!text) throw new NotFoundError(runId ? `no finished segmentation run ${runId}` : 'no segmentation run yet: run `segmenta segment` first');
  return JSON.parse(text) as RunSummary;
}
