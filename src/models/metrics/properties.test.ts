// Invariants every score must keep, checked with fast-check on random small data sets.
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createMatrix } from '../matrix.js';
import { adjustedRandIndex } from './adjusted-rand.js';
import { calinskiHarabaszScore } from './calinski-harabasz.js';
import { daviesBouldinScore } from './davies-bouldin.js';
import { encodeLabels } from './labels.js';
import { normalizedMutualInfo } from './mutual-info.js';
import { silhouetteScore } from './silhouette.js';
import { assertClose } from './sklearn-fixture.js';

/** n rows × d columns with labels 0..3 holding 2..n−1 distinct values, plus an injective relabelling and a row order. */
const clustered = fc
  .record({ n: fc.integer({ min: 4, max: 30 }), d: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, d }) =>
    fc.record({
      n: fc.constant(n),
      d: fc.constant(d),
      // Values on a grid of eighths: sums are exact in any order, so a reordering cannot change a score by
      // rounding alone (free doubles near 0, like 1e-162 beside 1e-6, made Calinski–Harabasz's near-zero
      // within-cluster dispersion differ by more than any fixed tolerance between row orders).
      values: fc.array(fc.integer({ min: -80, max: 80 }).map((v) => v / 8), { minLength: n * d, maxLength: n * d }),
      labels: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      relabel: fc.shuffledSubarray([0, 5, 9, 17, 40, 1000, 123456], { minLength: 4, maxLength: 4 }),
      order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    }),
  )
  .filter(({ n, labels }) => {
    const k = encodeLabels(Int32Array.from(labels)).k;
    return k >= 2 && k <= n - 1;
  });

const scores = [
  ['silhouetteScore', silhouetteScore],
  ['daviesBouldinScore', daviesBouldinScore],
  ['calinskiHarabaszScore', calinskiHarabaszScore],
] as const;

describe('internal scores', () => {
  for (const [name, score] of scores) {
    test(`${name} does not change when labels are renamed or rows reordered`, () => {
      fc.assert(
        fc.property(clustered, ({ n, d, values, labels, relabel, order }) => {
          const m = createMatrix(Float64Array.from(values), n, d);
          const base = score(m, Int32Array.from(labels));
          const renamed = Int32Array.from(labels, (l) => relabel[l]!);
          assertClose(score(m, renamed), base, `${name} renamed`, 1e-10, 1e-12);
          const permuted = new Float64Array(n * d);
          order.forEach((r, i) => permuted.set(values.slice(r * d, r * d + d), i * d));
          assertClose(score(createMatrix(permuted, n, d), Int32Array.from(order, (r) => labels[r]!)), base, `${name} reordered`, 1e-10, 1e-12);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('agreement scores', () => {
  test('adjustedRandIndex and normalizedMutualInfo do not change when either labeling is renamed', () => {
    fc.assert(
      fc.property(clustered, clustered, ({ labels, relabel }, other) => {
        const a = Int32Array.from(labels);
        const b = Int32Array.from(labels, (_, i) => other.labels[i % other.labels.length]!);
        const renamed = Int32Array.from(labels, (l) => relabel[l]!);
        assertClose(adjustedRandIndex(renamed, b), adjustedRandIndex(a, b), 'ARI', 1e-12);
        assertClose(normalizedMutualInfo(renamed, b), normalizedMutualInfo(a, b), 'NMI', 1e-12);
      }),
      { numRuns: 150 },
    );
  });
});
