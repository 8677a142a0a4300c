/**
 * Live K-means re-assignment. After each commit, every event it held updates its customer's feature state
 * incrementally (`feature-state.ts`; an `Order Completed` also as a purchase order), each customer touched is placed
 * at the nearest centroid of the newest run (`kmeans-model.ts`: the run's imputation, log1p, winsorising and
 * z-scaling), and a change of cluster is written (`segment_events` kind `kmeans`: one `exited` and one `entered`
 * record naming the clusters' segments, score = the cluster number; `live_segments`: the current cluster) and
 * streamed to SSE subscribers.
 *
 * Features are read at the as-of a run started now would use (`liveAsOf`: the midnight UTC after now, never before
 * the run's as-of): until the run's as-of a customer is measured exactly as the run measured them; later, recency,
 * tenure and the trend windows move with the clock, a day at a time. Only customers touched by a commit are
 * re-assigned (an untouched one keeps its assignment however long it waits).
 *
 * A customer's state is loaded when a commit first names them (`feature-load.ts`), in one batch for all customers
 * new to a commit group: their base statistics from the per-run base table (built at `reload`, one pass like the
 * snapshot's) plus the events stored after the run and received before the watermark — the moment this instance
 * started watching commits, after which every event reaches it live. At most `maxCustomers` states are held: the
 * least recently used are dropped after each pass and reloaded from the store when named again, with the events
 * they had seen live (`customer-states.ts` says how each customer is loaded). A load can see rows committed after
 * the group it serves (they queue behind it), so the ids it replayed are skipped when they arrive, until the commit
 * in flight at load time has passed. Ids resolve through a per-process cache of `identities` (`live-identities.ts`).
 * A commit that links ids (identify, alias) for the first time in this process clears that cache and drops the
 * cached state of the customers it names, and they are loaded in full from then on (from their own facts, with the
 * new identities: events of a visitor who just identified count for the customer). A failed pass forgets every
 * state and moves the watermark, so nothing is lost or counted twice. The model follows the newest done run: a pass
 * checks its id (at most once a second) and reloads (forgetting every state) when it changed. Runs behind the ingest
 * path, off the request's critical path; commits that queue up while a pass runs are processed together in the next
 * one.
 */
import type { Logger } from 'pino';
import type { Store } from '../../store/db.js';
import { linkOf } from '../ingest/identities.js';
import type { EventRow } from '../ingest/normalize.js';
import type { GroupCommitWriter } from '../ingest/writer.js';
import { createBaseTable, isOrderEvent, loadStates, productCategories, trendFloor, type LoadMode } from './feature-load.js';
import { CustomerStates, type Customer } from './customer-states.js';
import { applyEvent, applyOrder } from './feature-state.js';
import { liveAsOf, readFeatures } from './feature-values.js';
import { purchaseFromEvent } from './event-orders.js';
import { assignCluster, loadKmeansModel, type KmeansModel } from './kmeans-model.js';
import { IdentityCache } from './live-identities.js';
import { DEFAULT_LIVE_CACHE_CUSTOMERS } from './lru.js';
import { writeSegmentChanges, type SegmentChange, type SegmentChangeSource } from './segment-changes.js';

export interface LiveKmeansOptions {
  /** The clock features are measured at (epoch ms); default `Date.now`. */
  readonly clock?: () => number;
  /** Customer states held in memory (~3 KB each); default `DEFAULT_LIVE_CACHE_CUSTOMERS`. */
  readonly maxCustomers?: number;
}

/** How often a pass looks for a newer finished run (ms). */
const RUN_CHECK_MS = 1_000;

interface Owners {
  readonly event: string | null;
  readonly order: string | null;
}

interface Committed {
  readonly seq: number;
  readonly rows: readonly EventRow[];
}

