/**
 * Which segmentation run the dashboard shows: the newest finished run, the one before it (for changes and flows),
 * and whether a newer run is still in progress. Also the page state every payload starts from, so an empty
 * database or a running run gives a sentence instead of an exception.
 */
import type { Family } from '../../segments/naming/index.js';
import { FAMILIES } from '../../segments/naming/index.js';
import type { Strategy } from '../../strategies/index.js';
import type { Store } from '../../store/db.js';
import { FAMILY_COLOURS } from '../svg/palette.js';
import { finiteOrNull, isoOrNull } from './numbers.js';
import { parseJsonObject, type JsonObject } from './stored-json.js';
import type { PayloadBase, PayloadState, RunRef, SegmentKey } from './types.js';

/** Colour of a segment whose family is unknown (a run written without names). */
export const UNKNOWN_COLOUR = '#999999';

/** What the run stored about one segment. */
export interface StoredSegment extends SegmentKey {
  readonly reason: string;
  readonly strategy: Strategy | null;
}

export interface LoadedRun {
  readonly ref: RunRef;
  readonly snapshotId: string | null;
  readonly segments: readonly StoredSegment[];
  readonly model: JsonObject;
  readonly metrics: JsonObject;
  readonly summary: JsonObject;
}

export interface RunState {
  /** The newest finished run (null: none yet). */
  readonly latest: LoadedRun | null;
  /** The finished run before `latest`. */
  readonly previous: RunRef | null;
  /** The newest run when it is still running. */
  readonly running: RunRef | null;
  /** The newest run when it failed (after `latest`). */
  readonly failed: RunRef | null;
  /** Whether any orders or events are stored. */
  readonly hasData: boolean;
}

interface RunRow {
  run_id: string; snapshot_id: string | null; created_at: Date; status: string; method: string; k: number | null; seed: number | bigint | null;
  params: string | null;
}

/** True when `table` exists in the main schema. One catalogue lookup. */
export async function tableExists(store: Store, table: string): Promise<boolean> {
  return Boolean(await store.scalar<boolean>(`SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = $t`, { t: table }));
}

/** The columns of `table` in order (empty when it does not exist). One catalogue lookup. */
export async function tableColumns(store: Store, table: string): Promise<string[]> {
  const read = await store.readColumns(`SELECT column_name FROM information_schema.columns WHERE table_name = $t ORDER BY ordinal_position`, { t: table });
  return (read.columns.column_name ?? []).map(String);
}

/**
 * Loads the run state: the runs' headers (a few rows), then the JSON of the newest finished run only.
 * Cost: two small queries plus existence checks; never scans memberships.
 */
export async function loadRunState(store: Store): Promise<RunState> {
  const hasData = await anyData(store);
  if (!(await tableExists(store, 'segment_runs'))) return { latest: null, previous: null, running: null, failed: null, hasData };
  const runs = await store.rows<RunRow>(
    `SELECT run_id, snapshot_id, created_at, status, method, k, seed, params FROM segment_runs ORDER BY created_at DESC, run_id DESC`,
  );
  const doneIndex = runs.findIndex((r) => r.status === 'done');
  const newest = runs[0];
  const running = newest && newest.status === 'running' ? toRef(newest, null) : null;
  const failedRow = runs.slice(0, doneIndex < 0 ? runs.length : doneIndex).find((r) => r.status === 'failed');
  const failed = failedRow ? toRef(failedRow, null) : null;
  if (doneIndex < 0) return { latest: null, previous: null, running, failed, hasData };
  const done = runs[doneIndex]!;
  const previousRow = runs.slice(doneIndex + 1).find((r) => r.status === 'done');
  const latest = await loadRun(store, done);
  return { latest, previous: previousRow ? toRef(previousRow, await snapshotAsOf(store, previousRow.snapshot_id)) : null, running, failed, hasData };
}

/**
 * The state and message a payload starts from. `ready` needs a finished run and no run in progress; a run in
 * progress gives `running` (with the previous run's data when there is one). O(1).
 */
