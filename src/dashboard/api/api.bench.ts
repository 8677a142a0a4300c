/**
 * Dashboard data layer timings on a real segmented database given by `SEGMENTA_BENCH_DB` (opened read-only):
 * `overview` and `segments`, each the median of 3 calls after one warm-up call. Target: under 2 s each at
 * 1,000,000 customers. No peer; without the variable a single row says it was skipped.
 */
import type { Bench, BenchRow } from '../../bench/types.js';
import { Store } from '../../store/db.js';
import { overview, segments } from './index.js';

const RUNS = 3;

async function median(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await work();
    times.push((performance.now() - start) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const bench: Bench = {
  name: 'dashboard api',
  async run() {
    const path = process.env.SEGMENTA_BENCH_DB;
    if (!path) return [{ name: 'dashboard api: overview + segments', oursSeconds: 0, note: 'skipped: set SEGMENTA_BENCH_DB to a segmented database file' }];
    const store = await Store.open(path, { readOnly: true });
    try {
      const customers = (await overview(store)).kpis?.customers ?? 0;
      const size = `${customers.toLocaleString('en-US')} customers; target < 2 s`;
      const ov = await median(() => overview(store));
      const seg = await median(() => segments(store));
      const rows: BenchRow[] = [
        { name: 'dashboard api: overview', oursSeconds: ov, note: size },
        { name: 'dashboard api: segments', oursSeconds: seg, note: `${size}; includes the 5,000-point PCA map and flows` },
        { name: 'dashboard api: overview + segments', oursSeconds: ov + seg, note: size },
      ];
      return rows;
    } finally {
      store.close();
    }
  },
};

export default bench;
