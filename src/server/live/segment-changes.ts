/**
 * A live segment change (an RFM segment or a K-means cluster entered or exited) and how it is kept: one
 * `segment_events` row per change, and the customer's current live assignment in `live_segments` (RFM columns and
 * K-means columns side by side; a row written for another run starts over). Both tables come from the store's
 * migrations 2 and 4. Written in two statements per batch, whatever its size.
 */
import type { Store } from '../../store/db.js';

export interface SegmentChange {
  readonly at: string;
  readonly customerId: string;
  readonly runId: string;
  /** `rfm`: an RFM segment, score = the RFM code; `kmeans`: a K-means segment, score = the cluster number. */
  readonly kind: 'rfm' | 'kmeans';
  readonly change: 'entered' | 'exited';
  readonly segment: string;
  readonly score: string | null;
  /** The event that caused it. */
  readonly messageId: string;
}

/** Anything that reports segment changes (the SSE streams subscribe to it). */
export interface SegmentChangeSource {
  subscribe(listener: (change: SegmentChange) => void): () => void;
}

const ts = (iso: string): string => iso.replace('T', ' ').replace('Z', '');

/** Appends the changes to `segment_events` and moves `live_segments` to each customer's last entered segment. */
export async function writeSegmentChanges(store: Store, changes: readonly SegmentChange[]): Promise<void> {
  if (changes.length === 0) return;
  await store.run(
    `INSERT INTO segment_events SELECT r.at::TIMESTAMP, r.customer, r.run, r.kind, r.change, r.segment, r.score, r.message
     FROM (SELECT unnest(from_json($rows::JSON, '[{"at":"VARCHAR","customer":"VARCHAR","run":"VARCHAR","kind":"VARCHAR","change":"VARCHAR","segment":"VARCHAR","score":"VARCHAR","message":"VARCHAR"}]')) AS r)`,
    { rows: JSON.stringify(changes.map((c) => ({ at: ts(c.at), customer: c.customerId, run: c.runId, kind: c.kind, change: c.change, segment: c.segment, score: c.score, message: c.messageId }))) },
  );
  for (const kind of ['rfm', 'kmeans'] as const) {
    const last = new Map<string, SegmentChange>();
    for (const c of changes) if (c.kind === kind && c.change === 'entered') last.set(c.customerId, c);
    if (last.size === 0) continue;
    const rows = JSON.stringify([...last.values()].map((c) => ({ customer: c.customerId, run: c.runId, score: c.score, segment: c.segment, at: ts(c.at) })));
    await store.run(kind === 'rfm' ? UPSERT_RFM : UPSERT_KMEANS, { rows });
  }
}

const ROWS = `FROM (SELECT unnest(from_json($rows::JSON, '[{"customer":"VARCHAR","run":"VARCHAR","score":"VARCHAR","segment":"VARCHAR","at":"VARCHAR"}]')) AS r)`;
/** The other kind's columns survive only while the row belongs to the same run. */
const keep = (column: string): string => `${column} = CASE WHEN live_segments.run_id = excluded.run_id THEN live_segments.${column} END`;

const UPSERT_RFM = `INSERT INTO live_segments (customer_id, run_id, rfm_score, rfm_segment, updated_at)
  SELECT r.customer, r.run, r.score, r.segment, r.at::TIMESTAMP ${ROWS}
  ON CONFLICT (customer_id) DO UPDATE SET rfm_score = excluded.rfm_score, rfm_segment = excluded.rfm_segment, updated_at = excluded.updated_at,
    ${keep('cluster')}, ${keep('segment_name')}, ${keep('cluster_updated_at')}, run_id = excluded.run_id`;

const UPSERT_KMEANS = `INSERT INTO live_segments (customer_id, run_id, cluster, segment_name, cluster_updated_at, updated_at)
  SELECT r.customer, r.run, r.score::INTEGER, r.segment, r.at::TIMESTAMP, r.at::TIMESTAMP ${ROWS}
  ON CONFLICT (customer_id) DO UPDATE SET cluster = excluded.cluster, segment_name = excluded.segment_name, cluster_updated_at = excluded.cluster_updated_at,
    ${keep('rfm_score')}, ${keep('rfm_segment')}, updated_at = CASE WHEN live_segments.run_id = excluded.run_id THEN live_segments.updated_at ELSE excluded.updated_at END,
    run_id = excluded.run_id`;
