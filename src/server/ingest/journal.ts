/**
 * The ingest journal: accepted events are appended to a segment file beside the database and acknowledged once the
 * file is synced to disk (fdatasync, ~0.3–1 ms here), instead of once a DuckDB transaction committed them (tens of
 * milliseconds for a group, paid serially). The writer loads each segment into DuckDB afterwards, in order, with
 * `read_json` (DuckDB's parallel reader, ~3× faster than unpacking one bound JSON text), and records the segment's
 * number in `ingest_journal` in the same transaction; a loaded segment file is then deleted. On start, segments not
 * yet recorded are loaded before anything else, so an acknowledged event is in the tables exactly once whatever
 * moment the process died at.
 *
 * Format: one `EventRow` per line (NDJSON), each request's rows followed by a marker line `{"job":n,"rows":k}`.
 * A request is written with one write() and acknowledged only after a sync that covers it, so a crash can leave at
 * most a torn tail of unacknowledged requests: recovery cuts the file after its last marker. Segment names are
 * numbers padded to 12 digits, so they sort in the order they were written, across processes.
 */
import { closeSync, existsSync, fdatasync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rm, rmSync, truncateSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EventRow } from './normalize.js';

/** A segment file closed for appends, with the rows it holds (read back from disk on recovery). */
export interface SealedSegment {
  readonly number: number;
  readonly path: string;
  /** The rows of each request, in order; only the requests whose marker line is complete. */
  readonly jobs: readonly (readonly EventRow[])[];
}

const SEGMENT = /^(\d{12})\.ndjson$/;
const segmentName = (n: number): string => `${String(n).padStart(12, '0')}.ndjson`;

/** The segment being appended to: its file, its requests, and the requests waiting for a sync. */
interface OpenSegment {
  readonly number: number;
  readonly path: string;
  readonly fd: number;
  readonly jobs: (readonly EventRow[])[];
  /** Bytes written (a failed write is truncated back to this). */
  bytes: number;
  waiting: { resolve: () => void; reject: (error: unknown) => void }[];
  syncing: Promise<void> | undefined;
}

export class IngestJournal {
  private current: OpenSegment | undefined;
  /** Segments cut (no more appends) but not sealed yet, oldest first. */
  private closing: OpenSegment[] = [];
  private next: number;
  private jobCounter = 0;

  private constructor(readonly dir: string, firstNumber: number) {
    this.next = firstNumber;
  }

  /** The journal's name in `ingest_journal` (its directory's name). */
  get name(): string {
    return basename(this.dir);
  }

  /**
   * Opens the journal in `dir` (created if missing) and returns it with the segments a previous process left,
   * oldest first, each cut after its last complete request. `lastLoaded` is the newest segment already in the
   * tables: those files are deleted, not returned.
   */
  static open(dir: string, lastLoaded: number): { journal: IngestJournal; leftover: SealedSegment[] } {
    mkdirSync(dir, { recursive: true });
    const numbers = readdirSync(dir).map((f) => SEGMENT.exec(f)?.[1]).filter((n): n is string => n !== undefined).map(Number).sort((a, b) => a - b);
    const leftover: SealedSegment[] = [];
    for (const number of numbers) {
      const path = join(dir, segmentName(number));
      if (number <= lastLoaded) {
        rmSync(path, { force: true });
        continue;
      }
      const segment = readSegment(number, path);
      if (segment.jobs.length === 0) rmSync(path, { force: true });
      else leftover.push(segment);
    }
    const highest = Math.max(lastLoaded, ...numbers, 0);
    return { journal: new IngestJournal(dir, highest + 1), leftover };
  }

  /**
   * Appends one request's rows to the current segment; `durable` resolves once a sync covering them has finished
   * (they survive a crash then). A failed write is cut back off the file, so later requests stay readable.
   */
  append(rows: readonly EventRow[]): { segment: number; durable: Promise<void> } {
    const segment = this.open();
    const lines = rows.map((row) => JSON.stringify(row));
    lines.push(JSON.stringify({ job: ++this.jobCounter, rows: rows.length }));
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    try {
      writeAll(segment.fd, bytes);
    } catch (error) {
      ftruncateSync(segment.fd, segment.bytes);
      return { segment: segment.number, durable: Promise.reject(error) };
    }
    segment.bytes += bytes.length;
    segment.jobs.push(rows);
    const durable = new Promise<void>((resolve, reject) => segment.waiting.push({ resolve, reject }));
    segment.syncing ??= syncLoop(segment);
    return { segment: segment.number, durable };
  }

  /** Ends the current segment: the next append starts a new one (work queued in between keeps its place). */
  cut(): void {
    if (this.current) this.closing.push(this.current);
    this.current = undefined;
  }

  /**
   * Closes every segment numbered up to `last` for appends, once what each holds is synced, and returns them in
   * order (those not returned before).
   */
  async sealUpTo(last: number): Promise<SealedSegment[]> {
    if (this.current && this.current.number <= last) this.cut();
    const due = this.closing.filter((segment) => segment.number <= last);
    this.closing = this.closing.filter((segment) => segment.number > last);
    const sealed: SealedSegment[] = [];
    for (const segment of due) {
      // No request can join it now, so its sync loop ends once the requests already written are synced.
      while (segment.syncing) await segment.syncing;
      closeSync(segment.fd);
      sealed.push({ number: segment.number, path: segment.path, jobs: segment.jobs });
    }
    return sealed;
  }

  /**
   * Deletes a segment file once its rows are in the tables, off the event loop (freeing its blocks takes a while);
   * a file a crash leaves behind is deleted at the next start, its number being recorded as loaded.
   */
  remove(segment: SealedSegment): void {
    rm(segment.path, { force: true }, () => undefined);
  }

  /** Syncs and closes the open segment files (their rows stay on disk until loaded, now or at the next start). */
  async close(): Promise<void> {
    this.cut();
    for (const segment of this.closing.splice(0)) {
      while (segment.syncing) await segment.syncing;
      closeSync(segment.fd);
    }
  }

  private open(): OpenSegment {
    if (this.current) return this.current;
    const number = this.next++;
    const path = join(this.dir, segmentName(number));
    this.current = { number, path, fd: openSync(path, 'a'), jobs: [], bytes: 0, waiting: [], syncing: undefined };
    return this.current;
  }
}

/** Syncs while requests wait; each sync resolves the requests written before it started (group sync). */
async function syncLoop(segment: OpenSegment): Promise<void> {
  try {
    while (segment.waiting.length > 0) {
      const batch = segment.waiting;
      segment.waiting = [];
      try {
        await syncFd(segment.fd);
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
  } finally {
    segment.syncing = undefined;
  }
}

function syncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Reads a segment back, cutting (on disk too) everything after the last complete marker line. */
export function readSegment(number: number, path: string): SealedSegment {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const jobs: EventRow[][] = [];
  let rows: EventRow[] = [];
  let kept = 0;
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break; // a torn last line: never acknowledged
    const line = text.slice(offset, end);
    offset = end + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      break;
    }
    if (isMarker(value)) {
      if (value.rows !== rows.length) break;
      jobs.push(rows);
      rows = [];
      kept = offset;
    } else {
      rows.push(value as EventRow);
    }
  }
  const keptBytes = Buffer.byteLength(text.slice(0, kept), 'utf8');
  if (keptBytes < Buffer.byteLength(text, 'utf8')) truncateSync(path, keptBytes);
  return { number, path, jobs };
}

function isMarker(value: unknown): value is { job: number; rows: number } {
  return typeof value === 'object' && value !== null && 'job' in value && 'rows' in value && !('message_id' in value);
}
