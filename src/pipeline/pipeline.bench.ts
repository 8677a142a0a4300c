/**
 * End-to-end pipeline figures: Online Retail import → segments, and the synthetic shop at 100k and 1M
 * customers (events/s imported, features and clustering time, peak memory). Each size runs in a child
 * process (`segmenta demo --json`) so its peak RSS — DuckDB's memory included — is its own.
 * There is no peer for the whole pipeline; the note gives the targets.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from '../bench/types.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

interface DemoJson {
  timings: Record<string, number>;
  peakRssBytes: number;
  run: { timings: Record<string, number>; customers: number };
  generated: { events: number };
  personaRecoveryAri: number;
}

function runChild(args: string[], cwd: string): { json: unknown; seconds: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args, '--json'], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`segmenta ${args.join(' ')} failed: ${r.stderr}`);
  return { json: JSON.parse(r.stdout), seconds: (performance.now() - start) / 1000 };
}

const bench: Bench = {
  name: 'pipeline end to end',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const db = join(ctx.workDir, 'online-retail.duckdb');
    rmSync(db, { force: true });
    const imported = runChild(['import', 'orders', '--preset', 'online-retail', '--db', db], process.cwd());
    const segmented = runChild(['segment', '--db', db, '--as-of', '2011-12-10'], process.cwd());
    rows.push({
      name: 'Online Retail: import → features → RFM + K-means',
      oursSeconds: imported.seconds + segmented.seconds,
      note: `wall time of two CLI runs incl. start-up: import ${imported.seconds.toFixed(2)} s, segment ${segmented.seconds.toFixed(2)} s; target < 10 s`,
    });
    for (const customers of ctx.quick ? [20_000] : [100_000, 1_000_000]) {
      const out = join(ctx.workDir, `shop-${customers}`);
      const { json } = runChild(['demo', '--customers', String(customers), '--seed', '1', '--out', out], ctx.workDir) as { json: DemoJson };
      const t = json.timings;
      const importSeconds = (t['import orders'] ?? 0) + (t['import events'] ?? 0);
      const endToEnd = importSeconds + (t.segment ?? 0);
      rows.push({
        name: `synthetic ${customers.toLocaleString('en-US')} customers: import → segments`,
        oursSeconds: endToEnd,
        oursPeakBytes: json.peakRssBytes,
        note: `${json.generated.events.toLocaleString('en-US')} events, ${Math.round(json.generated.events / (t['import events'] ?? 1)).toLocaleString('en-US')} events/s imported; features ${json.run.timings.features?.toFixed(1)} s, clustering ${json.run.timings.clustering?.toFixed(1)} s; generate ${t.generate?.toFixed(1)} s (not counted); ARI ${json.personaRecoveryAri.toFixed(3)}; targets: 100k < 60 s, 1M < 2 GB`,
      });
      rmSync(out, { recursive: true, force: true });
    }
    return rows;
  },
};

export default bench;
