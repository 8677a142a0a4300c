// Expected numbers: scikit-learn 1.2.1 normalized_mutual_info_score (arithmetic) and mutual_info_score,
// from fixtures/sklearn/metrics/generate.py.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { labelEntropy, mutualInformation, normalizedMutualInfo } from './mutual-info.js';
import { assertClose, labelsOf, loadFixture } from './sklearn-fixture.js';

const fx = loadFixture();
const labelPair = fc
  .integer({ min: 0, max: 80 })
  .chain((n) => fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })))
  .map(([a, b]) => [Int32Array.from(a), Int32Array.from(b)] as const);

describe('normalizedMutualInfo', () => {
  for (const d of fx.datasets) {
    test(`matches sklearn NMI and MI on every pair of labelings of ${d.name}`, () => {
      for (const p of d.pairs) {
        const a = labelsOf(d, p.a);
        const b = labelsOf(d, p.b);
        assertClose(normalizedMutualInfo(a, b), p.nmi, `NMI ${d.name} ${p.a}~${p.b}`);
        assertClose(mutualInformation(a, b), p.mi, `MI ${d.name} ${p.a}~${p.b}`);
      }
    });
  }
  for (const c of fx.pairCases) {
    test(`matches sklearn on "${c.name}"`, () => {
      assertClose(normalizedMutualInfo(Int32Array.from(c.a), Int32Array.from(c.b)), c.nmi, c.name);
    });
  }
  test('stays in [0, 1] and is symmetric', () => {
    fc.assert(
      fc.property(labelPair, ([a, b]) => {
        const v = normalizedMutualInfo(a, b);
        assert.ok(v >= 0 && v <= 1 + 1e-12, `NMI ${v}`);
        assertClose(normalizedMutualInfo(b, a), v, 'NMI(b, a)', 1e-12);
      }),
    );
  });
  test('is 1 for a labeling against a relabelled copy of itself', () => {
    fc.assert(fc.property(labelPair, ([a]) => Math.abs(normalizedMutualInfo(a, a.map((x) => 10 - x)) - 1) < 1e-12));
  });
});

describe('labelEntropy', () => {
  test('is ln 2 for two equal clusters and 0 for one cluster', () => {
    assertClose(labelEntropy(Int32Array.of(3, 3, 8, 8)), Math.LN2, 'H');
    assert.equal(labelEntropy(Int32Array.of(4, 4, 4)), 0);
  });
});
