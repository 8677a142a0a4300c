/**
 * `npm run bench`: finds every `*.bench.js` beside the code it measures, runs it, and prints our figures
 * side by side with the peer measured in the same run, as a ratio (peer time / our time: above 1 means we
 * are faster). `--quick` for small sizes, `--only NAME` to run benches whose name contains NAME,
 * `--json` for the raw rows. Never part of `npm test`.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Bench, BenchRow } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const distRoot = join(here, '..');

function findBenchFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findBenchFiles(path));
    else if (name.endsWith('.bench.js')) out.push(path);
  }
  return out.sort();
}

function findPython(): string | null {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : null;
}

const fmt = (s: number | undefined) => (s === undefined ? '–' : s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const mib = (b: number | undefined) => (b === undefined ? '' : `${(b / 2 ** 20).toFixed(0)} MiB`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const workDir = join(process.cwd(), 'bench', 'out');
  mkdirSync(workDir, { recursive: true });
  const python = findPython();
  const ctx = { quick: values.quick ?? false, python, workDir };
  const rows: (BenchRow & { bench: string })[] = [];
  if (!values.json) {
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
    if (!python) console.log('peer: /usr/bin/python3 not found — peer figures skipped (apt-get install python3-sklearn python3-scipy)');
  }
  for (const file of findBenchFiles(distRoot)) {
    const bench = ((await import(pathToFileURL(file).href)) as { default: Bench }).default;
    if (values.only && !bench.name.includes(values.only)) continue;
    if (!values.json) console.log(`\n== ${bench.name}`);
    const results = await bench.run(ctx);
    for (const r of results) {
      rows.push({ bench: bench.name, ...r });
      if (values.json) continue;
      const ratio = r.peerSeconds !== undefined ? `${(r.peerSeconds / r.oursSeconds).toFixed(2)}× ${r.peerSeconds >= r.oursSeconds ? 'faster' : 'slower'}` : '';
      console.log(`${r.name.padEnd(52)} ours ${fmt(r.oursSeconds).padStart(9)} ${mib(r.oursPeakBytes).padStart(9)}  ${r.peerName ? `${r.peerName} ${fmt(r.peerSeconds).padStart(9)} ${mib(r.peerPeakBytes).padStart(9)}  ${ratio}` : ''}${r.note ? `  (${r.note})` : ''}`);
    }
  }
  if (values.json) console.log(JSON.stringify(rows, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