export class LiveKmeans implements SegmentChangeSource {
  private model: KmeansModel | undefined;
  /** The newest done run looked at (whether or not it had a usable model), and when (epoch ms). */
  private checkedRun: string | undefined;
  private checkedAt = 0;
  private readonly customers: CustomerStates;
  private readonly subscribers = new Set<(change: SegmentChange) => void>();
  /** Identity links seen in this process (cleared when it holds 10 per state: a link seen again only costs a reload). */
  private readonly links = new Set<string>();
  private readonly identities = new IdentityCache();
  private pending: Committed[] = [];
  private seq = 0;
  /** The last group whose pass has ended (its changes committed, or the pass failed), and reads waiting for one. */
  private settledSeq = 0;
  private settling: { readonly until: number; readonly resolve: () => void }[] = [];
  private running: Promise<void> | undefined;
  private readonly clock: () => number;
  /** Events processed, customers loaded, passes run (for tests, metrics and the bench). */
  readonly stats = { events: 0, loads: 0, passes: 0 };

  constructor(private readonly store: Store, private readonly writer: GroupCommitWriter, private readonly log: Logger, options: LiveKmeansOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.customers = new CustomerStates(options.maxCustomers ?? DEFAULT_LIVE_CACHE_CUSTOMERS, Date.now());
  }

  /**
   * (Re)loads the newest run's model, rebuilds the base table and forgets cached customers; call at start (passes
   * also check the run). The base table is a TEMP table of this instance's store, where the loads read it: give
   * the instance a connection the writer does not use (the server does), so the build never runs inside a group's
   * transaction and ingestion goes on meanwhile. The table holds only facts the run counted, so commits made while
   * it is built change nothing in it.
   */
  async reload(): Promise<void> {
    this.forget();
    this.customers.baseRebuilt(Date.now());
    this.checkedRun = (await this.newestRun()) ?? undefined;
    this.checkedAt = Date.now();
    const model = await loadKmeansModel(this.store, this.log);
    if (model) {
      const started = performance.now();
      const customers = await createBaseTable(this.store, model.split);
      this.log.info({ runId: model.runId, customers, ms: Math.round(performance.now() - started) }, 'live K-means on');
    }
    this.model = model;
  }

  /** Drops every cached state; events received before now are read from the store when a customer is next loaded. */
  private forget(): void {
    this.customers.forget(Date.now());
    this.links.clear();
    this.identities.clear();
  }

  /** Customer states held now, those dropped for room since start, and times all were forgotten (tests, metrics). */
  get cache(): { readonly held: number; readonly limit: number; readonly evicted: number; readonly forgotten: number } {
    return { held: this.customers.size, limit: this.customers.limit, ...this.customers.stats };
  }

  get runId(): string | undefined {
    return this.model?.runId;
  }

  /** A cached customer's clustering features now (NaN = missing, before imputation), or undefined when not cached. */
  features(customerId: string): Record<string, number> | undefined {
    const c = this.customers.peek(customerId);
    const model = this.model;
    if (!c || !model) return undefined;
    const raw = readFeatures(model.readers, c.state, liveAsOf(model.split.asOf, this.clock(), c.state.lastSeen), new Float64Array(model.columns.length));
    return Object.fromEntries(model.columns.map((name, j) => [name, raw[j]!]));
  }

  /** The current cluster of a cached customer (null: none yet), or undefined when not cached. */
  cluster(customerId: string): number | null | undefined {
    return this.customers.peek(customerId)?.cluster;
  }

