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
import { FingerprintSet, fingerprint, fingerprintOf } from './fingerprints.js';

export const DEFAULT_DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** `warm` reads the window an hour of receipts at a time. */
const WARM_SLICE_MS = 3600_000;

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

  /**
   * Loads the ids received within the window, an hour of receipts at a time (bounded memory). DuckDB packs each
   * second's ASCII ids into one string, `<length>:<id>` after another, which is fingerprinted in place: turning
   * every id into a JS string of its own cost ~2 µs an id (4M ids: 10 s to listen after a restart, and 1.2 GB of
   * RSS), the packed read ~0.5 µs. The few ids with other characters, whose UTF-8 length is not their length in
   * UTF-16 units, are read one by one.
   */
  async warm(store: Store, now: Date): Promise<number> {
    const end = now.getTime();
    let loaded = 0;
    for (let from = end - this.windowMs; from <= end; from += WARM_SLICE_MS) {
      // The last slice is open-ended: a receipt stamped after `now` (a clock set back) is held too.
      const until = from + WARM_SLICE_MS > end ? '' : 'AND received_at < $until::TIMESTAMP';
      const times = { since: sqlTime(new Date(from)), ...(until ? { until: sqlTime(new Date(from + WARM_SLICE_MS)) } : {}) };
      const received = `SELECT message_id, epoch(received_at)::BIGINT AS received FROM events WHERE received_at >= $since::TIMESTAMP ${until}
        UNION ALL SELECT message_id, epoch(received_at)::BIGINT FROM erased_messages WHERE received_at >= $since::TIMESTAMP ${until}`;
      const packed = await store.readColumns(
        `SELECT received, string_agg(strlen(message_id)::VARCHAR || ':' || message_id, '') AS ids
         FROM (${received}) WHERE strlen(message_id) = length(message_id) GROUP BY received`, times);
      const seconds = packed.columns.received ?? [];
      const texts = packed.columns.ids ?? [];
      for (let g = 0; g < packed.rowCount; g++) loaded += this.addPacked(String(texts[g]), Number(seconds[g]));
      const others = await store.readColumns(`SELECT message_id, received FROM (${received}) WHERE strlen(message_id) <> length(message_id)`, times);
      const ids = others.columns.message_id ?? [];
      const at = others.columns.received ?? [];
      for (let i = 0; i < others.rowCount; i++) {
        const [hi, lo] = fingerprint(String(ids[i]));
        this.stored.add(hi, lo, Number(at[i]));
      }
      loaded += others.rowCount;
    }
    return loaded;
  }

  /** Adds the ids packed as `<length>:<id>` one after another, received at `seconds`; returns how many. */
  private addPacked(text: string, seconds: number): number {
    let count = 0;
    for (let i = 0; i < text.length; count++) {
      let length = 0;
      for (let c = text.charCodeAt(i); c !== 58; c = text.charCodeAt(++i)) {
        // Only digits come before the ':'; anything else means the packing is not what the query builds.
        if (!(c >= 48 && c <= 57)) throw new Error(`messageId window: malformed packed ids at offset ${i}`);
        length = length * 10 + (c - 48);
      }
      const start = i + 1;
      i = start + length;
      if (i > text.length) throw new Error(`messageId window: packed id at offset ${start} runs past the end`);
      const [hi, lo] = fingerprintOf(text, start, i);
      this.stored.add(hi, lo, seconds);
    }
    return count;
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
export const sqlTime = (at: Date): string => at.toISOString().replace('T', ' ').replace('Z', '');
