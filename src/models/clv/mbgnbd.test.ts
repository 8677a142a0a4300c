import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bgnbdConditionalExpected } from './bgnbd.js';
import { fitMbgNbd, mbgnbdConditionalExpected, mbgnbdProbabilityAlive } from './mbgnbd.js';
import { col, csvColumns, missing, sharedText } from './test-data.js';

const FILE = 'cdnow/cdnow_customers_summary.csv';

test('MBG/NBD on the CDNOW sample reproduces r, α, a, b = 0.525, 6.183, 0.891, 1.614 (Batislam et al. 2007; BTYDplus)', { skip: missing(FILE) }, () => {
  const { columns } = csvColumns(sharedText(FILE)!);
  const fit = fitMbgNbd({ frequency: col(columns, 'frequency'), recency: col(columns, 'recency'), T: col(columns, 'T') });
  assert.equal(fit.converged, true, fit.message);
  const { r, alpha, a, b } = fit.params;
  assert.deepEqual([r, alpha, a, b].map((v) => v.toFixed(3)), ['0.525', '6.183', '0.891', '1.614']);
  assert.ok(fit.logLikelihood > -9583 && fit.logLikelihood < -9581, `LL ${fit.logLikelihood}`);
});

test('MBG/NBD P(alive) is below 1 even without repeat purchases, unlike BG/NBD', () => {
  const p = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
  const p0 = mbgnbdProbabilityAlive(p, 0, 0, 38.86);
  assert.ok(p0 > 0 && p0 < 1, `P(alive | x=0) = ${p0}`);
});

test('MBG/NBD E[Y(t)] tends to BG/NBD with b shifted by one as dropout after the first purchase vanishes', () => {
  // With a → 0 both models keep every customer alive, and both expectations tend to (r+x)t/(α+T).
  const tiny = { r: 0.5, alpha: 6, a: 1e-7, b: 1.6 };
  const want = ((0.5 + 2) * 39) / (6 + 38.86);
  assert.ok(Math.abs(mbgnbdConditionalExpected(tiny, 39, 2, 30.43, 38.86) / want - 1) < 1e-5);
  assert.ok(Math.abs(bgnbdConditionalExpected(tiny, 39, 2, 30.43, 38.86) / want - 1) < 1e-5);
});
