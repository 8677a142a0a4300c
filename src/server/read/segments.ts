/**
 * Segment reads over the newest finished segmentation run: the segment list (the run's stored summary, with
 * live member counts) and a segment's members, paged, as JSON or CSV. A segment is named by its cluster number.
 */
import { InputError, NotFoundError } from '../../core/errors.js';
import type { Store } from '../../store/db.js';

export interface RunRow {
  readonly run_id: string;
  readonly created_at: Date;
  readonly method: string;
  readonly k: number | null;
  readonly segments: string | null;
}

export async function latestRun(store: Store): Promise<RunRow> {
  const rows = await store.rows<RunRow>(
    `SELECT run_id, created_at, method, k, segments FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC, run_id DESC LIMIT 1`,
  );
  const run = rows[0];
  if (!run) throw new NotFoundError('no segmentation run yet: start one with POST /v1/runs (or `segmenta segment`)');
  return run;
}

export async function listSegments(store: Store): Promise<unknown> {
  const run = await latestRun(store);
  const counts = await store.rows<{ cluster: number | null; segment_name: string | null; members: number }>(
    `SELECT cluster, any_value(segment_name) AS segment_name, count(*) AS members FROM segment_memberships WHERE run_id = $run GROUP BY cluster ORDER BY cluster`,
    { run: run.run_id },
  );
  const summary = run.segments ? (JSON.parse(run.segments) as { segments?: { cluster: number }[] }) : {};
  const byCluster = new Map((summary.segments ?? []).map((s) => [s.cluster, s]));
  return {
    runId: run.run_id,
    createdAt: run.created_at.toISOString(),
    method: run.method,
    k: run.k,
    segments: counts.map((c) => ({ id: c.cluster, name: c.segment_name, members: c.members, ...(c.cluster === null ? {} : (byCluster.get(c.cluster) ?? {})) })),
  };
}

export interface MembersPage {
  readonly runId: string;
  readonly segment: number;
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly members: readonly { customer_id: string; segment_name: string | null; rfm_score: string | null; rfm_segment: string | null }[];
}

export async function segmentMembers(store: Store, id: string, query: URLSearchParams): Promise<MembersPage> {
  const cluster = Number(id);
  if (!Number.isInteger(cluster) || cluster < 0) throw new InputError(`segment id must be a cluster number (got ${JSON.stringify(id)})`, [{ path: 'id', message: 'must be a whole number' }]);
  const limit = pageParam(query, 'limit', 100, 1, 10_000);
  const offset = pageParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const run = await latestRun(store);
  const total = Number(await store.scalar<number>(`SELECT count(*) FROM segment_memberships WHERE run_id = $run AND cluster = $cluster`, { run: run.run_id, cluster }));
  if (total === 0) throw new NotFoundError(`segment ${cluster} has no members in run ${run.run_id}`);
  const members = await store.rows<MembersPage['members'][number]>(
    `SELECT customer_id, segment_name, rfm_score, rfm_segment FROM segment_memberships
     WHERE run_id = $run AND cluster = $cluster ORDER BY customer_id LIMIT $limit OFFSET $offset`,
    { run: run.run_id, cluster, limit, offset },
  );
  return { runId: run.run_id, segment: cluster, total, limit, offset, members };
}

/** RFC 4180 CSV of a page of members. */
export function membersCsv(page: MembersPage): string {
  const cell = (v: string | null): string => (v === null ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['customer_id,segment,segment_name,rfm_score,rfm_segment'];
  for (const m of page.members) lines.push([cell(m.customer_id), String(page.segment), cell(m.segment_name), cell(m.rfm_score), cell(m.rfm_segment)].join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function pageParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${name} must be a whole number between ${min} and ${max} (got ${JSON.stringify(raw)})`, [{ path: name, message: 'out of range' }]);
  return n;
}
