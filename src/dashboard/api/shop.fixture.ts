/**
 * Test fixture: a small synthetic shop (`generateShop`, 600 customers) imported into a fresh in-memory store and
 * segmented twice (k = 4, two seeds, a day apart), so the latest run has a previous run for changes and flows.
 * The generated files live in a temp folder removed by `close()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSegmentation } from '../../pipeline/index.js';
import type { RunSummary } from '../../pipeline/index.js';
import { Store } from '../../store/db.js';
import { importEvents, importOrders } from '../../store/import/index.js';
import { generateShop } from '../../synth/index.js';

export interface ShopFixture {
  readonly store: Store;
  readonly previous: RunSummary;
  readonly latest: RunSummary;
  close(): void;
}

export const SHOP_CUSTOMERS = 600;

/** Builds the fixture. Cost: a few seconds (generation, import, two K-means runs at fixed k). */
export async function openShopFixture(customers = SHOP_CUSTOMERS): Promise<ShopFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'segmenta-dashboard-api-'));
  const store = await Store.open(':memory:');
  try {
    const shop = await generateShop({ customers, seed: 7, out: dir, days: 240 });
    await importOrders(store, { file: join(dir, shop.files.orders) });
    await importEvents(store, { file: join(dir, shop.files.events) });
    const asOf = new Date(shop.asOf);
    const previous = await runSegmentation(store, { k: 4, seed: 3, asOf, now: new Date('2030-01-01T00:00:00Z') });
    const latest = await runSegmentation(store, { k: 4, seed: 5, asOf, now: new Date('2030-01-02T00:00:00Z') });
    return {
      store, previous, latest,
      close() {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
