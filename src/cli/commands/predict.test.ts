import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPredictFixture } from '../../pipeline/predict/fixture.js';
import { Store } from '../../store/db.js';
import type { Io } from '../output.js';
import { horizonFlag, predictCommand } from './predict.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-predict-'));
const db = join(dir, 'store.duckdb');
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => {
  const store = await Store.open(db);
  try {
    await buildPredictFixture(store);
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
    await assert.rejects(predictCommand.run(['--db', db], capture()), { name: 'InputError', message: 'segmenta predict target must be one of churn, propensity (got none)' });
    await assert.rejects(predictCommand.run(['churn', '--model', 'svm', '--db', db], capture()), { name: 'InputError', message: '--model must be one of gbt, forest, logistic (got "svm")' });
    assert.throws(() => horizonFlag('3 months'), { name: 'InputError', message: '--horizon must be a number of days or weeks like 90d or 13w, between 1 and 3650 days (got "3 months")' });
    assert.equal(horizonFlag('13w'), 91);
    assert.equal(horizonFlag('90'), 90);
  });
});
