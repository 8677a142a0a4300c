/**
 * API orders are real orders: `Order Completed` events become `orders` (source 'events'), `order_lines` and
 * `products` rows inside the transaction that stores them (`writer.ts`), so a crash never leaves events without
 * their orders. The rules are the file importer's, run by its own `writeEventOrders` (one definition: an order id
 * already stored is not written again, the earliest event of an order id wins, products take their latest name,
 * category and price, products named by any track event are upserted).
 *
 * `writeEventOrders` selects its events by `events.import_id`, so commits stamp their events with ids of their own.
 * It costs 3–8 statements (~20–25 ms on the 2-core machine, under load) whatever the size of the commit, so it runs only when it
 * has something to write, and browsing is batched:
 * - a commit with an `Order Completed` runs it in its transaction, over its own events and any browsing before it
 *   that it has not covered yet (its import window's: see `OrderWindow`);
 * - a commit whose events only name products (`Product Viewed`, `Product Added`…) leaves it pending: the writer
 *   runs it within `windowMs` (or with the next order), and a marker row in `server_settings`, written in the same
 *   commit, lets the next start finish it after a crash (`PENDING_MARKER`);
 * - any other commit has nothing for it.
 */
import { quoteLiteral, type Store } from '../../store/db.js';
import { BROWSING_ONLY_BROKEN, browsingProductsSql, writeEventOrders } from '../../store/import/event-orders.js';
import type { EventRow } from './normalize.js';

/** What the order step would write for some rows: orders (and lines, products), products only, or nothing. */
export type OrderStepNeed = 'orders' | 'products' | 'none';

/** O(rows). */
export function orderStepNeed(rows: readonly EventRow[]): OrderStepNeed {
  let need: OrderStepNeed = 'none';
  for (const r of rows) {
    if (r.type !== 'track') continue;
    if (r.event === 'Order Completed') return 'orders';
    if (r.product_id !== null) need = 'products';
  }
  return need;
}

/**
 * The start of an import id, `<time>-<window>-`, followed by the rows' source: `mib6w2a1-00002s-api`. The time is
 * the window's opening in base-36 milliseconds, the window its number in this writer (the time keeps ids of later
 * processes apart).
 *
 * Why the time comes first: DuckDB keeps only the first 8 bytes of a VARCHAR column's per-row-group min and max, and
 * ids that rise within those 8 bytes let `WHERE import_id = $1` skip every row group written a few milliseconds
 * earlier (and every file import, `events-…`), so the order step reads about one row group however large `events`
 * grows. With an `api-…` prefix every API row group stays a candidate (measured: ~110 ms against ~65 ms per step
 * over 2 million events).
 */
export function commitStamp(at: number, window: number): string {
  return `${Math.max(0, Math.floor(at)).toString(36).padStart(8, '0')}-${window.toString(36).padStart(6, '0')}-`;
}

/** The import ids of rows stored under `stamp` (one per source; the server has one, `api`). */
export function importIdsOf(stamp: string, rows: readonly EventRow[]): string[] {
  return [...new Set(rows.map((r) => stamp + r.import_id))];
}

/**
 * The import id stamp commits share, and the import ids whose browsing the order step has not covered yet. A window
 * opens with the first commit after the previous one closed and lasts `windowMs`; an order step over it closes it,
 * so a commit with an order never re-reads more than the browsing since the last step.
 */
export class OrderWindow {
  private stamp: string | undefined;
  private openedAt = 0;
  private windows = 0;
  private readonly pendingIds = new Set<string>();

  constructor(private readonly windowMs: number) {}

  /** The stamp for a commit at `now`: the open window's, or a new window's when none is open or it is `windowMs` old. */
  stampAt(now: number): string {
    if (this.stamp === undefined || now - this.openedAt >= this.windowMs) {
      this.stamp = commitStamp(now, ++this.windows);
      this.openedAt = now;
    }
    return this.stamp;
  }

  /** Import ids holding browsing the order step has not covered, oldest first. */
  get pending(): readonly string[] {
    return [...this.pendingIds];
  }

  /** Records committed browsing under `ids`. */
  addPending(ids: readonly string[]): void {
    for (const id of ids) this.pendingIds.add(id);
  }

  /** After an order step over every pending id: nothing is pending, and the next commit opens a new window. */
  close(): void {
    this.stamp = undefined;
    this.pendingIds.clear();
  }
}

/** `server_settings` row naming the import ids whose order step is pending (JSON array); absent when none is. */
export const PENDING_MARKER = 'pending_order_step';

/** The statement recording the pending import ids (literal SQL, for a script); run it in the commit that stores their events. */
export function pendingMarkSql(ids: readonly string[]): string {
  return `INSERT INTO server_settings VALUES (${quoteLiteral(PENDING_MARKER)}, ${quoteLiteral(JSON.stringify(ids))}, now()::TIMESTAMP)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value`;
}

/** The statement removing the pending marker (once the order step has covered its import ids). */
const CLEAR_PENDING_SQL = `DELETE FROM server_settings WHERE name = ${quoteLiteral(PENDING_MARKER)}`;

/** The import ids a previous process left pending (it stopped before their order step). */
export async function leftPending(store: Store): Promise<string[]> {
  const value = await store.scalar<string>(`SELECT value FROM server_settings WHERE name = $name`, { name: PENDING_MARKER });
  return value === undefined ? [] : (JSON.parse(value) as string[]);
}

/**
 * Runs the importer's order step over each import id and clears the pending marker; call inside a transaction.
 * Returns the orders and lines written.
 */
export async function runOrderStep(store: Store, importIds: readonly string[], markerSet: boolean): Promise<{ orders: number; lines: number }> {
  let orders = 0;
  let lines = 0;
  for (const id of importIds) {
    const written = await writeEventOrders(store, id);
    orders += written.orders;
    lines += written.lines;
  }
  if (markerSet) await store.run(CLEAR_PENDING_SQL);
  return { orders, lines };
}

/**
 * The order step of pending browsing in ONE call to DuckDB (`Store.transactionScript`; about twelve hand-overs
 * through a busy event loop otherwise): the products the import ids' events name, and the marker cleared. Pending
 * ids hold browsing only (a commit with an order runs the step itself and closes its window); should one hold an
 * order after all, the script fails and the full step (`runOrderStep`) runs instead.
 */
export async function runBrowsingStep(store: Store, importIds: readonly string[]): Promise<{ orders: number; lines: number }> {
  try {
    await store.transactionScript([
      ...importIds.flatMap(browsingProductsSql),
      CLEAR_PENDING_SQL,
    ]);
    return { orders: 0, lines: 0 };
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes(BROWSING_ONLY_BROKEN)) throw error;
    return store.transaction(() => runOrderStep(store, importIds, true));
  }
}
