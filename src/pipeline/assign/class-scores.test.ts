import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confusionMatrix } from '../../models/supervised/index.js';
import { classScores } from './class-scores.js';

const close = (a: ArrayLike<number>, b: readonly number[]) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-12, `[${i}] ${a[i]} vs ${b[i]}`);
};

describe('classScores(confusion, k)', () => {
  // y = [0,0,1,1,2,2], pred = [0,1,1,1,0,2]: worked by hand with scikit-learn's definitions
  // (recall_score / precision_score / f1_score, average=None and 'macro', zero_division=0).
  it('gives per-class recall, precision and F1, their macro average and accuracy', () => {
    const s = classScores(confusionMatrix(Int32Array.of(0, 0, 1, 1, 2, 2), Int32Array.of(0, 1, 1, 1, 0, 2), 3), 3);
    close(s.support, [2, 2, 2]);
    close(s.recall, [0.5, 1, 0.5]);
    close(s.precision, [0.5, 2 / 3, 1]);
    close(s.f1, [0.5, 0.8, 2 / 3]);
    assert.ok(Math.abs(s.macroF1 - (0.5 + 0.8 + 2 / 3) / 3) < 1e-12);
    assert.ok(Math.abs(s.accuracy - 4 / 6) < 1e-12);
  });

  it('averages over classes that occur in y or in the predictions, with 0 for an empty denominator', () => {
    // class 1 is only predicted (F1 0, counted); class 3 occurs nowhere (not counted)
    const s = classScores(confusionMatrix(Int32Array.of(0, 0, 2), Int32Array.of(0, 1, 2), 4), 4);
    close(s.recall, [0.5, 0, 1, 0]);
    close(s.precision, [1, 0, 1, 0]);
    assert.ok(Math.abs(s.macroF1 - (2 / 3 + 0 + 1) / 3) < 1e-12);
    assert.deepEqual(classScores(new Float64Array(4), 2), { accuracy: 0, macroF1: 0, support: new Float64Array(2), recall: new Float64Array(2), precision: new Float64Array(2), f1: new Float64Array(2) });
  });
});
