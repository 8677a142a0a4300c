// Expected numbers: scikit-learn 1.2.1 adjusted_rand_score, from fixtures/sklearn/metrics/generate.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { adjustedRandIndex } from './adjusted-rand.js';
import { assertClose, labelsOf, loadFixture } from './sklearn-fixture.js';

const fx = loadFixture();
const labelPair = fc
  .integer({ min: 1, max: 80 })
  .chain((n) => fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })))
  .map(([a, b]) => [Int32Array.from(a), Int32Array.from(b)] as const);

describe('adjustedRandIndex', () => {
  for (const d of fx.datasets) {
    test(`matches sklearn on every pair of labelings of ${d.name}`, () => {
      for (const p of d.pairs) assertClose(adjustedRandIndex(labelsOf(d, p.a), labelsOf(d, p.b)), p.ari, `${d.name} ${p.a}~${p.b}`);
    });
  }
  for (const c of fx.pairCases) {
    test(`matches sklearn on "${c.name}"`, () => {
      assertClose(adjustedRandIndex(Int32Array.from(c.a), Int32Array.from(c.b)), c.ari, c.name);
    });
  }
  test('is 1 for a labeling against itself', () => {
    fc.assert(fc.property(labelPair, ([a]) => adjustedRandIndex(a, a) === 1));
  });
  test('is symmetric', () => {
    fc.assert(fc.property(labelPair, ([a, b]) => adjustedRandIndex(a, b) === adjustedRandIndex(b, a)));
  });
  test('stays exact when pair counts exceed 2^53 (n = 200,000)', () => {
    const n = 200_000;
    const a = Int32Array.from({ length: n }, (_, i) => i % 3);
    const b = Int32Array.from({ length: n }, (_, i) => (i < 100 ? 0 : i % 3));
    const r = adjustedRandIndex(a, b);
    assert.ok(r > 0.99 && r < 1, `ARI ${r}`);
  });
});
