/**
 * The messageId window: which ids were committed in the last `windowMs` (Segment keeps 24 hours), and which are
 * in a commit still in flight. Committed ids survive restarts because the index is warmed from the `events`
 * table at start; the table is the truth and this is its in-memory cache (one Map entry per id, ~100 bytes).
 */
import type { Store } from '../../store/db.js';

export const DEFAULT_DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;

export type Seen =
  | { readonly kind: 'new' }
  | { readonly kind: 'committed' }
  /** In a commit not yet finished: the answer waits for it, and a failed commit fails this request too. */
  | { readonly kind: 'pending'; readonly commit: Promise<void> };

const NEW: Seen = { kind: 'new' };
const COMMITTED: Seen = { kind: 'committed' };

export class DedupeIndex {
  /**
   * Every id held: its receivedAt (ms) once committed, or the commit it waits for. One map, so a check is one
   * lookup and a commit one overwrite (ingestion does both for every event).
   */
  private readonly ids = new Map<string, number | Promise<void>>();
  private pendingCount = 0;

  constructor(readonly windowMs = DEFAULT_DEDUPE_WINDOW_MS) {}

  /** Loads the ids received within the window. Cost: one scan of `events` filtered on `received_at`. */
  async warm(store: Store, now: Date): Promise<number> {
    const since = new Date(now.getTime() - this.windowMs);
    const set = await store.readColumns(
      `SELECT message_id, epoch_ms(received_at) AS received FROM events WHERE received_at >= $since::TIMESTAMP`,
      { since: since.toISOString().replace('T', ' ').replace('Z', '') },
    );
    const ids = set.columns.message_id ?? [];
    const received = set.columns.received ?? [];
    for (let i = 0; i < set.rowCount; i++) this.ids.set(String(ids[i]), Number(received[i]));
    return set.rowCount;
  }

  check(messageId: string): Seen {
    const held = this.ids.get(messageId);
    if (held === undefined) return NEW;
    return typeof held === 'number' ? COMMITTED : { kind: 'pending', commit: held };
  }

  /** Marks ids as in flight under `commit`; when it settles they become committed (or are forgotten on failure). */
  hold(messageIds: readonly string[], receivedAt: number, commit: Promise<void>): void {
    for (const id of messageIds) this.ids.set(id, commit);
    this.pendingCount += messageIds.length;
    commit.then(
      () => {
        this.pendingCount -= messageIds.length;
        for (const id of messageIds) this.ids.set(id, receivedAt);
      },
      () => {
        this.pendingCount -= messageIds.length;
        for (const id of messageIds) if (this.ids.get(id) === commit) this.ids.delete(id);
      },
    );
  }

  /** Forgets ids received before the window. Cost: O(ids held). */
  prune(now: number): number {
    const cutoff = now - this.windowMs;
    let removed = 0;
    for (const [id, at] of this.ids) {
      if (typeof at === 'number' && at < cutoff) {
        this.ids.delete(id);
        removed++;
      }
    }
    return removed;
  }

  get size(): number {
    return this.ids.size;
  }

  /** Ids whose commit is still in flight. */
  get pending(): number {
    return this.pendingCount;
  }
}
