/**
 * Group commit into DuckDB. Requests hand over their accepted events; the writer takes everything that queued up
 * while the previous commit was running and writes it in ONE transaction (the events, then identity links, then the
 * orders, order lines and products of its `Order Completed` events: `commit-orders.ts`). A request's events are
 * never split across transactions, so a `kill -9` leaves either the whole request or none of it.
 *
 * With a journal (the server's, beside its database file: `journal.ts`), a plain batch of events is answered once it
 * is synced into the journal (~1 ms), and the writer loads the journal's segments into DuckDB behind the answers,
 * in order, with DuckDB's parallel `read_json`: a load of a few thousand events costs tens of milliseconds, which
 * before was paid serially inside every request's answer. The segment number loaded is recorded in the same
 * transaction, so a restart loads exactly what is left. Work that must be in the tables before its answer (consent
 * changes, admin jobs, a run) is committed first and answered after its commit, in the order it was submitted;
 * reads can wait for the loads to catch up (`caughtUp`). Without a journal (`:memory:`), every request is answered
 * after the commit that holds it; its rows travel as ONE JSON array text unpacked by `from_json` inside DuckDB.
 *
 * Browsing's products wait for one order step a second at most. When a group's transaction fails, each of its jobs
 * is committed again on its own: one request that cannot be written fails alone. A journaled load that fails is
 * retried until it succeeds (its requests were answered; its files stay for the next start meanwhile).
 */
import { quoteIdent, quoteLiteral, type Store } from '../../store/db.js';
import { HttpError } from '../http/errors.js';
import { importIdsOf, leftPending, orderStepNeed, OrderWindow, pendingMarkSql, runBrowsingStep, runOrderStep } from './commit-orders.js';
import { applyLinks, linkOf, type IdentityLink } from './identities.js';
import type { IngestJournal, SealedSegment } from './journal.js';
import type { EventRow } from './normalize.js';

export interface WriterOptions {
  /** Events waiting (queued and in flight) above which new requests get 503 + Retry-After. */
  readonly maxQueueEvents: number;
  /** Upper bound of events in one transaction (a larger single request still commits whole). */
  readonly maxGroupEvents: number;
  /** Called with the rows of each successful commit (live profile updates); must not throw. */
  readonly onCommit?: (rows: readonly EventRow[]) => void;
  /** Longest time browsing (product events without an order) waits for the order step to upsert its products, ms. */
  readonly orderWindowMs?: number;
  /**
   * Acknowledge events once they are in this journal (synced), and load its segments into DuckDB behind the answers
   * (`journal.ts`); `leftover` are the segments a previous process did not load, loaded before anything else.
   * Without it, a request is answered after the DuckDB commit holding its events.
   */
  readonly journal?: { readonly journal: IngestJournal; readonly leftover: readonly SealedSegment[] };
  /**
   * Statements to run before and after loading these segment files (outside the load's transaction), or undefined:
   * the server gives DuckDB more threads for the load whose commit will checkpoint (`server.ts`). Must not throw.
   */
  readonly loadSettings?: (paths: readonly string[]) => { readonly set: string; readonly reset: string } | undefined;
  /** Shortest time between the starts of two small journal loads, ms (`paceLoad`); default 0. */
  readonly minLoadIntervalMs?: number;
  /** Told of each failed attempt at loading journal segments (they are retried); must not throw. */
  readonly onLoadFailure?: (error: unknown, attempt: number, files: readonly string[]) => void;
}

/** The sealed segment files of a journal load, the journal's name and the newest segment's number. */
interface LoadFiles {
  readonly paths: readonly string[];
  readonly journal: string;
  readonly last: number;
}

/** Attempts at loading a segment a previous process left before the writer gives up (`ready` rejects). */
const LEFTOVER_ATTEMPTS = 3;

/** Queued events from which a journal load starts without waiting for `minLoadIntervalMs`. */
const PACE_EVENTS = 5_000;

/** Default of `orderWindowMs`: one order step a second at most for browsing alone. */
export const DEFAULT_ORDER_WINDOW_MS = 1_000;

