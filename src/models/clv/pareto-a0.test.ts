import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../core/rng.js';
import { fitBgNbd } from './bgnbd.js';
import { paretoEndpoints, paretoLogA0, paretoLogA0Rows } from './pareto-a0.js';
import { fitParetoNbd, paretoNbdLogLikelihood, paretoNbdLogLikelihoodOne } from './pareto-nbd.js';
import { simulateBgNbd } from './simulate.js';
import { groupSummary } from './summary.js';

// [r, α, s, β, x, t_x, T] → ln A₀, from mpmath 1.2.1 at 50 digits: ln(G(t_x) − G(T)) with G(u) =
// hyp2f1(c, b; c+1; |α−β|/(m+u)) / (m+u)^c, m = max(α, β), b = s+1 if α ≥ β else r+x (Fader & Hardie's note,
// eq. 20–21). Before the far expansion the Gauss series alone returned NaN at β/α = 10⁹ (no convergence within
// 500,000 terms) and lost 8 digits at α = β = 10⁹.
const REFERENCE: readonly (readonly [readonly number[], number])[] = [
  [[0.553, 10.578, 0.606, 11.669, 2, 30.43, 38.86], -12.578087949410452], // CDNOW fit, Gauss series only
  [[0.7236, 65.57, 1.03e-8, 1.002e7, 3, 120, 270], -30.25605557294999], // Online Retail in days: the no-dropout edge
  [[0.05, 1, 0.004, 1e9, 5, 279.5, 280], -48.348318512811424],
  [[0.7, 1e6, 0.6, 10, 200, 270, 280], -2774.26453217187], // α far with pFar = r+x = 200.7
  [[0.7, 10, 0.5, 200, 3, 30, 280], -17.796239810196116], // split inside [t_x, T]: both series
  [[0.05, 0.01, 0.004, 65, 0, 0, 40], -3.798103971475579],
  [[0.5, 20, 0.5, 20, 4, 10, 40], -17.037735606625358], // α = β
  [[0.7, 65.57, 0.01, 1e5, 5, 279.999, 280], -50.11401956819112], // t_x next to T
  [[0.553, 10.578, 0.606, 11.669, 500, 5000, 10000], -4269.527503597244],
  [[0.05, 1e9, 0.004, 1e9, 5, 279.5, 280], -124.53162024207379],
  [[3, 0.01, 5, 1e6, 40, 250, 280], -314.6727110153358],
];

test('paretoLogA0 matches a 50-digit evaluation to 1e-13 across α/β ratios from 1 to 10⁹', () => {
  for (const [[r, alpha, s, beta, x, tx, T], want] of REFERENCE) {
    const got = paretoLogA0({ r: r!, alpha: alpha!, s: s!, beta: beta! }, x!, tx!, T!);
    assert.ok(Math.abs(got - want) <= 1e-13 * Math.max(1, Math.abs(want)), `ln A₀(${[r, alpha, s, beta, x, tx, T].join(', ')}) = ${got}, want ${want}`);
  }
});

test('paretoLogA0 is −Infinity when t_x = T', () => {
  assert.equal(paretoLogA0({ r: 0.5, alpha: 10, s: 0.5, beta: 1e6 }, 3, 20, 20), -Infinity);
});

test('paretoLogA0Rows equals paretoLogA0 bit for bit, with end points shared between rows', () => {
  const frequency = Float64Array.of(0, 2, 2, 2, 7, 40);
  const recency = Float64Array.of(0, 10, 10, 30, 30, 250);
  const T = Float64Array.of(40, 40, 38, 40, 40, 280);
  const ends = paretoEndpoints(frequency, recency, T);
  assert.equal(ends.count, 10);
  for (const p of [{ r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 }, { r: 0.7, alpha: 10, s: 0.5, beta: 200 }, { r: 0.7, alpha: 65, s: 1e-8, beta: 1e7 }, { r: 2, alpha: 1e4, s: 0.3, beta: 2 }]) {
    const rows = paretoLogA0Rows(p, frequency, recency, T, ends, new Float64Array(6));
    rows.forEach((v, i) => assert.equal(v, paretoLogA0(p, frequency[i]!, recency[i]!, T[i]!), `row ${i} at ${JSON.stringify(p)}`));
  }
});

test('the Pareto/NBD total log-likelihood of grouped rows equals the sum of per-customer terms', () => {
  const s = { frequency: Float64Array.of(0, 1, 7, 500, 1), recency: Float64Array.of(0, 3, 20, 9000, 3), T: Float64Array.of(5, 30, 38.86, 10000, 30) };
  for (const p of [{ r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }, { r: 0.7, alpha: 9.4, s: 1e-8, beta: 2e6 }]) {
    let want = 0;
    for (let i = 0; i < 5; i++) want += paretoNbdLogLikelihoodOne(p, s.frequency[i]!, s.recency[i]!, s.T[i]!);
    for (const got of [paretoNbdLogLikelihood(p, s), paretoNbdLogLikelihood(p, groupSummary(s))]) {
      assert.ok(Math.abs(got - want) < 1e-12 * Math.abs(want), `${got} vs ${want}`);
    }
  }
});

test('Pareto/NBD on data without dropout converges at the edge and agrees with BG/NBD on r, α and the log-likelihood', () => {
  // No dropout: both models tend to the NBD (BG/NBD a → 0, Pareto/NBD s/β → 0), so their r, α and maximum log-
  // likelihood coincide. With α = 1 (about 25 purchases each) the edge is the maximum for every seed tried. The Gauss
  // series alone needed up to 500,000 terms per customer out there.
  const s = simulateBgNbd({ r: 0.7, alpha: 1, a: 1e-12, b: 1 }, 1000, createRng(7));
  const pn = fitParetoNbd(s);
  const bg = fitBgNbd(groupSummary(s));
  assert.equal(pn.converged, true, pn.message);
  assert.ok(pn.params.s / pn.params.beta < 1e-6, `s/β = ${pn.params.s / pn.params.beta}`);
  assert.ok(Math.abs(pn.params.r / bg.params.r - 1) < 1e-4, `r ${pn.params.r} vs ${bg.params.r}`);
  assert.ok(Math.abs(pn.params.alpha / bg.params.alpha - 1) < 1e-4, `α ${pn.params.alpha} vs ${bg.params.alpha}`);
  assert.ok(Math.abs(pn.logLikelihood - bg.logLikelihood) < 1e-6, `LL ${pn.logLikelihood} vs ${bg.logLikelihood}`);
});
