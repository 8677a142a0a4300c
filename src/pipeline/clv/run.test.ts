import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accuracy, runClv, type ClvInput } from './index.js';

const summary: ClvInput = {
  kind: 'summary',
  source: 'inline',
  summary: {
    ids: ['a', 'b', 'c', 'd', 'e', 'f'],
    frequency: Float64Array.of(0, 1, 3, 2, 0, 5),
    recency: Float64Array.of(0, 4, 20, 10, 0, 28),
    T: Float64Array.of(30, 30, 30, 25, 0, 30),
    monetary: Float64Array.of(0, 10, 20, 15, 0, 30),
  },
};

describe('runClv', () => {
  it('fails a fit that does not converge, naming the model and the flag that allows it', () => {
    assert.throws(() => runClv(summary, { model: 'bgnbd', unit: 'weeks', fitOptions: { maxIterations: 3, maxRestarts: 0 } }), {
      message: /^BG\/NBD fit did not converge: .*; rerun with --allow-unconverged to see the flagged results$/,
    });
  });

  it('flags a non-converged fit when allowed, drops T = 0 rows, and keeps every value finite', () => {
    const r = runClv(summary, { model: 'pareto', unit: 'weeks', allowUnconverged: true, fitOptions: { maxIterations: 3, maxRestarts: 0 } });
    assert.equal(r.fit.converged, false);
    assert.match(r.warnings[0]!, /^NOT CONVERGED — Pareto\/NBD fit did not converge/);
    assert.equal(r.customers, 5);
    assert.deepEqual(r.excluded, { firstPurchaseAfterCalibration: 0, zeroT: 1 });
    for (const col of [r.pAlive, r.expectedPurchases, r.expectedSpend!, r.clv!]) assert.ok(col.every(Number.isFinite));
  });

  it('accuracy(predicted, actual) gives Pearson correlation and MAE, null correlation for a constant column', () => {
    const a = accuracy(Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 6));
    assert.ok(Math.abs(a.correlation! - 1) < 1e-12);
    assert.equal(a.mae, 2);
    assert.deepEqual(accuracy(Float64Array.of(1, 1), Float64Array.of(0, 3)), { correlation: null, mae: 1.5 });
  });
});
