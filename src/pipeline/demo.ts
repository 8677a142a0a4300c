/**
 * The demo, end to end: generate a synthetic shop with known personas, import its orders and events into a
 * fresh database, compute features, segment (RFM + K-means), name the segments, apply the playbook, and
 * write the report, the segments file and a JSON summary — then check how well the segments recovered the
 * planted personas (adjusted Rand index against truth.csv).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentProgress, type Progress } from '../core/progress.js';
import { buildReport } from '../dashboard/report/index.js';
import { adjustedRandIndex } from '../models/metrics/index.js';
import { quoteLiteral, Store } from '../store/db.js';
import { importEvents, importOrders, type ImportReport } from '../store/import/index.js';
import { generateShop, type GenerateReport } from '../synth/index.js';
import { runSegmentation } from './segment-run.js';
import type { RunSummary } from './types.js';

/** What `segmenta demo` (and `npm run demo`) runs without flags: the size the issue judges persona recovery at. */
export const DEMO_DEFAULTS = { customers: 20_000, seed: 42 } as const;

export interface DemoOptions {
  readonly customers: number;
  readonly seed: number;
  readonly out: string;
  readonly progress?: Progress;
  readonly now?: Date;
}

export interface DemoResult {
  readonly out: string;
  readonly files: Readonly<Record<string, string>>;
  readonly generated: GenerateReport;
  readonly imports: readonly ImportReport[];
  readonly run: RunSummary;
  /** Adjusted Rand index of the K-means segments against the generator's personas. */
  readonly personaRecoveryAri: number;
  readonly timings: Readonly<Record<string, number>>;
  /** The process's peak RSS (bytes) at the end of each stage: the stage where it grows is the one that set it. */
  readonly peakRssBytesAfter: Readonly<Record<string, number>>;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { out, seed } = options;
  const progress = options.progress ?? silentProgress;
  const timings: Record<string, number> = {};
  const peakRssBytesAfter: Record<string, number> = {};
  const time = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await work();
    timings[name] = (performance.now() - start) / 1000;
    peakRssBytesAfter[name] = process.resourceUsage().maxRSS * 1024;
    return value;
  };
  mkdirSync(out, { recursive: true });
  const dbPath = join(out, 'segmenta.duckdb');
  for (const stale of [dbPath, `${dbPath}.wal`]) if (existsSync(stale)) rmSync(stale);

  const generated = await time('generate', () => generateShop({ customers: options.customers, seed, out, progress }));
  // Each stage opens the database afresh, as the separate commands do: what one stage's DuckDB instance still
  // holds (cached blocks, an index built in memory) is not carried into the next one's memory limit.
  const stage = async <T>(name: string, work: (store: Store) => Promise<T>): Promise<T> => {
    const opened = await Store.open(dbPath);
    try {
      return await time(name, () => work(opened));
    } finally {
      opened.close();
    }
  };
  const orders = await stage('import orders', (store) => importOrders(store, { file: join(out, generated.files.orders), progress }));
  const events = await stage('import events', (store) => importEvents(store, { file: join(out, generated.files.events), progress }));
  const run = await stage('segment', (store) => runSegmentation(store, { k: 'auto', seed, progress, now: options.now }));
  const store = await Store.open(dbPath);
  try {
    const files = {
      report: join(out, 'report.html'),
      segments: join(out, 'segments.csv'),
      summary: join(out, 'summary.json'),
      truth: join(out, generated.files.truth),
      database: dbPath,
    };
    const report = await time('report', () => buildReport(store, { title: `Segmenta demo — ${options.customers.toLocaleString('en-US')}-customer synthetic shop` }));
    writeFileSync(files.report, report.html);
    await store.run(
      `COPY (SELECT customer_id, rfm_score, rfm_segment, cluster, segment_name FROM segment_memberships
              WHERE run_id = $run ORDER BY customer_id) TO ${quoteLiteral(files.segments)} (FORMAT CSV, HEADER)`,
      { run: run.runId },
    );
    const personaRecoveryAri = await personaAri(store, run.runId, files.truth);
    const result: DemoResult = { out, files, generated, imports: [orders, events], run, personaRecoveryAri, timings, peakRssBytesAfter };
    writeFileSync(files.summary, JSON.stringify(result, null, 2));
    return result;
  } finally {
    store.close();
  }
}

/** ARI between the run's clusters and the planted personas, over customers present in both. */
async function personaAri(store: Store, runId: string, truthFile: string): Promise<number> {
  const rows = await store.readColumns(
    `SELECT m.cluster, t.persona FROM segment_memberships m
       JOIN read_csv(${quoteLiteral(truthFile)}, header = true, columns = {'customer_id': 'VARCHAR', 'persona': 'VARCHAR'}) t USING (customer_id)
      WHERE m.run_id = $run ORDER BY m.customer_id`,
    { run: runId },
  );
  const clusters = Int32Array.from(rows.columns.cluster as number[]);
  const personaNames = rows.columns.persona as string[];
  const codes = new Map<string, number>();
  const personas = Int32Array.from(personaNames, (p) => {
    if (!codes.has(p)) codes.set(p, codes.size);
    return codes.get(p)!;
  });
  return adjustedRandIndex(clusters, personas);
}
