import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bgbbConditionalExpected, bgbbLogLikelihood, bgbbProbabilityAlive, fitBgBb } from './bgbb.js';
import { col, csvColumns, missing, sharedText } from './test-data.js';

const FILE = 'donations/donations.csv';

function donations() {
  const { columns } = csvColumns(sharedText(FILE)!);
  return { frequency: col(columns, 'frequency'), recency: col(columns, 'recency'), periods: col(columns, 'periods'), weights: col(columns, 'weights') };
}

test('BG/BB on the donations data reproduces α, β, γ, δ = 1.204, 0.750, 0.657, 2.783 and LL −33,225.6 (FHS 2010)', { skip: missing(FILE) }, () => {
  const fit = fitBgBb(donations());
  assert.equal(fit.converged, true, fit.message);
  const { alpha, beta, gamma, delta } = fit.params;
  assert.deepEqual([alpha, beta, gamma, delta].map((v) => v.toFixed(3)), ['1.204', '0.750', '0.657', '2.783']);
  assert.equal(fit.logLikelihood.toFixed(1), '-33225.6');
});

test('BG/BB P(alive) and E[X(n, n+5)] match lifetimes\' closed forms evaluated with scipy', () => {
  // Reference: lifetimes BetaGeoBetaBinomFitter.conditional_probability_alive / conditional_expected_number_of_
  // purchases_up_to_time re-evaluated with scipy 1.17.1 betaln/gammaln at these parameters, for x=3, t_x=4, n=6.
  const p = { alpha: 1.2035223611245143, beta: 0.749716402995275, gamma: 0.65671823905427, delta: 2.7834425333232513 };
  assert.ok(Math.abs(bgbbProbabilityAlive(p, 3, 4, 6) - 0.439593892273591) < 1e-12);
  assert.ok(Math.abs(bgbbConditionalExpected(p, 5, 3, 4, 6) - 1.034571581881628) < 1e-12);
});

test('BG/BB probabilities of all histories over n periods sum to 1', () => {
  // Σ over (x, t_x) of the number of paths × L(x, t_x, n) = 1; paths with x purchases and last at t_x: C(t_x−1, x−1).
  const p = { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.8 };
  const n = 6;
  const f: number[] = [0];
  const r: number[] = [0];
  const w: number[] = [1];
  const choose = (a: number, b: number): number => (b < 0 || b > a ? 0 : b === 0 ? 1 : (choose(a, b - 1) * (a - b + 1)) / b);
  for (let tx = 1; tx <= n; tx++) {
    for (let x = 1; x <= tx; x++) {
      f.push(x);
      r.push(tx);
      w.push(choose(tx - 1, x - 1));
    }
  }
  let total = 0;
  for (let i = 0; i < f.length; i++) {
    total += w[i]! * Math.exp(bgbbLogLikelihood(p, { frequency: Float64Array.of(f[i]!), recency: Float64Array.of(r[i]!), periods: Float64Array.of(n) }));
  }
  assert.ok(Math.abs(total - 1) < 1e-12, `total ${total}`);
});

test('fitBgBb rejects a recency that is not a whole number, naming the row', () => {
  assert.throws(
    () => fitBgBb({ frequency: Float64Array.of(1), recency: Float64Array.of(1.5), periods: Float64Array.of(6) }),
    { name: 'InputError', message: 'BG/BB requires whole-number recency and periods with frequency ≤ recency (got row 0: frequency=1, recency=1.5, periods=6)' },
  );
});