  subscribe(listener: (change: SegmentChange) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /** Queues the rows of a committed group; groups are processed in commit order. */
  committed(rows: readonly EventRow[]): void {
    this.pending.push({ seq: ++this.seq, rows });
    this.running ??= this.loop();
  }

  /** Resolves when everything queued so far is processed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Resolves once the pass over every group committed before the call has ended, with its segment changes committed
   * (or the pass failed): unlike `idle`, it does not wait for groups committed later, so it returns under a steady load.
   */
  settled(): Promise<void> {
    if (this.settledSeq >= this.seq) return Promise.resolve();
    return new Promise((resolve) => this.settling.push({ until: this.seq, resolve }));
  }

  private settle(seq: number): void {
    this.settledSeq = seq;
    this.settling = this.settling.filter((w) => (w.until <= seq ? (w.resolve(), false) : true));
  }

  private async loop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const groups = this.pending;
        this.pending = [];
        try {
          await this.process(groups);
        } catch (error) {
          this.log.error({ err: error }, 'live K-means update failed; cached states dropped');
          this.forget();
        }
        this.settle(groups[groups.length - 1]!.seq);
      }
    } finally {
      this.running = undefined;
    }
  }

  private async newestRun(): Promise<string | null> {
    return (await this.store.scalar<string>(`SELECT run_id FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC, run_id DESC LIMIT 1`)) ?? null;
  }

  private async process(groups: readonly Committed[]): Promise<void> {
    if (Date.now() - this.checkedAt >= RUN_CHECK_MS) {
      const newest = await this.newestRun();
      this.checkedAt = Date.now();
      if (newest !== null && newest !== this.checkedRun) await this.reload();
    }
    if (this.customers.baseStale) await this.reload();
    const model = this.model;
    if (!model) return;
    const started = performance.now();
    const loadsBefore = this.stats.loads;
    this.stats.passes++;
    const links = this.newLinks(groups);
    if (links.length > 0) this.identities.clear();
    const { owners, resolved } = await this.resolve(groups);
    this.relink(links, resolved);
    const touched = new Set<string>();
    for (const { event, order } of owners.values()) {
      if (event !== null) touched.add(event);
      if (order !== null) touched.add(order);
    }
    await this.loadMissing(touched, model);
    const orders = groups.flatMap((g) => g.rows.filter(isOrderEvent));
    const categories = orders.length > 0 ? await productCategories(this.store, orders) : new Map<string, string>();
    const cause = new Map<string, string>();
    for (const { seq, rows } of groups) {
      for (const row of rows) {
        const owner = owners.get(row)!;
        const eventOwner = owner.event === null ? undefined : this.customers.get(owner.event);
        if (eventOwner && !skip(eventOwner, row, seq)) applyEvent(eventOwner.state, row);
        const buyer = owner.order === null || !isOrderEvent(row) ? undefined : this.customers.get(owner.order);
        if (buyer && !skip(buyer, row, seq)) {
          const order = purchaseFromEvent(row, (id) => categories.get(id) ?? null);
          if (order) applyOrder(buyer.state, order, trendFloor(model.split));
        }
        if (owner.event !== null) cause.set(owner.event, row.message_id);
        if (owner.order !== null) cause.set(owner.order, row.message_id);
        this.stats.events++;
      }
    }
    const last = groups[groups.length - 1]!.seq;
    for (const id of touched) {
      const c = this.customers.get(id);
      if (c?.replayed && c.replayedUntil <= last) c.replayed = null;
    }
    const changes = this.reassign(touched, cause, model);
    if (changes.length > 0) {
      await this.writer.submit({ rows: [], links: [], exclusive: true, after: (store) => writeSegmentChanges(store, changes) });
      for (const change of changes) for (const listener of this.subscribers) listener(change);
    }
    const evicted = this.customers.trim(Date.now());
    this.log.debug({ groups: groups.length, customers: touched.size, loads: this.stats.loads - loadsBefore, evicted, changes: changes.length, ms: Math.round(performance.now() - started) }, 'live K-means pass');
  }

  /**
   * Each row's owners: the customer of the event (`src_events`: the id's customer, else the userId) and of its
   * purchase order (`src_orders`: the id's customer, else the id); and the customer of every id the rows name.
   */
  private async resolve(groups: readonly Committed[]): Promise<{ owners: Map<EventRow, Owners>; resolved: ReadonlyMap<string, string | null> }> {
    const keys = new Set<string>();
    for (const { rows } of groups) {
      for (const r of rows) {
        const key = r.user_id ?? r.anonymous_id;
        if (key !== null) keys.add(key);
        if (r.previous_id !== null) keys.add(r.previous_id);
      }
    }
    const resolved = await this.identities.resolve(this.store, keys);
    const owners = new Map<EventRow, Owners>();
    for (const { rows } of groups) {
      for (const r of rows) {
        const key = r.user_id ?? r.anonymous_id;
        const customer = key === null ? null : (resolved.get(key) ?? null);
        owners.set(r, { event: customer ?? r.user_id, order: isOrderEvent(r) ? (customer ?? key) : null });
      }
    }
    return { owners, resolved };
  }

  /** Identity links (identify, alias) seen for the first time in this process, with their commit's number. */
  private newLinks(groups: readonly Committed[]): { seq: number; from: string; to: string }[] {
    const out: { seq: number; from: string; to: string }[] = [];
    if (this.links.size > 10 * this.customers.limit) this.links.clear();
    for (const { seq, rows } of groups) {
      for (const row of rows) {
        const link = linkOf(row);
        if (!link || this.links.has(`${link.from}\u0000${link.to}`)) continue;
        this.links.add(`${link.from}\u0000${link.to}`);
        out.push({ seq, from: link.from, to: link.to });
      }
    }
    return out;
  }

  /**
   * Customers named by a new identity link: their cached state is dropped and they are loaded in full, with the new
   * identities, from now on (the base table groups their facts the old way). Even a state loaded after the link's
   * commit is dropped: a fast load then still read the old grouping.
   */
  private relink(links: readonly { seq: number; from: string; to: string }[], resolved: ReadonlyMap<string, string | null>): void {
    for (const { from, to } of links) {
      for (const id of [from, to, resolved.get(from), resolved.get(to)]) if (id !== undefined && id !== null) this.customers.relink(id);
    }
  }

  /** Loads the states and current clusters of customers not held, one batch per load mode. */
  private async loadMissing(ids: Iterable<string>, model: KmeansModel): Promise<void> {
    const byMode = new Map<string, { mode: LoadMode; ids: string[] }>();
    const now = Date.now();
    for (const id of ids) {
      if (this.customers.has(id)) continue;
      const mode = this.customers.modeOf(id, now);
      const key = mode.kind === 'full' ? 'full' : String(mode.until);
      const batch = byMode.get(key) ?? { mode, ids: [] };
      batch.ids.push(id);
      byMode.set(key, batch);
    }
    for (const { mode, ids: batch } of byMode.values()) await this.loadBatch(batch, model, mode);
  }

  private async loadBatch(missing: readonly string[], model: KmeansModel, mode: LoadMode): Promise<void> {
    const loaded = await loadStates(this.store, missing, model.split, mode);
    const clusters = new Map<string, number>();
    const rows = await this.store.rows<{ customer_id: string; cluster: number | null }>(
      `SELECT c.customer_id, coalesce(l.cluster, m.cluster) AS cluster
       FROM (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')) AS customer_id) c
       LEFT JOIN live_segments l ON l.customer_id = c.customer_id AND l.run_id = $run
       LEFT JOIN segment_memberships m ON m.customer_id = c.customer_id AND m.run_id = $run`,
      { ids: JSON.stringify(missing), run: model.runId },
    );
    for (const r of rows) if (r.cluster !== null) clusters.set(r.customer_id, r.cluster);
    // Commits announced so far, and the one that may be in flight, can hold rows the load already saw.
    const until = this.seq + 1;
    for (const [id, { state, replayed }] of loaded) {
      this.customers.set(id, { state, cluster: clusters.get(id) ?? null, loadedAt: this.seq, replayed: replayed.size > 0 ? replayed : null, replayedUntil: until });
    }
    this.stats.loads += missing.length;
  }


  /** Nearest centroid of each touched customer; a new cluster gives an exited and an entered change. */
  private reassign(touched: ReadonlySet<string>, cause: ReadonlyMap<string, string>, model: KmeansModel): SegmentChange[] {
    const now = this.clock();
    const at = new Date(now).toISOString();
    const raw = new Float64Array(model.columns.length);
    const scratch = new Float64Array(model.columns.length);
    const changes: SegmentChange[] = [];
    for (const id of touched) {
      const c = this.customers.get(id);
      if (!c) continue;
      const cluster = assignCluster(model, readFeatures(model.readers, c.state, liveAsOf(model.split.asOf, now, c.state.lastSeen), raw), scratch);
      if (cluster === c.cluster) continue;
      const base = { at, customerId: id, runId: model.runId, kind: 'kmeans' as const, messageId: cause.get(id) ?? '' };
      if (c.cluster !== null) changes.push({ ...base, change: 'exited', segment: model.names[c.cluster] ?? `cluster ${c.cluster}`, score: String(c.cluster) });
      changes.push({ ...base, change: 'entered', segment: model.names[cluster] ?? `cluster ${cluster}`, score: String(cluster) });
      c.cluster = cluster;
    }
    return changes;
  }
}

/** True when the row was already counted by the customer's load (it replayed it from the store). */
function skip(c: Customer, row: EventRow, seq: number): boolean {
  return c.replayed !== null && seq <= c.replayedUntil && c.replayed.has(row.message_id);
}