export function pageState(rs: RunState): PayloadBase {
  if (rs.running) {
    return {
      state: 'running',
      message: rs.latest
        ? `A segmentation run started ${rs.running.createdAt} is in progress; showing the previous run ${rs.latest.ref.runId} until it finishes.`
        : 'A segmentation run is in progress; the segments appear here when it finishes.',
    };
  }
  if (!rs.latest) return emptyState(rs.hasData);
  if (rs.failed) return { state: 'ready', message: `The newest run ${rs.failed.runId} failed; showing the last finished run ${rs.latest.ref.runId}.` };
  return { state: 'ready', message: null };
}

/** The `empty` state for a database with or without data. O(1). */
export function emptyState(hasData: boolean): { state: PayloadState; message: string } {
  return {
    state: 'empty',
    message: hasData
      ? 'The data is imported but not segmented yet: run `segmenta segment` to see segments here.'
      : 'No data yet: import orders or events (`segmenta import`), then run `segmenta segment`.',
  };
}

/** The stored description of `cluster`, or a plain one from the membership's segment name. O(k). */
export function segmentKey(run: LoadedRun, cluster: number, fallbackName?: string | null): StoredSegment {
  return run.segments.find((s) => s.cluster === cluster)
    ?? { cluster, name: fallbackName ?? `Segment ${cluster}`, family: null, colour: UNKNOWN_COLOUR, reason: '', strategy: null };
}

/** Only the SegmentKey fields (what charts need), without reason and strategy. */
export function keyOnly(s: SegmentKey): SegmentKey {
  return { cluster: s.cluster, name: s.name, family: s.family, colour: s.colour };
}

async function anyData(store: Store): Promise<boolean> {
  for (const table of ['orders', 'events', 'customer_features']) {
    if (!(await tableExists(store, table))) continue;
    if (await store.scalar<boolean>(`SELECT EXISTS (SELECT 1 FROM ${table})`)) return true;
  }
  return false;
}

async function snapshotAsOf(store: Store, snapshotId: string | null): Promise<string | null> {
  if (snapshotId === null || !(await tableExists(store, 'feature_snapshots'))) return null;
  return isoOrNull(await store.scalar(`SELECT as_of FROM feature_snapshots WHERE snapshot_id = $s`, { s: snapshotId }));
}

function toRef(row: RunRow, snapshotAsOfValue: string | null): RunRef {
  const params = parseJsonObject(row.params);
  return {
    runId: row.run_id,
    createdAt: isoOrNull(row.created_at) ?? '',
    asOf: isoOrNull(params.asOf) ?? snapshotAsOfValue,
    method: row.method,
    k: finiteOrNull(row.k),
    seed: finiteOrNull(row.seed),
  };
}

async function loadRun(store: Store, row: RunRow): Promise<LoadedRun> {
  const json = (await store.rows<{ model: string | null; metrics: string | null; segments: string | null }>(
    `SELECT model, metrics, segments FROM segment_runs WHERE run_id = $run`, { run: row.run_id },
  ))[0];
  const summary = parseJsonObject(json?.segments);
  const model = parseJsonObject(json?.model);
  const ref = toRef(row, isoOrNull(summary.asOf) ?? (await snapshotAsOf(store, row.snapshot_id)));
  return { ref, snapshotId: row.snapshot_id, segments: storedSegments(summary, model), model, metrics: parseJsonObject(json?.metrics), summary };
}

/** Segment descriptions from the run summary (`segments[]`), else from the model's `names[]`. */
function storedSegments(summary: JsonObject, model: JsonObject): StoredSegment[] {
  const list = Array.isArray(summary.segments) ? summary.segments : Array.isArray(model.names) ? model.names : [];
  const out: StoredSegment[] = [];
  for (const item of list) {
    const s = parseJsonObject(item);
    const cluster = finiteOrNull(s.cluster);
    if (cluster === null) continue;
    const family = typeof s.family === 'string' && (FAMILIES as readonly string[]).includes(s.family) ? (s.family as Family) : null;
    out.push({
      cluster,
      name: typeof s.name === 'string' ? s.name : `Segment ${cluster}`,
      family,
      colour: family ? FAMILY_COLOURS[family] : UNKNOWN_COLOUR,
      reason: typeof s.reason === 'string' ? s.reason : '',
      strategy: s.strategy && typeof s.strategy === 'object' ? (s.strategy as Strategy) : null,
    });
  }
  return out.sort((a, b) => a.cluster - b.cluster);
}
