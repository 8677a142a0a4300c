/**
 * A database with a finished segmentation run, for the live K-means tests and the server bench: a synthetic shop
 * (`generateShop`), its orders and events imported, features computed and customers segmented. Never used by
 * production code.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runSegmentation } from '../../pipeline/index.js';
import { Store } from '../../store/db.js';
import { importEvents, importOrders } from '../../store/import/index.js';
import { generateShop } from '../../synth/index.js';

export interface ShopDb {
  readonly db: string;
  readonly runId: string;
  /** The run's as-of (midnight after the shop's last event). */
  readonly asOf: Date;
  readonly k: number;
}

const DAY_MS = 86_400_000;

/**
 * Writes `db` (replacing it) from a shop of `customers` whose year of history ends at midnight UTC `endDaysAgo`
 * days before today, so the run's as-of lies that close to the server's clock. Cost: ~3 s per 1,000 customers.
 */
export async function buildShopDb(db: string, options: { customers: number; seed: number; endDaysAgo?: number; k?: number | 'auto' }): Promise<ShopDb> {
  const files = `${db}.shop`;
  rmSync(files, { recursive: true, force: true });
  mkdirSync(files, { recursive: true });
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS - (options.endDaysAgo ?? 0) * DAY_MS;
  try {
    const shop = await generateShop({ customers: options.customers, seed: options.seed, out: files, start: new Date(end - 365 * DAY_MS) });
    const store = await Store.open(db);
    try {
      await importOrders(store, { file: join(files, shop.files.orders) });
      await importEvents(store, { file: join(files, shop.files.events) });
      const run = await runSegmentation(store, { k: options.k ?? 'auto', seed: options.seed });
      return { db, runId: run.runId, asOf: new Date(run.asOf), k: run.k };
    } finally {
      store.close();
    }
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
}
