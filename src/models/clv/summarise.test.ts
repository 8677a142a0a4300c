import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCdnowTransactions } from './cdnow.js';
import { parseDate } from './dates.js';
import { fitGammaGamma, gammaGammaConditionalExpectedSpend, repeatBuyers } from './gamma-gamma.js';
import { summarise, type Transactions } from './summarise.js';
import { col, csvColumns, missing, sharedText } from './test-data.js';

const RAW = 'cdnow/CDNOW_sample.txt';
const SUMMARY = 'cdnow/cdnow_customers_summary.csv';
const WITH_TX = 'cdnow/cdnow_customers_summary_with_transactions.csv';
const round2 = (v: number): number => Math.round(v * 100) / 100;

function sample() {
  const tx = readCdnowTransactions(sharedText(RAW)!, RAW, 'sample');
  return { tx, summary: summarise(tx, { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', unit: 'weeks' }) };
}

test('summarise of raw CDNOW_sample.txt equals cdnow_customers_summary.csv row for row (ID = sample id)', { skip: missing(RAW) || missing(SUMMARY) }, () => {
  // The summary file (lifetimes datasets, from Fader & Hardie) is keyed by the sample id, in weeks with calibration
  // end 1997-09-30 inclusive, T = (1997-09-30 − first purchase day)/7, values rounded to 2 decimals.
  const { summary } = sample();
  const { ids, columns } = csvColumns(sharedText(SUMMARY)!);
  assert.deepEqual(summary.ids, ids);
  assert.equal(summary.excludedCustomers, 0);
  assert.deepEqual(Array.from(summary.frequency), Array.from(col(columns, 'frequency')));
  assert.deepEqual(Array.from(summary.recency, round2), Array.from(col(columns, 'recency')));
  assert.deepEqual(Array.from(summary.T, round2), Array.from(col(columns, 'T')));
});

test('summarise of raw CDNOW_sample.txt equals cdnow_customers_summary_with_transactions.csv (x, t_x, T, zbar)', { skip: missing(RAW) || missing(WITH_TX) }, () => {
  // zbar in the file is the mean spend over repeat days rounded half-up to cents (Excel), so it is compared in cents
  // computed exactly from integers.
  const { tx, summary } = sample();
  const { ids, columns } = csvColumns(sharedText(WITH_TX)!);
  assert.deepEqual(summary.ids, ids);
  assert.deepEqual(Array.from(summary.frequency), Array.from(col(columns, 'x')));
  assert.deepEqual(Array.from(summary.recency, round2), Array.from(col(columns, 't_x')));
  assert.deepEqual(Array.from(summary.T, round2), Array.from(col(columns, 'T')));
  const zbar = col(columns, 'zbar');
  for (let i = 0; i < ids.length; i++) {
    const x = summary.frequency[i]!;
    const cents = x > 0 ? Math.round(Math.round(summary.monetary[i]! * x * 100) / x) : 0;
    assert.equal(cents, Math.round(zbar[i]! * 100), `customer ${ids[i]}: mean ${summary.monetary[i]} vs file ${zbar[i]}`);
  }
  assert.equal(tx.customerId.length, 6919);
});

test('Gamma-Gamma on unrounded spend from the raw sample gives 6.25, 3.74, 15.44 and first spend 24.65 (Hardie note 025)', { skip: missing(RAW) }, () => {
  const { summary } = sample();
  const fit = fitGammaGamma(repeatBuyers(summary.frequency, summary.monetary));
  assert.equal(fit.converged, true, fit.message);
  assert.deepEqual([fit.params.p, fit.params.q, fit.params.gamma].map((v) => v.toFixed(2)), ['6.25', '3.74', '15.44']);
  const spends = Array.from({ length: 10 }, (_, i) => gammaGammaConditionalExpectedSpend(fit.params, summary.frequency[i]!, summary.monetary[i]!).toFixed(2));
  assert.deepEqual(spends, ['24.65', '18.91', '35.17', '35.17', '35.17', '71.46', '18.91', '35.17', '27.28', '35.17']);
});

const day = (s: string): number => parseDate(s, 'test');
const tx = (rows: [string, string, number][]): Transactions => ({
  customerId: rows.map((r) => r[0]),
  time: Float64Array.from(rows, (r) => day(r[1]) + 3_600_000 * 5),
  amount: Float64Array.from(rows, (r) => r[2]),
});

test('summarise merges same-day transactions, keeps holdout out of calibration and excludes holdout-only customers', () => {
  const s = summarise(
    tx([
      ['a', '2020-01-01', 10], ['a', '2020-01-01', 5], ['a', '2020-01-08', 20], ['a', '2020-01-15', 30], ['a', '2020-01-15', 10],
      ['a', '2020-01-20', 99], ['a', '2020-02-01', 7], ['b', '2020-01-10', 1], ['c', '2020-01-20', 3], ['a', '2020-03-01', 1],
    ]),
    { calibrationEnd: '2020-01-15', observationEnd: '2020-01-29', unit: 'days' },
  );
  // scenario table: id, x, t_x, T, monetary, holdout x
  assert.deepEqual(s.ids, ['a', 'b']);
  assert.deepEqual(Array.from(s.frequency), [2, 0]);
  assert.deepEqual(Array.from(s.recency), [14, 0]);
  assert.deepEqual(Array.from(s.T), [14, 5]);
  assert.deepEqual(Array.from(s.monetary), [30, 0]);
  assert.deepEqual(Array.from(s.holdout!.frequency), [1, 0]);
  assert.equal(s.holdout!.duration, 14);
  assert.deepEqual(Array.from(s.holdout!.times), [5]);
  assert.equal(s.excludedCustomers, 1);
  assert.equal(s.ignoredTransactions, 2);
});

test('summarise rejects negative amounts, non-finite times and bad dates with the row and value', () => {
  const base = tx([['a', '2020-01-01', 10], ['a', '2020-01-02', -4]]);
  assert.throws(() => summarise(base, { calibrationEnd: '2020-01-15', unit: 'days' }), {
    name: 'InputError',
    message: 'summarise rejected 1 transaction(s): row 1: amount must be finite and ≥ 0 (got -4)',
  });
  assert.throws(() => summarise({ customerId: ['a'], time: Float64Array.of(NaN) }, { calibrationEnd: '2020-01-15', unit: 'days' }), {
    message: 'summarise rejected 1 transaction(s): row 0: time must be a finite ms epoch (got NaN)',
  });
  assert.throws(() => summarise({ customerId: ['a'], time: Float64Array.of(0) }, { calibrationEnd: '2020-02-30', unit: 'days' }), {
    message: 'calibrationEnd: date must be a real calendar date as YYYYMMDD or YYYY-MM-DD (got "2020-02-30")',
  });
  assert.throws(() => summarise({ customerId: ['a'], time: Float64Array.of(0) }, { calibrationEnd: '2020-02-01', observationEnd: '2020-01-01', unit: 'days' }), {
    message: 'summarise requires observationEnd on or after calibrationEnd (got observationEnd day 18262 < calibrationEnd day 18293)',
  });
  assert.throws(() => readCdnowTransactions(' 00001 1997013x  1   11.77\r\n', 'CDNOW_master.txt', 'master'), {
    message: 'CDNOW_master.txt: 1 bad line(s); first: CDNOW_master.txt:1: CDNOW_master.txt:1:2: date must be a real calendar date as YYYYMMDD or YYYY-MM-DD (got "1997013x")',
  });
});
