import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runSegmentation } from '../../pipeline/index.js';
import { buildPredictFixture } from '../../pipeline/predict/fixture.js';
import { Store } from '../../store/db.js';
import type { Io } from '../output.js';
import { horizonFlag, predictCommand, shortHistoryFlag } from './predict.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-predict-'));
const db = join(dir, 'store.duckdb');
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => {
  const store = await Store.open(db);
  try {
    await buildPredictFixture(store);
    await runSegmentation(store, { k: 3, seed: 1, now: new Date('2024-07-02T00:00:00Z') });
  } finally {
    store.close();
  }
});

function capture(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: () => undefined, interactive: false };
}

describe('segmenta predict', () => {
  it('--json prints the evaluation, the score deciles and the top customers', async () => {
    const io = capture();
    assert.equal(await predictCommand.run(['propensity', '--horizon', '60d', '--as-of', '2024-07-01', '--seed', '3', '--top', '5', '--db', db, '--json'], io), 0);
    const r = JSON.parse(io.lines.join('\n')) as { target: string; horizonDays: number; model: string; evaluation: { rocAuc: number }; scores: { deciles: number[]; top: unknown[] }; written: number };
    assert.equal(r.target, 'propensity');
    assert.equal(r.horizonDays, 60);
    assert.equal(r.model, 'gbt');
    assert.ok(r.evaluation.rocAuc > 0.75);
    assert.equal(r.scores.deciles.length, 11);
    assert.equal(r.scores.top.length, 5);
    assert.ok(r.written > 390);
  });

  it('prints a readable report for churn', async () => {
    const io = capture();
    assert.equal(await predictCommand.run(['churn', '--horizon', '8w', '--as-of', '2024-07-01', '--model', 'forest', '--db', db], io), 0);
    const text = io.lines.join('\n');
    assert.match(text, /^churn: P\(no purchase within 56 days after 2024-07-01\), model forest, seed 42/);
    assert.match(text, /held-out evaluation/);
    assert.match(text, /top risk:/);
    assert.match(text, /rows written to customer_predictions$/);
  });

  it('rejects a missing target, a bad model and a bad horizon with the value received', async () => {
    await assert.rejects(predictCommand.run(['--db', db], capture()), { name: 'InputError', message: 'segmenta predict target must be one of churn, propensity, segment (got none)' });
    await assert.rejects(predictCommand.run(['churn', '--model', 'svm', '--db', db], capture()), { name: 'InputError', message: '--model must be one of gbt, forest, logistic (got "svm")' });
    assert.throws(() => horizonFlag('3 months'), { name: 'InputError', message: '--horizon must be a number of days or weeks like 90d or 13w, between 1 and 3650 days (got "3 months")' });
    assert.equal(horizonFlag('13w'), 91);
    assert.equal(horizonFlag('90'), 90);
    await assert.rejects(predictCommand.run(['churn', '--folds', '3', '--db', db], capture()), { name: 'InputError', message: '--folds applies only to segmenta predict segment (got "3")' });
    assert.deepEqual([shortHistoryFlag('14-60'), shortHistoryFlag('off'), shortHistoryFlag(undefined)], [{ min: 14, max: 60 }, null, undefined]);
    assert.throws(() => shortHistoryFlag('60-14'), { name: 'InputError', message: '--short-history must be a range of days like 7-120 (1 <= min <= max <= 3650) or off (got "60-14")' });
  });

  it('segment --json prints the cross-validation, the partial-history agreement and the placements', async () => {
    const io = capture();
    assert.equal(await predictCommand.run(['segment', '--folds', '2', '--model', 'forest', '--db', db, '--json'], io), 0);
    const r = JSON.parse(io.lines.join('\n')) as {
      k: number; model: string; written: number; evaluation: { folds: number; accuracy: number; baseline: { accuracy: number }; partial: { days: number; classifier: number; nearestCentroid: number }[] };
      assigned: { customers: number; segments: { customers: number }[] };
    };
    assert.deepEqual([r.k, r.model, r.evaluation.folds], [3, 'forest', 2]);
    assert.ok(r.evaluation.accuracy > 0.9 && r.evaluation.baseline.accuracy > 0.9, `accuracy ${r.evaluation.accuracy}`);
    assert.deepEqual(r.evaluation.partial.map((p) => p.days), [30, 60]);
    assert.ok(r.evaluation.partial.every((p) => p.classifier > p.nearestCentroid));
    assert.equal(r.assigned.segments.reduce((s, x) => s + x.customers, 0), r.written);
    assert.ok(r.written > 390);
  });

  it('segment prints a readable report, and needs a finished run', async () => {
    const io = capture();
    assert.equal(await predictCommand.run(['segment', '--folds', '3', '--db', db], io), 0);
    const text = io.lines.join('\n');
    assert.match(text, /^segment: placing customers in the 3 segments of run run-\S+ \(features as of 2024-07-01\), model gbt, seed 42/);
    assert.match(text, /3-fold cross-validation \(grouped by customer\)/);
    assert.match(text, /first days +customers +classifier +logistic baseline +nearest centroid/);
    assert.match(text, /rows written to customer_predictions$/);
    await assert.rejects(predictCommand.run(['segment', '--db', ':memory:'], capture()), { name: 'NotFoundError', message: /requires a finished segmentation run \(got none\): run `segmenta segment` first/ });
    await assert.rejects(predictCommand.run(['segment', '--horizon', '30d', '--db', db], capture()), { name: 'InputError', message: '--horizon does not apply to segmenta predict segment (got "30d")' });
    const off = capture();
    assert.equal(await predictCommand.run(['segment', '--folds', '2', '--model', 'logistic', '--short-history', 'off', '--db', db], off), 0);
    assert.match(off.lines.join('\n'), /trained on \d+ customers: their full history only/);
  });
});
