import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalRelabel, checkLabels, encodeLabels } from './labels.js';

describe('encodeLabels', () => {
  test('codes labels in ascending order of value, as sklearn LabelEncoder', () => {
    const e = encodeLabels(Int32Array.of(7, 3, 7, 100, 3, 3));
    assert.deepEqual(Array.from(e.codes), [1, 0, 1, 2, 0, 0]);
    assert.deepEqual(Array.from(e.values), [3, 7, 100]);
    assert.deepEqual(Array.from(e.counts), [3, 2, 1]);
    assert.equal(e.k, 3);
  });
  test('handles label values far larger than n through the sorted path', () => {
    const e = encodeLabels(Int32Array.of(2147483647, 5, 2147483647, 1e9));
    assert.deepEqual(Array.from(e.codes), [2, 0, 2, 1]);
    assert.deepEqual(Array.from(e.values), [5, 1e9, 2147483647]);
  });
  test('encodes an empty labeling to k = 0', () => {
    assert.equal(encodeLabels(new Int32Array(0)).k, 0);
  });
});

describe('canonicalRelabel', () => {
  test('numbers clusters in order of first appearance', () => {
    assert.deepEqual(Array.from(canonicalRelabel(Int32Array.of(9, 9, 2, 5, 2, 9))), [0, 0, 1, 2, 1, 0]);
  });
  test('maps two labelings of the same partition to the same array', () => {
    assert.deepEqual(canonicalRelabel(Int32Array.of(1, 0, 1, 2)), canonicalRelabel(Int32Array.of(40, 3, 40, 0)));
  });
  test('rejects negative labels naming the index', () => {
    assert.throws(() => canonicalRelabel(Int32Array.of(0, -3)), { message: 'canonicalRelabel requires non-negative labels (got labels[1]=-3)' });
  });
});

describe('checkLabels', () => {
  test('names both lengths on a mismatch', () => {
    assert.throws(() => checkLabels(Int32Array.of(0, 1), 3, 'inertia'), {
      name: 'InputError',
      message: 'inertia requires labels.length == rows (got labels.length=2, rows=3)',
    });
  });
});
