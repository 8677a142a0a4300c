/**
 * Crash test of `segmenta serve`: `npx tsx scripts/crash-test/run.ts [--kills N] [--seconds S] [--concurrency C]
 * [--batch B] [--seed X] [--json]`. Kills the server with SIGKILL at random moments under load and checks that no
 * acknowledged event is lost or stored twice and that no batch is half-written. Exit code 0 when it passes.
 * The logic lives in src/server/crash/crash-test.ts so the test suite runs a small size of it.
 */
import { parseArgs } from 'node:util';
import { formatCrashReport, runCrashTest } from '../../src/server/crash/crash-test.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '8' },
    batch: { type: 'string', default: '100' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    json: { type: 'boolean', default: false },
  },
});
const number = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a whole number (got ${JSON.stringify(value)})\n`);
    process.exit(2);
  }
  return n;
};

const report = await runCrashTest({
  kills: number('kills', values.kills),
  durationMs: number('seconds', values.seconds) * 1000,
  concurrency: Math.max(1, number('concurrency', values.concurrency)),
  batchSize: Math.max(1, number('batch', values.batch)),
  seed: number('seed', values.seed),
  log: values.json ? undefined : (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCrashReport(report)}\n`);
process.exit(report.ok ? 0 : 1);