export interface WriteJob {
  readonly rows: readonly EventRow[];
  readonly links: readonly IdentityLink[];
  /** Work done inside the same transaction after the rows are appended (consent, profiles). */
  readonly after?: (store: Store) => Promise<void>;
  /** Commit this job in a transaction of its own (admin work whose failure must not fail other requests). */
  readonly exclusive?: boolean;
}

interface Queued {
  readonly job: WriteJob;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** The journal segment holding the job's rows (answered at its sync); undefined: answered after its commit. */
  readonly segment?: number;
}

const noop = (): void => undefined;

export interface WriterStats {
  commits: number;
  eventsWritten: number;
  /** Orders and order lines written from `Order Completed` events, and commits that ran the order step. */
  ordersWritten: number;
  orderLinesWritten: number;
  orderSteps: number;
  failedCommits: number;
  /** Sum and count of commit latencies (seconds) for the metrics endpoint. */
  commitSeconds: number[];
}

export class GroupCommitWriter {
  private queue: Queued[] = [];
  private queuedEvents = 0;
  private inFlightEvents = 0;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly window: OrderWindow;
  /** The order step of pending browsing is due (its window's time is up, or the writer is closing). */
  private stepDue = false;
  /** The marker of browsing a previous process left pending is still to be read (the first thing the loop does). */
  private recoverDue = true;
  private stepTimer: NodeJS.Timeout | undefined;
  /** Leftover journal segments still to load (first thing the loop does, with the pending order step). */
  private leftover: SealedSegment[];
  /** Journaled jobs submitted and loaded so far, and reads waiting for the loads to catch up (`caughtUp`). */
  private journaledJobs = 0;
  private loadedJobs = 0;
  private catchUps: { readonly until: number; readonly resolve: () => void }[] = [];
  /** When the last journal load began, and what ends a pacing wait early (`paceLoad`). */
  private lastLoadAt = -Infinity;
  private wakePace: (() => void) | undefined;
  /**
   * Resolves once a previous process's leftovers (journal segments, pending order step) are in the tables; rejects
   * when a leftover segment could not be loaded (`LEFTOVER_ATTEMPTS`): its events were acknowledged, so the caller
   * must not go on as if they were stored (nor may this writer record later segments as loaded past it).
   */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private failReady!: (error: unknown) => void;
  private recoveryError: unknown;
  readonly stats: WriterStats = { commits: 0, eventsWritten: 0, ordersWritten: 0, orderLinesWritten: 0, orderSteps: 0, failedCommits: 0, commitSeconds: [] };

  /** Starts by finishing an order step a previous process left pending (before any commit of this one). */
  constructor(
    private readonly store: Store,
    private readonly options: WriterOptions,
  ) {
    this.window = new OrderWindow(options.orderWindowMs ?? DEFAULT_ORDER_WINDOW_MS);
    this.leftover = [...(options.journal?.leftover ?? [])];
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // Handled by whoever awaits it; a writer nobody asks is not a crash.
    this.ready.catch(noop);
    this.running = this.loop();
  }

  /** Events queued or being committed. */
  get depth(): number {
    return this.queuedEvents + this.inFlightEvents;
  }

  /** Throws a 503 when the queue is over its bound; call before reading a request body. */
  admit(): void {
    if (this.closed) throw new HttpError(503, 'shutting_down', 'server is shutting down; retry shortly', [], { 'Retry-After': '1' });
    if (this.depth >= this.options.maxQueueEvents) {
      throw new HttpError(503, 'overloaded', `write queue is full (${this.depth} events waiting, the bound is ${this.options.maxQueueEvents}); retry after 1 s`, [], { 'Retry-After': '1' });
    }
  }

