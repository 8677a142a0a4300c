import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bgbbLogLikelihoodOne } from './bgbb.js';
import { bgnbdConditionalExpected, bgnbdLogLikelihood, bgnbdLogLikelihoodOne, bgnbdProbabilityAlive, fitBgNbd } from './bgnbd.js';
import { gammaGammaLogLikelihoodOne } from './gamma-gamma.js';
import { mbgnbdConditionalExpected, mbgnbdLogLikelihoodOne } from './mbgnbd.js';
import { paretoNbdConditionalExpected, paretoNbdLogLikelihoodOne, paretoNbdProbabilityAlive } from './pareto-nbd.js';
import { groupSummary } from './summary.js';

test('log-likelihoods and predictions stay finite for x = 500, T = 10,000', () => {
  const bg = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const pn = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
  for (const tx of [0, 5000, 9999, 10000]) {
    const values = [
      bgnbdLogLikelihoodOne(bg, 500, tx, 10000), mbgnbdLogLikelihoodOne(bg, 500, tx, 10000), paretoNbdLogLikelihoodOne(pn, 500, tx, 10000),
      bgnbdProbabilityAlive(bg, 500, tx, 10000), paretoNbdProbabilityAlive(pn, 500, tx, 10000),
      bgnbdConditionalExpected(bg, 52, 500, tx, 10000), mbgnbdConditionalExpected(bg, 52, 500, tx, 10000), paretoNbdConditionalExpected(pn, 52, 500, tx, 10000),
    ];
    values.forEach((v, i) => assert.ok(Number.isFinite(v), `value ${i} at t_x=${tx}: ${v}`));
  }
  // a customer who bought 500 times up to the end is almost surely alive
  assert.ok(bgnbdProbabilityAlive(bg, 500, 10000, 10000) > 0.99);
  assert.ok(Number.isFinite(bgbbLogLikelihoodOne({ alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.8 }, 400, 900, 1000)));
  assert.ok(Number.isFinite(gammaGammaLogLikelihoodOne({ p: 6.25, q: 3.74, gamma: 15.44 }, 500, 1e6)));
});

test('fitBgNbd rejects bad summaries with the row, the rule and the values', () => {
  const f = (frequency: number[], recency: number[], T: number[]) => () =>
    fitBgNbd({ frequency: Float64Array.from(frequency), recency: Float64Array.from(recency), T: Float64Array.from(T) });
  assert.throws(f([1, 2], [1], [2, 3]), { name: 'InputError', message: 'BG/NBD requires frequency, recency, T of one length (got 2, 1, 2)' });
  assert.throws(f([], [], []), { message: 'BG/NBD requires at least one customer (got 0 rows)' });
  assert.throws(f([1, 1.5], [1, 1], [2, 2]), { message: 'BG/NBD rejected 1 row(s): row 1: frequency must be a whole number ≥ 0 (got 1.5)' });
  assert.throws(f([1], [3], [2]), { message: 'BG/NBD rejected 1 row(s): row 0: recency must not exceed T (got recency=3, T=2)' });
  assert.throws(f([0], [1], [2]), { message: 'BG/NBD rejected 1 row(s): row 0: recency must be 0 when frequency is 0 (got recency=1)' });
  assert.throws(f([0], [0], [NaN]), { message: 'BG/NBD rejected 1 row(s): row 0: T must be finite and > 0 (got NaN)' });
});

test('groupSummary adds the weights of identical rows and keeps first-seen order', () => {
  const g = groupSummary({ frequency: Float64Array.of(1, 0, 1), recency: Float64Array.of(2, 0, 2), T: Float64Array.of(5, 5, 5) });
  assert.deepEqual(Array.from(g.frequency), [1, 0]);
  assert.deepEqual(Array.from(g.weights), [2, 1]);
});

test('the tabulated BG/NBD total log-likelihood equals the sum of per-customer terms', () => {
  const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const s = { frequency: Float64Array.of(0, 1, 7, 500), recency: Float64Array.of(0, 3, 20, 9000), T: Float64Array.of(5, 30, 38.86, 10000), weights: Float64Array.of(2, 1, 1, 3) };
  let want = 0;
  for (let i = 0; i < 4; i++) want += s.weights[i]! * bgnbdLogLikelihoodOne(p, s.frequency[i]!, s.recency[i]!, s.T[i]!);
  assert.ok(Math.abs(bgnbdLogLikelihood(p, s) - want) < 1e-9 * Math.abs(want), `${bgnbdLogLikelihood(p, s)} vs ${want}`);
});
