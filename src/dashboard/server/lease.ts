/**
 * The dashboard's hold on the database: opened read-only when a request needs it, closed again after a few idle
 * seconds. DuckDB lets one process write a file or many read it, never both, so a dashboard that kept the file open
 * would block `segmenta segment` and `segmenta import` for as long as it runs. Letting go when idle means a new run
 * can be written while the dashboard is up, and the next page shows it. While another process writes, opening fails
 * with a lock error, answered as 503 `database_busy` (the page says a run or import is in progress).
 * Database work runs one call at a time: a Store has one connection.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { loadJournalBeside } from '../../server/ingest/leftover.js';
import { Store } from '../../store/db.js';
import { HttpError } from './errors.js';

/** How long the database stays open after the last request, by default. */
export const DEFAULT_IDLE_CLOSE_MS = 5_000;

export class StoreLease {
  private store: Store | null = null;
  private timer: NodeJS.Timeout | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly path: string, private readonly idleCloseMs: number) {}

  /** Opens `path` once to check it can be read (an InputError names the problem), then leases it. */
  static async open(path: string, idleCloseMs = DEFAULT_IDLE_CLOSE_MS): Promise<StoreLease> {
    const lease = new StoreLease(path, idleCloseMs);
    await migrateIfPossible(path);
    try {
      await lease.use(async () => undefined);
    } catch (error) {
      if (error instanceof HttpError) throw new InputError(`database ${path} is being written by another process (a segmenta command or server); start the dashboard when it has finished`);
      throw error;
    }
    return lease;
  }

  /** Runs `work` with the open store, after any work already queued. */
  use<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      if (this.closed) throw new HttpError(503, 'closing', 'the dashboard is shutting down');
      this.cancelTimer();
      try {
        this.store ??= await openReadOnly(this.path);
        return await work(this.store);
      } finally {
        this.scheduleClose();
      }
    });
  }

  /** Waits for queued work, then closes the database for good. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer();
    await this.enqueue(async () => this.release());
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private scheduleClose(): void {
    if (this.closed || !Number.isFinite(this.idleCloseMs)) return;
    this.cancelTimer();
    this.timer = setTimeout(() => void this.enqueue(async () => this.release()), this.idleCloseMs);
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private release(): void {
    this.store?.close();
    this.store = null;
  }
}

/**
 * A database written by an older version lacks the newest migrations, and a read-only open cannot add them (the
 * read API would then miss columns): the file is opened once for writing to migrate it, when nobody else holds
 * it. A missing file is left to the read-only open, which names the problem; a locked or read-only file is read
 * as it is.
 */
async function migrateIfPossible(path: string): Promise<void> {
  if (path === ':memory:' || !existsSync(path)) return;
  try {
    // Events a stopped server acknowledged but did not store are loaded too (`loadJournalBeside`).
    await loadJournalBeside(path);
    (await Store.open(path)).close();
  } catch {
    // Locked by a writer or not writable: the read-only lease handles both.
  }
}

async function openReadOnly(path: string): Promise<Store> {
  // An in-memory database cannot be opened read-only (there is nothing to read); it is simply empty.
  if (path === ':memory:') return Store.open(path);
  try {
    return await Store.open(path, { readOnly: true });
  } catch (error) {
    if (/lock/i.test((error as Error).message)) {
      throw new HttpError(503, 'database_busy', 'the database is being written by another segmenta command (a segmentation run or an import is in progress); this page will show the new data when it has finished', { 'Retry-After': '5' });
    }
    throw error;
  }
}
