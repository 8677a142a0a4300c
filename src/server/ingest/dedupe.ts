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

export class DedupeIndex {
  private readonly committed = new Map<string, number>();
  private readonly pending = new Map<string, Promise<void>>();

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
    for (let i = 0; i < set.rowCount; i++) this.committed.set(String(ids[i]), Number(received[i]));
    return set.rowCount;
  }

  check(messageId: string): Seen {
    if (this.committed.has(messageId)) return { kind: 'committed' };
    const commit = this.pending.get(messageId);
    return commit ? { kind: 'pending', commit } : { kind: 'new' };
  }

  /** Marks ids as in flight under `commit`; when it settles they become committed (or are forgotten on failure). */
  hold(messageIds: readonly string[], receivedAt: number, commit: Promise<void>): void {
    for (const id of messageIds) this.pending.set(id, commit);
    commit.then(
      () => {
        for (const id of messageIds) {
          this.pending.delete(id);
          this.committed.set(id, receivedAt);
        }
      },
      () => {
        for (const id of messageIds) this.pending.delete(id);
      },
    );
  }

  /** Forgets ids received before the window. Cost: O(ids held). */
  prune(now: number): number {
    const cutoff = now - this.windowMs;
    let removed = 0;
    for (const [id, at] of this.committed) {
      if (at < cutoff) {
        this.committed.delete(id);
        removed++;
      }
    }
    return removed;
  }

  get size(): number {
    return this.committed.size + this.pending.size;
  }
}
