/** Property tests (fast-check) of the K-means invariants the house style asks for. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRng } from '../../core/rng.js';
import { createMatrix, type FeatureMatrix } from '../matrix.js';
import { kmeans, miniBatchKMeans, type KMeansAlgorithm } from './index.js';

/** Well-separated blobs: cluster c sits at 100·(c+1) in every column, rows within ±1 of it. */
const blobs = fc
  .record({
    k: fc.integer({ min: 1, max: 5 }),
    d: fc.integer({ min: 1, max: 4 }),
    perCluster: fc.integer({ min: 2, max: 25 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .chain(({ k, d, perCluster, seed }) =>
    fc
      .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: k * perCluster * d, maxLength: k * perCluster * d })
      .map((noise) => {
        const n = k * perCluster;
        const values = new Float64Array(n * d);
        for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) values[i * d + j] = 100 * ((i % k) + 1) + noise[i * d + j]!;
        return { m: createMatrix(values, n, d), k, seed };
      }),
  );

/** Arbitrary (not separated) small data, to check invariants that hold for any input. */
const anyData = fc
  .record({ rows: fc.integer({ min: 1, max: 40 }), d: fc.integer({ min: 1, max: 3 }), seed: fc.nat(1000) })
  .chain(({ rows, d, seed }) =>
    fc.tuple(
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: rows * d, maxLength: rows * d }),
      fc.integer({ min: 1, max: rows }),
      fc.constantFrom<KMeansAlgorithm>('hamerly', 'lloyd'),
    ).map(([v, k, algorithm]) => ({ m: createMatrix(Float64Array.from(v), rows, d), k, seed, algorithm })),
  );

function sqDist(m: FeatureMatrix, i: number, c: Float64Array, j: number): number {
  let s = 0;
  for (let t = 0; t < m.cols; t++) s += (m.values[i * m.cols + t]! - c[j * m.cols + t]!) ** 2;
  return s;
}

/** Relabels clusters by order of first appearance, so equal partitions compare equal. */
function canonical(labels: ArrayLike<number>): number[] {
  const map = new Map<number, number>();
  return Array.from(labels, (l) => {
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l)!;
  });
}