  /**
   * Resolves once the job is durable: in the journal (a plain batch of events, when there is one), else committed;
   * rejects when it could not be written (then nothing of it was).
   */
  submit(job: WriteJob): Promise<void> {
    if (job.rows.length === 0 && job.links.length === 0 && !job.after) return Promise.resolve();
    if (this.recoveryError !== undefined) return Promise.reject(this.recoveryError);
    const journal = this.options.journal?.journal;
    if (journal && !job.after && !job.exclusive && job.rows.length > 0) {
      let appended: { segment: number; durable: Promise<void> };
      try {
        appended = journal.append(job.rows);
      } catch (error) {
        // Nothing of the request is in the journal: it is not queued, so no load counts it or hands its rows on.
        return Promise.reject(error);
      }
      const { segment, durable } = appended;
      this.queue.push({ job, resolve: noop, reject: noop, segment });
      this.queuedEvents += job.rows.length;
      this.journaledJobs++;
      if (this.queuedEvents >= PACE_EVENTS) this.wakePace?.();
      this.running ??= this.loop();
      return durable;
    }
    // Journaled jobs after this one go to a later segment, so the loads keep the order of submission; it is answered
    // after its commit, so the loads before it do not wait for their pace.
    journal?.cut();
    this.wakePace?.();
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.queuedEvents += job.rows.length;
      if (!this.running) this.running = this.loop();
    });
  }

  /** Resolves once every journaled job submitted before the call is in the tables (read-your-writes for reads). */
  caughtUp(): Promise<void> {
    if (this.loadedJobs >= this.journaledJobs) return Promise.resolve();
    const caught = new Promise<void>((resolve) => this.catchUps.push({ until: this.journaledJobs, resolve }));
    this.wakePace?.();
    return caught;
  }

  /** Waits for everything submitted so far to be committed (and pending order steps run), and refuses new work. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakePace?.();
    while (this.running) await this.running;
    clearTimeout(this.stepTimer);
    this.stepTimer = undefined;
    if (this.window.pending.length > 0 && this.recoveryError === undefined) {
      this.stepDue = true;
      this.running = this.loop();
      await this.running;
    }
    await this.options.journal?.journal.close();
  }

  private async loop(): Promise<void> {
    // Yield once so requests parsed in the same tick join the first group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0 || this.stepDue || this.recoverDue) {
        if (this.recoverDue || this.stepDue) {
          await this.runPendingStep();
          continue;
        }
        if (this.queue[0]?.segment !== undefined) {
          await this.paceLoad();
          await this.loadJournaled();
          continue;
        }
        const group = this.takeGroup();
        try {
          await this.commit(group);
        } finally {
          this.inFlightEvents = 0;
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Waits, before a small journal load, until `minLoadIntervalMs` have passed since the previous load began, so
   * trickling requests are loaded together: a load costs DuckDB ~8 ms of CPU whatever its size (measured: 50 rows
   * as much as 200, then ~5 µs a row), which back-to-back loads of single requests spent many times a second on the
   * core the event loop needs. A load of `PACE_EVENTS` or more, a closing writer or one with reads waiting for the
   * loads (`caughtUp`) does not wait.
   */
  private async paceLoad(): Promise<void> {
    const interval = this.options.minLoadIntervalMs ?? 0;
    const wait = this.lastLoadAt + interval - performance.now();
    if (wait <= 0 || this.closed || this.catchUps.length > 0 || this.queuedEvents >= PACE_EVENTS) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wakePace?.(), wait);
      this.wakePace = () => {
        clearTimeout(timer);
        this.wakePace = undefined;
        resolve();
      };
    });
  }

  private takeGroup(): Queued[] {
    let events = 0;
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.segment === undefined && (n === 0 || (!this.queue[0]!.job.exclusive && !this.queue[n]!.job.exclusive && events + this.queue[n]!.job.rows.length <= this.options.maxGroupEvents))) {
      events += this.queue[n]!.job.rows.length;
      n++;
    }
    const group = this.queue.splice(0, n);
    this.queuedEvents -= events;
    this.inFlightEvents = events;
    return group;
  }

  /**
   * Loads the journaled jobs at the front of the queue: seals their segments and writes them in one transaction
   * that also records the newest segment loaded, then deletes the files. A failed load is retried (with a growing
   * pause) until it succeeds or the writer closes: the jobs were answered already, and their files stay for the
   * next start, so nothing acknowledged is dropped; meanwhile the queue fills and new requests get 503.
   */
  private async loadJournaled(): Promise<void> {
    this.lastLoadAt = performance.now();
    const journal = this.options.journal!.journal;
    let n = 0;
    let events = 0;
    let last = 0;
    while (n < this.queue.length && this.queue[n]!.segment !== undefined) {
      last = Math.max(last, this.queue[n]!.segment!);
      events += this.queue[n]!.job.rows.length;
      n++;
    }
    const sealed = await journal.sealUpTo(last);
    // Appends made while sealing went to later segments; the jobs counted above are exactly the sealed ones.
    const group = this.queue.splice(0, n);
    this.queuedEvents -= events;
    this.inFlightEvents = events;
    try {
      await this.loadSegments(sealed, group.map((q) => q.job));
    } finally {
      this.inFlightEvents = 0;
    }
    this.loadedJobs += group.length;
    this.catchUps = this.catchUps.filter((c) => (c.until <= this.loadedJobs ? (c.resolve(), false) : true));
  }

  /** Writes sealed segments with retries (at most `maxAttempts`); see `loadJournaled`. */
  private async loadSegments(sealed: readonly SealedSegment[], jobs: readonly WriteJob[], maxAttempts = Infinity): Promise<void> {
    if (sealed.length === 0) return;
    const journal = this.options.journal!.journal;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        await this.write(jobs, { paths: sealed.map((s) => s.path), journal: journal.name, last: sealed[sealed.length - 1]!.number });
        break;
      } catch (error) {
        this.stats.failedCommits++;
        this.options.onLoadFailure?.(error, attempt + 1, sealed.map((s) => s.path));
        if ((this.closed && attempt >= 2) || attempt + 1 >= maxAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 50 * 2 ** attempt)));
        continue;
      } finally {
        this.stats.commitSeconds.push((performance.now() - started) / 1000);
      }
    }
    for (const segment of sealed) journal.remove(segment);
    this.stats.commits++;
    const rows = jobs.flatMap((j) => j.rows);
    this.stats.eventsWritten += rows.length;
    try {
      if (rows.length > 0) this.options.onCommit?.(rows);
    } catch {
      // A listener's failure is its own (it must not throw); the load itself is done.
    }
  }

  /**
   * Commits a group; when its transaction fails and it held several jobs, each job is committed again on its own,
   * so one job that cannot be written (a bad event, a failing `after`) fails only its own request.
   */
  private async commit(group: readonly Queued[]): Promise<void> {
    const started = performance.now();
    try {
      await this.write(group.map((q) => q.job));
      this.stats.commits++;
      this.stats.commitSeconds.push((performance.now() - started) / 1000);
      if (this.stats.commitSeconds.length > 4096) this.stats.commitSeconds.splice(0, 2048);
      const committed = group.flatMap((q) => q.job.rows);
      this.stats.eventsWritten += committed.length;
      for (const q of group) q.resolve();
      if (committed.length > 0) this.options.onCommit?.(committed);
    } catch (error) {
      this.stats.failedCommits++;
      if (group.length === 1) group[0]!.reject(error);
      else for (const q of group) await this.commit([q]);
    }
  }

  /**
   * One transaction: the events, identity links, the order step (a commit with an order: over its import ids and
   * every pending one; browsing only: the pending marker when its ids are new), then each job's `after`.
   */
  private async write(jobs: readonly WriteJob[], files?: LoadFiles): Promise<void> {
    const settings = files ? this.options.loadSettings?.(files.paths) : undefined;
    if (!settings) return this.writeRows(jobs, files);
    await this.store.run(settings.set);
    try {
      return await this.writeRows(jobs, files);
    } finally {
      // Never thrown: after a committed load an error here would have it retried (and its rows stored twice). A
      // setting left in place only costs speed.
      await this.store.run(settings.reset).catch(() => undefined);
    }
  }

  private async writeRows(jobs: readonly WriteJob[], files?: LoadFiles): Promise<void> {
    const rows = jobs.flatMap((j) => j.rows);
    const links = jobs.flatMap((j) => j.links);
    const now = Date.now();
    const stamp = this.window.stampAt(now);
    const insertRows = (): Promise<number> =>
      files ? this.store.run(insertFromFiles(files.paths, stamp)) : this.store.run(INSERT_EVENTS, { rows: JSON.stringify(rows), stamp });
    const need = orderStepNeed(rows);
    const ids = importIdsOf(stamp, rows);
    const pending = this.window.pending;
    const newlyPending = need === 'products' ? ids.filter((id) => !pending.includes(id)) : [];
    const plain = links.length === 0 && need !== 'orders' && jobs.every((j) => !j.after);
    if (plain && !files && newlyPending.length === 0) {
      // Events only: one INSERT statement is its own all-or-nothing transaction (auto-commit), which saves the
      // BEGIN and COMMIT round trips to DuckDB's thread.
      await insertRows();
      return;
    }
    let written = { orders: 0, lines: 0 };
    if (plain && files) {
      // The usual load (browsing): its rows, the journal's mark and the pending marker as one script, one hand-over
      // to DuckDB's thread instead of eight or more (Store.transactionScript): the event loop is busy answering
      // requests meanwhile, and each hand-over waits its turn there.
      const script = [insertFromFiles(files.paths, stamp), journalMark(files.journal, files.last)];
      if (newlyPending.length > 0) script.push(pendingMarkSql([...pending, ...newlyPending]));
      await this.store.transactionScript(script);
    } else {
      const stepIds = need === 'orders' ? [...new Set([...pending, ...ids])] : [];
      await this.store.transaction(async () => {
        if (rows.length > 0) await insertRows();
        if (files) await this.store.run(journalMark(files.journal, files.last));
        if (links.length > 0) await applyLinks(this.store, links);
        // After the links, as in the file importer: the order of a visitor identified in the same commit is the
        // customer's.
        if (need === 'orders') written = await runOrderStep(this.store, stepIds, pending.length > 0);
        if (newlyPending.length > 0) await this.store.run(pendingMarkSql([...pending, ...newlyPending]));
        for (const job of jobs) if (job.after) await job.after(this.store);
      });
    }
    if (need === 'orders') this.stepped(written);
    if (newlyPending.length > 0) {
      this.window.addPending(newlyPending);
      this.scheduleStep();
    }
  }

  /** Makes the order step of pending browsing due in `orderWindowMs` (unless it already is scheduled). */
  private scheduleStep(): void {
    this.stepTimer ??= setTimeout(() => {
      this.stepTimer = undefined;
      if (this.closed) return; // close() runs it
      this.stepDue = true;
      this.running ??= this.loop();
    }, this.options.orderWindowMs ?? DEFAULT_ORDER_WINDOW_MS).unref();
  }

  /**
   * The order step of pending browsing, in a transaction of its own; at the first run, first takes over what a
   * previous process left pending (its marker).
   */
  private async runPendingStep(): Promise<void> {
    const recovering = this.recoverDue;
    this.recoverDue = false;
    this.stepDue = false;
    try {
      if (recovering) {
        this.window.addPending(await leftPending(this.store));
        await this.loadLeftover();
      }
      const ids = this.window.pending;
      if (ids.length === 0) return;
      this.stepped(await runBrowsingStep(this.store, ids));
    } catch {
      // The browsing stays pending (marker and window): the next order, the next window or the next start covers it.
      this.stats.failedCommits++;
      if (this.window.pending.length > 0 && !this.closed && this.recoveryError === undefined) this.scheduleStep();
    } finally {
      if (recovering) {
        if (this.recoveryError === undefined) this.markReady();
        else this.failReady(this.recoveryError);
      }
    }
  }

  /**
   * Loads the segments a previous process left, oldest first. One that still fails after `LEFTOVER_ATTEMPTS` stops
   * the writer (`ready` rejects, `submit` refuses): loading a later segment would record it as loaded, and the next
   * start would then delete the failed one's file, events that were acknowledged.
   */
  private async loadLeftover(): Promise<void> {
    while (this.leftover.length > 0) {
      const segment = this.leftover[0]!;
      const jobs = segment.jobs.map((rows) => ({ rows, links: rows.map(linkOf).filter((l): l is IdentityLink => l !== undefined) }));
      try {
        await this.loadSegments([segment], jobs, LEFTOVER_ATTEMPTS);
      } catch (error) {
        const events = jobs.reduce((n, j) => n + j.rows.length, 0);
        this.recoveryError = new Error(`could not load ${segment.path} (${events} acknowledged events a previous process journaled but did not store) after ${LEFTOVER_ATTEMPTS} attempts: ${(error as Error).message}; the file is kept, fix the cause and start again`);
        throw this.recoveryError;
      }
      this.leftover.shift();
    }
  }

  /** After an order step over every pending import id. */
  private stepped(written: { orders: number; lines: number }): void {
    clearTimeout(this.stepTimer);
    this.stepTimer = undefined;
    this.window.close();
    this.stats.orderSteps++;
    this.stats.ordersWritten += written.orders;
    this.stats.orderLinesWritten += written.lines;
  }
}

