/**
 * The journal beside a database file (`<db>.journal/`, `journal.ts`) and what a server left in it: events it
 * acknowledged but had not loaded into DuckDB when it stopped (a kill, a crash, a full disk). The server loads them
 * when it starts; every other command that opens the database loads them first too (`loadJournalBeside`), so a
 * `segment` or `report` run after a crash sees every acknowledged event, not only once the server runs again.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { Store } from '../../store/db.js';
import { IngestJournal, type JournalOptions, type SealedSegment } from './journal.js';
import { GroupCommitWriter } from './writer.js';

/** The journal directory of a database file (none for `:memory:`). */
export const journalDirOf = (db: string): string | undefined => (db === ':memory:' ? undefined : `${db}.journal`);

/** Opens the journal in `dir` with the segments not yet recorded as loaded in `ingest_journal`. */
export async function openJournal(store: Store, dir: string, options: JournalOptions = {}): Promise<{ journal: IngestJournal; leftover: SealedSegment[] }> {
  const name = basename(dir);
  const last = Number((await store.scalar<number>(`SELECT last_segment FROM ingest_journal WHERE journal = $name`, { name })) ?? 0);
  return IngestJournal.open(dir, last, options);
}

export interface LeftoverLoad {
  readonly segments: number;
  readonly events: number;
}

/**
 * Loads the journal's leftovers into the database `db` with the server's own writer (identity links, the order
 * step), exactly once. Opens the database for writing only when segment files are there; does nothing for
 * `:memory:` or without a journal. Throws, naming the file, when a segment cannot be loaded (it is kept).
 */
export async function loadJournalBeside(db: string): Promise<LeftoverLoad> {
  const dir = journalDirOf(db);
  if (!dir || !existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.ndjson'))) return { segments: 0, events: 0 };
  const store = await Store.open(db);
  try {
    return await loadLeftover(store, dir);
  } finally {
    store.close();
  }
}

/** `loadJournalBeside` on a store already open for writing. */
export async function loadLeftover(store: Store, dir: string): Promise<LeftoverLoad> {
  const opened = await openJournal(store, dir);
  const events = opened.leftover.reduce((n, s) => n + s.jobs.reduce((m, rows) => m + rows.length, 0), 0);
  const writer = new GroupCommitWriter(store, { maxQueueEvents: Number.POSITIVE_INFINITY, maxGroupEvents: Number.POSITIVE_INFINITY, journal: opened });
  try {
    await writer.ready;
  } finally {
    await writer.close();
  }
  return { segments: opened.leftover.length, events };
}