describe('kmeans invariants (fast-check)', () => {
  it('labels are in range, sizes sum to rows, and sizes count the labels', () => {
    fc.assert(
      fc.property(anyData, ({ m, k, seed, algorithm }) => {
        const r = kmeans(m, { k, seed, nInit: 2, algorithm });
        assert.ok(r.labels.every((l) => l >= 0 && l < k));
        assert.equal(r.sizes.reduce((a, b) => a + b, 0), m.rows);
        for (let c = 0; c < k; c++) assert.equal(r.sizes[c], r.labels.filter((l) => l === c).length);
      }),
      { numRuns: 150 },
    );
  });

  it('inertia never rises across iterations, and the final inertia is at most the last step', () => {
    fc.assert(
      fc.property(anyData, ({ m, k, seed, algorithm }) => {
        const r = kmeans(m, { k, seed, nInit: 1, tolerance: 0, algorithm });
        const h = r.inertiaHistory;
        assert.equal(h.length, r.iterations);
        const slack = (v: number): number => 1e-12 * Math.abs(v) + 1e-12;
        for (let i = 1; i < h.length; i++) assert.ok(h[i]! <= h[i - 1]! + slack(h[i - 1]!), `history ${h.join(', ')}`);
        assert.ok(r.inertia <= h[h.length - 1]! + slack(r.inertia));
      }),
      { numRuns: 150 },
    );
  });

  it('every row is nearest its own centroid when the run ends, and inertia is the sum of those distances', () => {
    fc.assert(
      fc.property(anyData, ({ m, k, seed, algorithm }) => {
        const r = kmeans(m, { k, seed, nInit: 1, algorithm });
        let total = 0;
        for (let i = 0; i < m.rows; i++) {
          const own = sqDist(m, i, r.centroids, r.labels[i]!);
          total += own;
          for (let c = 0; c < k; c++) assert.ok(own <= sqDist(m, i, r.centroids, c));
        }
        assert.ok(Math.abs(total - r.inertia) <= 1e-9 * (1 + total));
      }),
      { numRuns: 150 },
    );
  });

  it('hamerly and lloyd give identical labels, centroids and inertia from the same seed', () => {
    fc.assert(
      fc.property(anyData, ({ m, k, seed }) => {
        const h = kmeans(m, { k, seed, nInit: 2, algorithm: 'hamerly' });
        const l = kmeans(m, { k, seed, nInit: 2, algorithm: 'lloyd' });
        assert.deepEqual(h.labels, l.labels);
        assert.deepEqual(h.centroids, l.centroids);
        assert.equal(h.inertia, l.inertia);
        assert.equal(h.iterations, l.iterations);
      }),
      { numRuns: 150 },
    );
  });

  it('the same seed gives the same result', () => {
    fc.assert(
      fc.property(anyData, ({ m, k, seed, algorithm }) => {
        assert.deepEqual(kmeans(m, { k, seed, nInit: 3, algorithm }), kmeans(m, { k, seed, nInit: 3, algorithm }));
        assert.deepEqual(miniBatchKMeans(m, { k, seed, batchSize: 8, maxIterations: 3 }), miniBatchKMeans(m, { k, seed, batchSize: 8, maxIterations: 3 }));
      }),
      { numRuns: 60 },
    );
  });

  it('permuting the rows does not change the clustering of well-separated blobs', () => {
    fc.assert(
      fc.property(blobs, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ m, k, seed }, permSeed) => {
        const n = m.rows;
        const perm = Int32Array.from({ length: n }, (_, i) => i);
        let s = permSeed;
        for (let i = n - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [perm[i], perm[j]] = [perm[j]!, perm[i]!];
        }
        const pv = new Float64Array(n * m.cols);
        for (let i = 0; i < n; i++) pv.set(m.values.subarray(perm[i]! * m.cols, (perm[i]! + 1) * m.cols), i * m.cols);
        const a = kmeans(m, { k, seed, nInit: 5 });
        const b = kmeans(createMatrix(pv, n, m.cols), { k, seed: seed + 1, nInit: 5 });
        const back = new Int32Array(n);
        for (let i = 0; i < n; i++) back[perm[i]!] = b.labels[i]!;
        assert.deepEqual(canonical(back), canonical(a.labels));
        assert.ok(Math.abs(a.inertia - b.inertia) <= 1e-9 * a.inertia + 1e-12);
        // The optimum of these blobs is known: one cluster per blob.
        assert.deepEqual(canonical(a.labels), canonical(Array.from({ length: n }, (_, i) => i % k)));
      }),
      { numRuns: 100 },
    );
  });

  it('a fit of 3 restarts and one skipping them give, kept as a fit of 10 keeps its runs, exactly the fit of 10', () => {
    fc.assert(
      fc.property(anyData, ({ m, k, seed, algorithm }) => {
        const full = kmeans(m, { k, seed, algorithm, nInit: 10 });
        const scan = kmeans(m, { k, seed, algorithm, nInit: 3 });
        const rest = kmeans(m, { k, seed, algorithm, nInit: 10, skipRestarts: 3 });
        assert.equal(rest.nInitRun, 7);
        // The earlier fit wins a tie, as the first best run does within one fit.
        const kept = rest.inertia < scan.inertia ? rest : scan;
        assert.equal(kept.inertia, full.inertia);
        assert.deepEqual(kept.labels, full.labels);
        assert.deepEqual(kept.centroids, full.centroids);
      }),
      { numRuns: 100 },
    );
  });

  it('the same holds where restarts find different optima (uniform points, k = 12): a later restart is the best for some seeds', () => {
    const rng = createRng(7);
    const m = createMatrix(Float64Array.from({ length: 400 * 2 }, () => rng.next()), 400, 2);
    let laterWins = 0;
    for (let seed = 0; seed < 20; seed++) {
      const full = kmeans(m, { k: 12, seed, nInit: 10 });
      const scan = kmeans(m, { k: 12, seed, nInit: 3 });
      const rest = kmeans(m, { k: 12, seed, nInit: 10, skipRestarts: 3 });
      const kept = rest.inertia < scan.inertia ? rest : scan;
      if (kept === rest) laterWins++;
      assert.equal(kept.inertia, full.inertia, `seed ${seed}`);
      assert.deepEqual(kept.labels, full.labels, `seed ${seed}`);
    }
    assert.ok(laterWins > 0 && laterWins < 20, `the skipped restarts matter in some seeds, not all (${laterWins} of 20)`);
  });

  it('skipRestarts must leave at least one restart to run', () => {
    const m = createMatrix(Float64Array.from([0, 1, 2, 10, 11, 12]), 6, 1);
    assert.throws(() => kmeans(m, { k: 2, nInit: 3, skipRestarts: 3 }), /skipRestarts to be a whole number from 0 to nInit - 1 \(got 3, nInit 3\)/);
    assert.throws(() => kmeans(m, { k: 2, nInit: 3, skipRestarts: -1 }), /skipRestarts/);
  });
});
