import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PRESETS } from '../../pipeline/clv/index.js';
import type { Io } from '../output.js';
import { clvCommand } from './clv.js';

const dir = mkdtempSync(join(tmpdir(), 'segmenta-clv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SHARED = join(import.meta.dirname, '../../../../shared/data');
const CDNOW = join(SHARED, 'cdnow/cdnow_customers_summary.csv');
const CDNOW_ZBAR = join(SHARED, 'cdnow/cdnow_customers_summary_with_transactions.csv');
const skipCdnow = existsSync(CDNOW) ? false : `${CDNOW} is absent`;
const skipRetail = existsSync(PRESETS['online-retail']) ? false : `${PRESETS['online-retail']} is absent`;

function capture(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (t) => lines.push(t), err: (t) => errors.push(t), interactive: false };
}

interface Out {
  fit: { params: Record<string, number>; logLikelihood: number; converged: boolean };
  spendFit: { params: Record<string, number> } | null;
  customers: number;
  holdout: { model: { correlation: number; mae: number }; baseline: { correlation: number; mae: number }; tracking: unknown[]; duration: number } | null;
  customerRows: Record<string, number | string | null>[];
}

async function runJson(args: string[]): Promise<Out> {
  const io = capture();
  assert.equal(await clvCommand.run([...args, '--json'], io), 0);
  const text = io.lines.join('\n');
  assert.doesNotMatch(text, /NaN|Infinity/);
  return JSON.parse(text) as Out;
}

describe('segmenta clv', () => {
  it('reproduces BG/NBD r, α, a, b = 0.243, 4.414, 0.793, 2.426 on the CDNOW summary (Fader, Hardie & Lee 2005)', { skip: skipCdnow }, async () => {
    const out = await runJson(['--input', CDNOW, '--unit', 'weeks', '--model', 'bgnbd']);
    const { r, alpha, a, b } = out.fit.params;
    assert.deepEqual([r, alpha, a, b].map((v) => v!.toFixed(3)), ['0.243', '4.414', '0.793', '2.426']);
    assert.equal(out.fit.logLikelihood.toFixed(1), '-9582.4');
    assert.equal(out.fit.converged, true);
    assert.equal(out.customers, 2357);
    assert.equal(out.spendFit, null);
    const first = out.customerRows[0]!;
    assert.equal(first.id, '1');
    assert.ok((first.pAlive as number) > 0 && (first.pAlive as number) <= 1);
  });

  it('fits Gamma-Gamma p, q, γ = 6.25, 3.74, 15.44 on the summary with zbar (FHL 2005, JMR) and prices CLV', { skip: skipCdnow }, async () => {
    const out = await runJson(['--input', CDNOW_ZBAR, '--unit', 'weeks', '--spend', 'gamma-gamma']);
    const { p, q, gamma } = out.spendFit!.params;
    // The shipped z̄ is rounded to cents, which moves γ to 15.448 and the first spend to 24.66: ± 0.01, as in
    // src/models/clv/gamma-gamma.test.ts (lifetimes asserts 2 decimals the same way).
    assert.deepEqual([p, q].map((v) => v!.toFixed(2)), ['6.25', '3.74']);
    assert.ok(Math.abs(gamma! - 15.44) < 0.01, `gamma ${gamma}`);
    // E[spend] of customer 1 = 24.65 (Hardie note 025 spreadsheet)
    assert.ok(Math.abs((out.customerRows[0]!.expectedSpend as number) - 24.65) < 0.011);
    assert.ok(out.customerRows.every((row) => typeof row.clv === 'number' && row.clv >= 0));
  });

  it('runs Online Retail out of time (calibration to 2011-09-09, holdout to 2011-12-09) better than the naive rate', { skip: skipRetail }, async () => {
    const out = await runJson(['--preset', 'online-retail', '--calibration-end', '2011-09-09', '--holdout-end', '2011-12-09', '--unit', 'days', '--model', 'bgnbd']);
    assert.equal(out.holdout!.duration, 91);
    assert.equal(out.customers, 3362);
    assert.equal(out.holdout!.tracking.length, 13);
    assert.ok(out.holdout!.model.correlation > 0.5, `correlation ${out.holdout!.model.correlation}`);
    assert.ok(out.holdout!.model.correlation > out.holdout!.baseline.correlation);
    assert.ok(out.holdout!.model.mae < 1.5);
  });

  it('reads raw transactions, writes every customer to --out and prints the holdout in text', async () => {
    const file = join(dir, 'tx.csv');
    writeFileSync(file, [
      'customer_id,date,amount',
      'a,2024-01-01,10', 'a,2024-01-01,5', 'a,2024-01-20,20', 'a,2024-02-15,30', 'a,2024-03-10,12',
      'b,2024-01-05,50', 'b,2024-02-25,40', 'b,2024-03-20,8',
      'c,2024-01-10,5', 'c,2024-02-01,7',
      'd,2024-01-15,9',
      'e,2024-02-01,100', 'e,2024-02-10,80', 'e,2024-02-20,60', 'e,2024-03-25,60',
      'f,2024-03-15,1',
    ].join('\n'));
    const out = join(dir, 'customers.csv');
    const io = capture();
    const code = await clvCommand.run(['--input', file, '--calibration-end', '2024-02-29', '--holdout-end', '2024-03-31', '--unit', 'days', '--out', out, '--allow-unconverged'], io);
    assert.equal(code, 0);
    const text = io.lines.join('\n');
    assert.match(text, /^bgnbd on 5 customers \(days\)/);
    assert.match(text, /excluded: 1 first bought after calibration/);
    assert.match(text, /holdout \(31 days\): model correlation/);
    assert.doesNotMatch(text, /NaN/);
    const csv = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(csv[0], 'id,frequency,recency,T,pAlive,expectedPurchases,expectedSpend,clv,holdoutPredicted,holdoutActual,holdoutNaive');
    assert.equal(csv.length, 6);
    assert.match(csv[1]!, /^a,2,45,59,/); // same-day purchases merged: 2 repeat days, last on day 45 of 59
  });

  it('rejects negative amounts, a summary with a holdout, and a bad model, naming the values', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'customer_id,date,amount\na,2024-01-01,10\na,2024-01-05,-3\n');
    await assert.rejects(clvCommand.run(['--input', bad, '--calibration-end', '2024-02-01', '--unit', 'days'], capture()), {
      name: 'InputError', message: 'summarise rejected 1 transaction(s): row 1: amount must be finite and ≥ 0 (got -3)',
    });
    const summary = join(dir, 'summary.csv');
    writeFileSync(summary, 'frequency,recency,T\n1,2,5\n0,0,5\n');
    await assert.rejects(clvCommand.run(['--input', summary, '--holdout-end', '2024-02-01', '--unit', 'weeks'], capture()), {
      message: `clv --holdout-end requires transactions, not a summary (got a summary in ${summary})`,
    });
    await assert.rejects(clvCommand.run(['--input', summary, '--unit', 'weeks', '--spend', 'gamma-gamma'], capture()), /--spend gamma-gamma requires amounts/);
    await assert.rejects(clvCommand.run(['--input', summary, '--unit', 'weeks', '--model', 'bgbb'], capture()), {
      message: '--model must be one of bgnbd, pareto, mbgnbd (got "bgbb")',
    });
    await assert.rejects(clvCommand.run(['--input', summary, '--unit', 'months'], capture()), { message: '--unit must be days or weeks (got "months")' });
    await assert.rejects(clvCommand.run(['--input', bad, '--unit', 'days'], capture()), { message: 'clv requires --calibration-end for transactions (got none)' });
  });
});
