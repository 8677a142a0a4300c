import { loadJournalBeside } from '../../server/ingest/leftover.js';
import { Store } from '../../store/db.js';
import { DEFAULT_DB } from '../args.js';

/**
 * Opens the store named by --db (default ./segmenta.duckdb), runs `work`, and always closes it. Events a server
 * acknowledged into its journal but did not store before it stopped are loaded first (`loadJournalBeside`), also
 * for a read-only command: what the server answered 200 to is in every result.
 */
export async function withStore<T>(db: string | undefined, work: (store: Store) => Promise<T>, options: { readOnly?: boolean } = {}): Promise<T> {
  const path = db ?? DEFAULT_DB;
  const loaded = await loadJournalBeside(path);
  if (loaded.events > 0) process.stderr.write(`segmenta: loaded ${loaded.events} events from ${loaded.segments} journal segment(s) the server acknowledged but had not stored\n`);
  const store = await Store.open(path, options);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
