import { Store } from '../../store/db.js';
import { DEFAULT_DB } from '../args.js';

/** Opens the store named by --db (default ./segmenta.duckdb), runs `work`, and always closes it. */
export async function withStore<T>(db: string | undefined, work: (store: Store) => Promise<T>, options: { readOnly?: boolean } = {}): Promise<T> {
  const store = await Store.open(db ?? DEFAULT_DB, options);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}
