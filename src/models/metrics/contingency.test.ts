import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contingency, contingencyDense } from './contingency.js';

describe('contingency', () => {
  test('counts rows per (label a, label b) cell in ascending label order', () => {
    const t = contingency(Int32Array.of(1, 1, 0, 0, 2), Int32Array.of(5, 6, 5, 5, 6));
    assert.deepEqual(Array.from(t.rowLabels), [0, 1, 2]);
    assert.deepEqual(Array.from(t.colLabels), [5, 6]);
    assert.deepEqual(Array.from(contingencyDense(t)), [2, 0, 1, 1, 0, 1]);
    assert.deepEqual(Array.from(t.rowSums), [2, 2, 1]);
    assert.deepEqual(Array.from(t.colSums), [3, 2]);
    assert.equal(t.n, 5);
  });
  test('builds the same cells through the sorted path when ka·kb is large', () => {
    const n = 5000;
    const a = Int32Array.from({ length: n }, (_, i) => i % 2500);
    const b = Int32Array.from({ length: n }, (_, i) => (i * 7) % 2003);
    const t = contingency(a, b);
    let total = 0;
    for (let i = 0; i < t.count.length; i++) {
      total += t.count[i]!;
      if (i > 0) assert.ok(t.row[i - 1]! * 2003 + t.col[i - 1]! < t.row[i]! * 2003 + t.col[i]!, 'cells in row-major order');
    }
    assert.equal(total, n);
    assert.equal(t.rowLabels.length * t.colLabels.length > 1 << 22, true);
  });
  test('rejects labelings of different lengths', () => {
    assert.throws(() => contingency(Int32Array.of(0, 1), Int32Array.of(0)), {
      name: 'InputError',
      message: 'contingency requires labelsB.length == labelsA.length (got labelsB.length=1, labelsA.length=2)',
    });
  });
});