/** DuckDB type of each `EventRow` field inside the JSON payload (`from_json` structure). */
const ROW_TYPES: Readonly<Record<keyof EventRow, string>> = {
  message_id: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR', name: 'VARCHAR', user_id: 'VARCHAR', anonymous_id: 'VARCHAR',
  previous_id: 'VARCHAR', group_id: 'VARCHAR', ts: 'BIGINT', received_at: 'BIGINT', session_id: 'VARCHAR', product_id: 'VARCHAR', product_name: 'VARCHAR',
  category: 'VARCHAR', price: 'DOUBLE', quantity: 'DOUBLE', order_id: 'VARCHAR', revenue: 'DOUBLE', discount: 'DOUBLE',
  dwell_seconds: 'DOUBLE', properties: 'JSON', traits: 'JSON', context: 'JSON', import_id: 'VARCHAR',
};
const TIME_FIELDS = new Set(['ts', 'received_at']);
const COLUMNS = Object.keys(ROW_TYPES);

/** The `events` columns from a payload row `r`: epoch ms → TIMESTAMP, the import id behind the commit's stamp (`stamp`: SQL). */
const rowProjection = (stamp: string): string =>
  COLUMNS.map((c) => (TIME_FIELDS.has(c) ? `epoch_ms(r.${quoteIdent(c)})` : c === 'import_id' ? `${stamp} || r.import_id` : `r.${quoteIdent(c)}`)).join(', ');

