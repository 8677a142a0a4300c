/**
 * A small run of the crash test (scripts/crash-test/run.ts runs the full size): the server is a child process
 * killed with SIGKILL three times under load and restarted on the same database file.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCrashReport, runCrashTest } from './crash/crash-test.js';

test('after SIGKILLs under load every acknowledged messageId is stored exactly once, no batch is half-written and no order is missing', { timeout: 60_000 }, async () => {
  const report = await runCrashTest({ kills: 3, durationMs: 8_000, concurrency: 4, batchSize: 50, seed: 20261123 });
  const figures = formatCrashReport(report);
  assert.ok(report.eventsAcked > 0, `the load generator got acknowledgements\n${figures}`);
  assert.equal(report.lost, 0, figures);
  assert.equal(report.duplicated, 0, figures);
  assert.equal(report.halfBatches, 0, figures);
  assert.equal(report.ordersMissing, 0, figures);
  assert.equal(report.dedupeFailures, 0, figures);
  assert.ok(report.dedupeChecks >= 1, `a batch was re-sent after a restart\n${figures}`);
});
