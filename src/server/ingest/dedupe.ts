/**
 * The messageId window: which ids were stored in the last `windowMs` (Segment keeps 24 hours), and which are in a
 * write still in flight. Stored ids survive restarts because the index is warmed from the `events` table at start;
 * the table is the truth and this is its in-memory cache.
 *
 * Stored ids are kept as 64-bit fingerprints in typed arrays (`fingerprints.ts`, ~16–24 bytes an id with the
 * table's free slots; a Map of the strings took ~100 and cost garbage-collector time), so a day at a busy shop's
 * rate fits. A fingerprint match only says "probably seen": the caller confirms it against the table
 * (`confirmStored`) before answering duplicate, so a collision (odds ~ ids held / 2^64 per event) costs one
 * query, never an event. Ids in flight are held exactly, by their string, until their write settles.
 */
import type { Store } from '../../store/db.js';
import { FingerprintSet, fingerprint } from './fingerprints.js';

export const DEFAULT_DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;

export type Seen =
  | { readonly kind: 'new' }
  /** Its fingerprint is held: stored within the window unless a collision (`confirmStored` tells). */
  | { readonly kind: 'probably' }
  /** In a write not yet finished: the answer waits for it, and a failed write fails this request too. */
  | { readonly kind: 'pending'; readonly commit: Promise<void> };

const NEW: Seen = { kind: 'new' };
const PROBABLY: Seen = { kind: 'probably' };

export class DedupeIndex {
  private readonly stored = new FingerprintSet();
  /** Ids whose write is in flight, with that write. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(readonly windowMs = DEFAULT_DEDUPE_WINDOW_MS) {}

  /** Loads the ids received within the window. Cost: one scan of `events` filtered on `received_at`. */
  async warm(store: Store, now: Date): Promise<number> {
    const set = await store.readColumns(
      `SELECT message_id, epoch(received_at)::BIGINT AS received FROM events WHERE received_at >= $since::TIMESTAMP
       UNION ALL SELECT message_id, epoch(received_at)::BIGINT FROM erased_messages WHERE received_at >= $since::TIMESTAMP`,
      { since: sqlTime(new Date(now.getTime() - this.windowMs)) },
    );
    const ids = set.columns.message_id ?? [];
    const received = set.columns.received ?? [];
    for (let i = 0; i < set.rowCount; i++) {
      const [hi, lo] = fingerprint(String(ids[i]));
      this.stored.add(hi, lo, Number(received[i]));
    }
    return set.rowCount;
  }

  check(messageId: string): Seen {
    const commit = this.inFlight.get(messageId);
    if (commit !== undefined) return { kind: 'pending', commit };
    const [hi, lo] = fingerprint(messageId);
    return this.stored.has(hi, lo) ? PROBABLY : NEW;
  }

  /** Marks ids as in flight under `commit`; when it settles they are stored (or forgotten on failure). */
  hold(messageIds: readonly string[], receivedAt: number, commit: Promise<void>): void {
    for (const id of messageIds) this.inFlight.set(id, commit);
    const seconds = Math.floor(receivedAt / 1000);
    const settle = (stored: boolean): void => {
      for (const id of messageIds) {
        if (this.inFlight.get(id) !== commit) continue;
        this.inFlight.delete(id);
        if (stored) {
          const [hi, lo] = fingerprint(id);
          this.stored.add(hi, lo, seconds);
        }
      }
    };
    commit.then(() => settle(true), () => settle(false));
  }

  /**
   * Which of `messageIds` (each checked `probably`) are in the `events` table, or were and were erased
   * (`erased_messages`): read on `reader` after the writes
   * acknowledged before are loaded. The scan is limited to the rows received since the oldest fingerprint that
   * can still be held (the window plus the prune interval), which the table's zone maps skip to.
   */
  async confirmStored(reader: Store, messageIds: readonly string[], now: number, pruneEveryMs: number): Promise<Set<string>> {
    const rows = await reader.rows<{ message_id: string }>(
      `WITH asked AS (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')) AS message_id)
       SELECT message_id FROM events WHERE received_at >= $since::TIMESTAMP AND message_id IN (SELECT message_id FROM asked)
       UNION SELECT message_id FROM erased_messages WHERE received_at >= $since::TIMESTAMP AND message_id IN (SELECT message_id FROM asked)`,
      { since: sqlTime(this.horizon(now, pruneEveryMs)), ids: JSON.stringify(messageIds) },
    );
    return new Set(rows.map((r) => r.message_id));
  }

  /**
   * The oldest receipt time whose messageId can still be held: the window, plus the prune interval (a fingerprint
   * lives until the first prune after it left the window) with a margin of another interval.
   */
  horizon(now: number, pruneEveryMs: number): Date {
    return new Date(now - this.windowMs - 2 * pruneEveryMs);
  }

  /** Forgets ids received before the window. Cost: one pass over the table. */
  prune(now: number): number {
    return this.stored.prune(Math.floor((now - this.windowMs) / 1000));
  }

  /** Ids held: stored within the window and in flight. */
  get size(): number {
    return this.stored.size + this.inFlight.size;
  }

  /** Ids whose write is still in flight. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** Bytes of the stored ids' table. */
  get bytes(): number {
    return this.stored.bytes;
  }
}

/** A UTC time as DuckDB's TIMESTAMP text. */
/** A time as DuckDB TIMESTAMP text (UTC). */
export const sqlTime = (at: Date): string => at.toISOString().replace('T', ' ').replace('Z', '');
