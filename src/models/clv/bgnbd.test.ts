import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bgnbdConditionalExpected, bgnbdExpected, bgnbdLogLikelihood, bgnbdProbabilityAlive, bgnbdProbabilityOfN, fitBgNbd,
} from './bgnbd.js';
import { groupSummary } from './summary.js';
import { col, csvColumns, missing, sharedText } from './test-data.js';

const FILE = 'cdnow/cdnow_customers_summary.csv';
// Published parameters: Fader, Hardie & Lee (2005) "Counting Your Customers the Easy Way", Marketing Science 24(2).
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

function cdnow() {
  const { columns } = csvColumns(sharedText(FILE)!);
  return { frequency: col(columns, 'frequency'), recency: col(columns, 'recency'), T: col(columns, 'T') };
}

test('BG/NBD on the CDNOW sample reproduces r, α, a, b = 0.243, 4.414, 0.793, 2.426 and LL −9,582.4 (FHL 2005)', { skip: missing(FILE) }, () => {
  const fit = fitBgNbd(cdnow());
  assert.equal(fit.converged, true, fit.message);
  const { r, alpha, a, b } = fit.params;
  assert.deepEqual([r, alpha, a, b].map((v) => v.toFixed(3)), ['0.243', '4.414', '0.793', '2.426']);
  assert.equal(fit.logLikelihood.toFixed(1), '-9582.4');
  // E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 (FHL 2005 spreadsheet), at the fitted parameters
  assert.equal(bgnbdConditionalExpected(fit.params, 39, 2, 30.43, 38.86).toFixed(3), '1.226');
});

test('BG/NBD fit on grouped rows equals the fit on the rows', { skip: missing(FILE) }, () => {
  const s = cdnow();
  const grouped = groupSummary(s);
  assert.ok(grouped.frequency.length < s.frequency.length);
  const p = PUBLISHED;
  assert.ok(Math.abs(bgnbdLogLikelihood(p, grouped) - bgnbdLogLikelihood(p, s)) < 1e-8);
});

test('BG/NBD predictions at the published parameters match the paper and lifetimes', () => {
  // P(X(39) = 0) = 0.5737864 for a new customer: FHL (2005) spreadsheet, asserted in lifetimes' tests
  assert.ok(Math.abs(bgnbdProbabilityOfN(PUBLISHED, 39, 0) - 0.5737864) < 1e-7);
  // E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 (FHL 2005)
  assert.equal(bgnbdConditionalExpected(PUBLISHED, 39, 2, 30.43, 38.86).toFixed(3), '1.226');
});

test('BG/NBD P(X(t) = n) sums to 1 and its mean is E[X(t)]', () => {
  let total = 0;
  let mean = 0;
  for (let n = 0; n < 400; n++) {
    const pn = bgnbdProbabilityOfN(PUBLISHED, 39, n);
    total += pn;
    mean += n * pn;
  }
  assert.ok(Math.abs(total - 1) < 1e-10, `sum ${total}`);
  assert.ok(Math.abs(mean - bgnbdExpected(PUBLISHED, 39)) < 1e-8, `mean ${mean} vs ${bgnbdExpected(PUBLISHED, 39)}`);
});

test('BG/NBD P(alive) is 1 without repeat purchases and falls as the last purchase ages', () => {
  assert.equal(bgnbdProbabilityAlive(PUBLISHED, 0, 0, 38.86), 1);
  const recent = bgnbdProbabilityAlive(PUBLISHED, 5, 38, 38.86);
  const old = bgnbdProbabilityAlive(PUBLISHED, 5, 5, 38.86);
  assert.ok(recent > old && old > 0 && recent < 1, `recent ${recent}, old ${old}`);
});
