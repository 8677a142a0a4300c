/**
 * Test helpers for the dashboard: databases the tests build themselves. Used by the dashboard's `*.test.ts`
 * files and by hand (`npx tsx src/dashboard/server/testing.ts DIR` builds the demo database and serves it);
 * never by production code.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runSegmentation, type RunSummary } from '../../pipeline/index.js';
import { predictCustomers } from '../../pipeline/predict/index.js';
import { Store } from '../../store/db.js';
import { importEvents, importOrders } from '../../store/import/index.js';
import { generateShop } from '../../synth/index.js';
import { packageRoot } from './assets.js';

export interface DemoDatabase {
  readonly db: string;
  /** The run before the latest (as of 60 days before the data ends), so changes and flows have something to show. */
  readonly previous: RunSummary;
  readonly latest: RunSummary;
}

const DAY_MS = 86_400_000;

/**
 * A synthetic shop of `customers` customers (seeded) imported into `dir/segmenta.duckdb`, segmented twice (as of
 * 60 days before the data ends, then as of its end) and scored for churn within 90 days as of the end, so every
 * page has something to show. About 7 s for 1,500 customers on one core.
 */
export async function createDemoDatabase(dir: string, options: { customers?: number; seed?: number } = {}): Promise<DemoDatabase> {
  const seed = options.seed ?? 7;
  mkdirSync(dir, { recursive: true });
  const shop = await generateShop({ customers: options.customers ?? 1_500, seed, out: join(dir, 'shop') });
  const db = join(dir, 'segmenta.duckdb');
  const store = await Store.open(db);
  try {
    await importOrders(store, { file: join(dir, 'shop', shop.files.orders) });
    await importEvents(store, { file: join(dir, 'shop', shop.files.events) });
    const end = new Date(shop.asOf);
    const earlier = new Date(end.getTime() - 60 * DAY_MS);
    const previous = await runSegmentation(store, { k: 'auto', seed, asOf: earlier, now: earlier });
    const latest = await runSegmentation(store, { k: 'auto', seed, asOf: end, now: end });
    // Recomputes the features as of the cutoff, then as of `end` again: the stored features stay the latest run's.
    await predictCustomers(store, { target: 'churn', horizonDays: 90, seed, asOf: end, now: end });
    return { db, previous, latest };
  } finally {
    store.close();
  }
}

/**
 * A copy of the demo database `source` (closed) in which one segment of the latest run keeps a single customer: the
 * others of its members move to the largest segment. Returns the file and that segment's cluster and customer.
 */
export async function createSingletonSegmentDatabase(source: string, file: string): Promise<{ db: string; cluster: number; customerId: string }> {
  copyFileSync(source, file);
  const store = await Store.open(file);
  try {
    const run = (await store.scalar<string>(`SELECT run_id FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC LIMIT 1`))!;
    const sizes = await store.rows<{ cluster: number; segment_name: string; n: number }>(
      `SELECT cluster, any_value(segment_name) AS segment_name, count(*) AS n FROM segment_memberships WHERE run_id = $run GROUP BY cluster ORDER BY n, cluster`, { run },
    );
    const smallest = sizes[0]!;
    const largest = sizes[sizes.length - 1]!;
    const customerId = (await store.scalar<string>(`SELECT min(customer_id) FROM segment_memberships WHERE run_id = $run AND cluster = $c`, { run, c: smallest.cluster }))!;
    await store.run(
      `UPDATE segment_memberships SET cluster = $to, segment_name = $name WHERE run_id = $run AND cluster = $from AND customer_id <> $keep`,
      { run, to: largest.cluster, name: largest.segment_name, from: smallest.cluster, keep: customerId },
    );
    return { db: file, cluster: smallest.cluster, customerId };
  } finally {
    store.close();
  }
}

/**
 * A copy of the demo database `source` (closed) whose latest run says it was a Ward (hierarchical) clustering with a
 * stored bootstrap stability, so the Model page has a dendrogram and a stability section to draw.
 */
export async function createHierarchicalDatabase(source: string, file: string): Promise<string> {
  copyFileSync(source, file);
  const store = await Store.open(file);
  try {
    const stability = { mean: 0.912, std: 0.041, min: 0.846, ari: [0.95, 0.93, 0.846, 0.91, 0.94, 0.89, 0.92, 0.9, 0.93, 0.912] };
    await store.run(
      `UPDATE segment_runs SET method = 'ward', metrics = json_merge_patch(metrics, $patch)
        WHERE run_id = (SELECT run_id FROM segment_runs WHERE status = 'done' ORDER BY created_at DESC LIMIT 1)`,
      { patch: JSON.stringify({ stability }) },
    );
  } finally {
    store.close();
  }
  return file;
}

/** A database with the schema and nothing else. */
export async function createEmptyDatabase(file: string): Promise<string> {
  const store = await Store.open(file);
  store.close();
  return file;
}

/** A database whose only segmentation run is still running (no finished run yet). */
export async function createRunningDatabase(file: string): Promise<string> {
  const store = await Store.open(file);
  try {
    await store.run(`INSERT INTO segment_runs (run_id, created_at, status, method) VALUES ('run-in-progress', now()::TIMESTAMP, 'running', 'kmeans')`);
  } finally {
    store.close();
  }
  return file;
}

/** A plain-JS writer for another process: opens the database (argv[1]) read-write, records a running run, holds the lock until stdin ends. */
const WRITER = `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[1]);
const connection = await instance.connect();
await connection.run("INSERT INTO segment_runs (run_id, created_at, status, method) VALUES ('run-written-meanwhile', now()::TIMESTAMP, 'running', 'kmeans')");
process.stdout.write('locked\\n');
process.stdin.resume();
process.stdin.on('end', () => { connection.closeSync(); instance.closeSync(); process.exit(0); });
`;

/**
 * A writer in another process (DuckDB locks per process, so it cannot be this one): it records a running run and
 * holds the database until released.
 */
export async function holdWriteLock(db: string): Promise<{ release(): Promise<void> }> {
  const writer = spawn(process.execPath, ['--input-type=module', '-e', WRITER, db], { cwd: packageRoot(import.meta.url), stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = once(writer, 'exit');
  let said = '';
  writer.stdout.on('data', (chunk: Buffer) => { said += chunk.toString(); });
  writer.stderr.on('data', (chunk: Buffer) => { said += chunk.toString(); });
  const deadline = Date.now() + 10_000;
  while (!said.includes('locked') && Date.now() < deadline && writer.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!said.includes('locked')) {
    writer.kill();
    throw new Error(`the writer could not lock ${db}: ${said}`);
  }
  return {
    async release() {
      writer.stdin.end('done\n');
      await exited;
    },
  };
}