/**
 * One INSERT for a whole group, naming its columns (a column added by a later migration takes its default).
 * Times are epoch milliseconds → TIMESTAMP with `epoch_ms`; the row's import id (its source, `api`) is stored
 * behind the commit's stamp (`$stamp`, see `commitStamp`), so the commit's rows can be selected on their own.
 */
const INSERT_EVENTS = `INSERT INTO events (${COLUMNS.map(quoteIdent).join(', ')})
SELECT ${rowProjection('$stamp')}
FROM (SELECT unnest(from_json($rows::JSON, ${quoteLiteral(JSON.stringify([ROW_TYPES]))})) AS r)`;

/**
 * The same INSERT from sealed journal segments: DuckDB's `read_json` parses the files in parallel (the marker line
 * closing each request has no message_id and is skipped). Literal SQL (no parameters), to run in a script.
 */
function insertFromFiles(paths: readonly string[], stamp: string): string {
  const columns = `{${COLUMNS.map((c) => `${quoteIdent(c)}: ${quoteLiteral(ROW_TYPES[c as keyof EventRow])}`).join(', ')}}`;
  return `INSERT INTO events (${COLUMNS.map(quoteIdent).join(', ')})
SELECT ${rowProjection(quoteLiteral(stamp))}
FROM read_json([${paths.map(quoteLiteral).join(', ')}], format = 'newline_delimited', columns = ${columns}) r
WHERE r.message_id IS NOT NULL`;
}

/** Records `last` as the newest segment of `journal` loaded (in the load's transaction); literal SQL. */
function journalMark(journal: string, last: number): string {
  if (!Number.isSafeInteger(last)) throw new Error(`journal segment number is not an integer: ${last}`);
  return `INSERT OR REPLACE INTO ingest_journal VALUES (${quoteLiteral(journal)}, ${last}, now()::TIMESTAMP)`;
}
