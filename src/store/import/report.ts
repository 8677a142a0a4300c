/**
 * What an import did, row by row accounted for: every row read is either written or skipped for a named reason.
 * The report is returned to the caller and stored as JSON in the `imports` table.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../db.js';

export type ImportKind = 'orders' | 'events';

export interface ImportReport {
  readonly importId: string;
  readonly kind: ImportKind;
  /** The file path (and preset name when one was used). */
  readonly source: string;
  readonly format: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsSkipped: number;
  /** Skipped rows per reason (`already_imported`, `duplicate_message_id`, `exact_duplicate`); sums to rowsSkipped. */
  readonly skipped: Readonly<Record<string, number>>;
  /** A few examples per skip reason (`line 12: messageId "m-1"`). */
  readonly examples: Readonly<Record<string, readonly string[]>>;
  /** Rows written per table (`order_lines`, `orders`, `products`, `customers`, `events`, `identity_links`, ...). */
  readonly tables: Readonly<Record<string, number>>;
  /** Written rows the cleaning step will look at (stored as they are, counted here): cancellations, returns, ... */
  readonly flags: Readonly<Record<string, number>>;
  /**
   * Other counts that are neither skipped rows nor cleaning flags: `order_completed_already_stored` (Order
   * Completed events written to `events` whose order was already in `orders`, so it was not written again),
   * `resolved_customers` (identity components after resolution).
   */
  readonly notes: Readonly<Record<string, number>>;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
}

/** A sortable import id: `orders-20261123T092700Z-3f9a1c`. */
export function newImportId(kind: ImportKind, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${kind}-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The ISO time as a DuckDB TIMESTAMP literal text (UTC, no offset). */
export function timestampText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Records the import in the `imports` table (inside the caller's transaction). */
export async function recordImport(store: Store, report: ImportReport): Promise<void> {
  await store.run(
    `INSERT INTO imports VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMP), CAST($8 AS TIMESTAMP), CAST($9 AS JSON))`,
    [report.importId, report.kind, report.source, report.rowsRead, report.rowsWritten, report.rowsSkipped,
      timestampText(new Date(report.startedAt)), timestampText(new Date(report.finishedAt)), JSON.stringify(report)],
  );
}
