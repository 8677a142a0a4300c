/**
 * The server's read connections, beside the writer's. The writer holds transactions open on the server's Store
 * while it commits; a read on that same connection would run inside them (seeing rows not yet committed, and
 * aborting the writer's transaction if it failed), and a connection must not run two statements at once. So reads
 * take a connection of their own on the same database (`Store.connectAnother`), and each read runs in one
 * transaction: a consistent snapshot of what was committed when it began, however long its queries take.
 *
 * At most `size` connections (default 2): DuckDB's Node client runs each statement on Node's libuv thread pool
 * (4 threads by default, shared with file I/O), so two slow dashboard reads still leave threads for the writer's
 * commits. Further reads wait their turn, first come first served. Connections open when first needed and stay open
 * until `close()`.
 */
import type { Store } from '../../store/db.js';
import { HttpError } from '../http/errors.js';

/** Read connections open at most, by default (see above). */
export const DEFAULT_READ_CONNECTIONS = 2;

interface Waiter {
  readonly resolve: (reader: Store) => void;
  readonly reject: (error: unknown) => void;
}

export class ReadConnections {
  private readonly idle: Store[] = [];
  private readonly waiting: Waiter[] = [];
  private opened = 0;
  private closed = false;
  private allReleased: (() => void) | undefined;

  /** `before` runs ahead of each read (the server waits there for acknowledged events to be loaded). */
  constructor(private readonly store: Store, private readonly size = DEFAULT_READ_CONNECTIONS, private readonly before?: () => Promise<void>) {}

  /** Runs `work` on a read connection inside one transaction (a snapshot of committed data), then frees it. */
  async use<T>(work: (reader: Store) => Promise<T>): Promise<T> {
    await this.before?.();
    const reader = await this.acquire();
    try {
      return await reader.transaction(() => work(reader));
    } finally {
      this.release(reader);
    }
  }

  /** Refuses new reads, waits for the running ones and closes every connection (before the Store they came from). */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(shuttingDown());
    for (const reader of this.idle.splice(0)) this.closeOne(reader);
    if (this.opened > 0) await new Promise<void>((resolve) => { this.allReleased = resolve; });
  }

  private async acquire(): Promise<Store> {
    if (this.closed) throw shuttingDown();
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.opened >= this.size) return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.opened++;
    try {
      return await this.store.connectAnother();
    } catch (error) {
      this.opened--;
      throw error;
    }
  }

  private release(reader: Store): void {
    const next = this.waiting.shift();
    if (next) next.resolve(reader);
    else if (this.closed) this.closeOne(reader);
    else this.idle.push(reader);
  }

  private closeOne(reader: Store): void {
    reader.close();
    this.opened--;
    if (this.opened === 0) this.allReleased?.();
  }
}

function shuttingDown(): HttpError {
  return new HttpError(503, 'shutting_down', 'server is shutting down; retry shortly', [], { 'Retry-After': '1' });
}
