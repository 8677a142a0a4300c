/**
 * The live K-means customers held in memory, at most `limit` of them (least recently used dropped after each pass,
 * ~3 KB each), and how a customer not held must be loaded so that the reload counts exactly what the dropped state
 * had counted (`feature-load.ts`):
 * - identities changed in this process since the base table was built (a new identify or alias link named them):
 *   `full`, from their own facts — the base table still holds their old grouping;
 * - dropped for room since the watermark: `fast` until now — their live events after the watermark are in the
 *   store only;
 * - anyone else: `fast` until the watermark — every event received later reaches the updater live.
 * Both id sets are bounded too: too many dropped ids → forget every state and move the watermark to now (then
 * `fast` until the watermark covers everyone); too many relinked ids → the base table is due for a rebuild.
 */
import type { LoadMode } from './feature-load.js';
import type { FeatureState } from './feature-state.js';
import { LruMap } from './lru.js';

export interface Customer {
  readonly state: FeatureState;
  /** The current live cluster (the run's until it changes); null for a customer the run did not have. */
  cluster: number | null;
  /** Commit sequence number when the state was loaded. */
  readonly loadedAt: number;
  /** Message ids the load replayed from the store; skipped when they arrive live, until `replayedUntil` passed. */
  replayed: Set<string> | null;
  readonly replayedUntil: number;
}

/** Dropped ids remembered per held state before everything is forgotten instead (an id costs ~100 bytes). */
const DROPPED_PER_HELD = 10;

export class CustomerStates {
  private readonly held: LruMap<string, Customer>;
  private readonly dropped = new Set<string>();
  private readonly relinked = new Set<string>();
  /** Events received from this instant on reach the updater live (epoch ms, the server's receive clock). */
  private watermark: number;
  /** States dropped for room, and times everything was forgotten because too many ids were dropped. */
  readonly stats = { evicted: 0, forgotten: 0 };

  constructor(readonly limit: number, now: number) {
    this.held = new LruMap(limit);
    this.watermark = now;
  }

  get size(): number {
    return this.held.size;
  }

  has(id: string): boolean {
    return this.held.has(id);
  }

  /** The state, marking it used (the update path). */
  get(id: string): Customer | undefined {
    return this.held.get(id);
  }

  /** The state without marking it used (reads for profiles and tests). */
  peek(id: string): Customer | undefined {
    return this.held.peek(id);
  }

  set(id: string, customer: Customer): void {
    this.held.set(id, customer);
    this.dropped.delete(id);
  }

  /** Drops a state whose identities changed; it is loaded in full from now on (until the base table is rebuilt). */
  relink(id: string): void {
    this.held.delete(id);
    this.relinked.add(id);
  }

  /** How to load `id`, not held, at `now` (epoch ms). */
  modeOf(id: string, now: number): LoadMode {
    if (this.relinked.has(id)) return { kind: 'full' };
    return { kind: 'fast', until: this.dropped.has(id) ? now : this.watermark };
  }

  /** True when so many customers were relinked that the base table should be rebuilt (`baseRebuilt` after). */
  get baseStale(): boolean {
    return this.relinked.size > this.limit;
  }

  /** After the pass that needed them: drops the least recently used states down to the limit; returns how many. */
  trim(now: number): number {
    const dropped = this.held.trim();
    for (const id of dropped) this.dropped.add(id);
    this.stats.evicted += dropped.length;
    if (this.dropped.size > DROPPED_PER_HELD * this.limit) {
      this.forget(now);
      this.stats.forgotten++;
    }
    return dropped.length;
  }

  /**
   * Drops every state; events received before `now` are read from the store when a customer is next loaded. The
   * relinked ids stay: the base table has not changed.
   */
  forget(now: number): void {
    this.held.clear();
    this.dropped.clear();
    this.watermark = now;
  }

  /** After the base table was rebuilt from the current identities: nobody needs a full load any more. */
  baseRebuilt(now: number): void {
    this.forget(now);
    this.relinked.clear();
  }
}
