/**
 * Hierarchical clustering against scipy 1.10: fixtures/scipy/hierarchical/*.json are written by
 * fixtures/scipy/hierarchical/generate.py (scipy.cluster.hierarchy.linkage and fcluster on iris, wine and
 * breast_cancer standardised, and a seeded make_blobs set).
 */
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import { createMatrix } from '../matrix.js';
import { cutByHeight, cutByK, linkage, LINKAGE_METHODS, type LinkageMethod } from './index.js';

interface MethodFixture {
  Z: number[];
  maxclust: Record<string, number[]>;
  distance: { height: number; labels: number[] }[];
}
interface Fixture {
  rows: number;
  cols: number;
  X: number[];
  methods: Record<LinkageMethod, MethodFixture>;
}

const DATASETS = ['iris', 'wine', 'breast_cancer', 'blobs'] as const;
const load = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/scipy/hierarchical/${name}.json`, import.meta.url), 'utf8')) as Fixture;

/** Relabels by first appearance so two labelings of the same partition compare equal. */
function canonical(labels: ArrayLike<number>): number[] {
  const seen = new Map<number, number>();
  return Array.from(labels, (l) => {
    if (!seen.has(l)) seen.set(l, seen.size);
    return seen.get(l)!;
  });
}

function column(Z: ArrayLike<number>, c: number): number[] {
  const out: number[] = [];
  for (let i = c; i < Z.length; i += 4) out.push(Z[i]!);
  return out;
}

function hasTiedHeights(h: number[]): boolean {
  for (let i = 1; i < h.length; i++) if (h[i]! - h[i - 1]! <= 1e-9 * Math.abs(h[i]!)) return true;
  return false;
}

for (const name of DATASETS) {
  const fx = load(name);
  const m = createMatrix(Float64Array.from(fx.X), fx.rows, fx.cols);
  describe(`linkage on ${name} (${fx.rows}×${fx.cols}) matches scipy`, () => {
    for (const method of LINKAGE_METHODS) {
      const ref = fx.methods[method];
      const ours = linkage(m, { method });
      it(`${method}: sorted heights agree to 1e-9 relative`, () => {
        const a = column(ours.Z, 2);
        const b = column(ref.Z, 2);
        assert.equal(a.length, fx.rows - 1);
        for (let i = 0; i < a.length; i++) {
          const tol = 1e-9 * Math.max(Math.abs(b[i]!), 1e-300) + 1e-13;
          assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `merge ${i}: ours ${a[i]} scipy ${b[i]}`);
        }
      });
      it(`${method}: cluster sizes per merge agree`, () => {
        assert.deepEqual(column(ours.Z, 3), column(ref.Z, 3));
      });
      // Tied heights (iris has duplicate rows) let merges of equal height come in another order; ward scans
      // clusters in a different order than scipy, so its indices are compared only when no heights tie.
      const tied = hasTiedHeights(column(ref.Z, 2));
      it(`${method}: merged cluster indices agree${tied && method === 'ward' ? ' (skipped: tied heights)' : ''}`, () => {
        if (tied && method === 'ward') return;
        assert.deepEqual([column(ours.Z, 0), column(ours.Z, 1)], [column(ref.Z, 0), column(ref.Z, 1)]);
      });
      it(`${method}: cutByK agrees with fcluster(maxclust) up to relabelling`, () => {
        for (const [k, labels] of Object.entries(ref.maxclust)) {
          assert.deepEqual(Array.from(cutByK(ours, Number(k))), canonical(labels), `k=${k}`);
        }
      });
      it(`${method}: cutByHeight agrees with fcluster(distance) up to relabelling`, () => {
        for (const cut of ref.distance) {
          assert.deepEqual(Array.from(cutByHeight(ours, cut.height)), canonical(cut.labels), `h=${cut.height}`);
        }
      });
    }
  });
}

describe('linkage and cuts on small inputs', () => {
  it('two rows merge once at their distance (ward height = Euclidean distance for singletons)', () => {
    const m = createMatrix(Float64Array.from([0, 0, 3, 4]), 2, 2);
    for (const method of LINKAGE_METHODS) {
      assert.deepEqual(Array.from(linkage(m, { method }).Z), [0, 1, 5, 2], method);
    }
  });

  it('cutByK with k=rows gives singletons and k=1 gives one cluster', () => {
    const m = createMatrix(Float64Array.from([0, 1, 5, 6, 20]), 5, 1);
    const z = linkage(m, { method: 'average' });
    assert.deepEqual(Array.from(cutByK(z, 5)), [0, 1, 2, 3, 4]);
    assert.deepEqual(Array.from(cutByK(z, 1)), [0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(cutByK(z, 3)), [0, 0, 1, 1, 2]);
  });

  it('cutByK gives labels in range, at most k clusters, and heights never decrease (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (n, d, seed) => {
        const rng = createRng(seed);
        const values = new Float64Array(n * d);
        for (let i = 0; i < values.length; i++) values[i] = Math.round(rng.normal() * 4) / 2; // ties on purpose
        const m = createMatrix(values, n, d);
        for (const method of LINKAGE_METHODS) {
          const z = linkage(m, { method });
          const h = column(z.Z, 2);
          for (let i = 1; i < h.length; i++) assert.ok(h[i]! >= h[i - 1]!);
          assert.equal(z.Z[z.Z.length - 1], n);
          const k = 1 + (seed >>> 0) % n;
          const labels = cutByK(z, k);
          const distinct = new Set(labels).size;
          assert.ok(distinct <= k && distinct >= 1);
          for (const l of labels) assert.ok(l >= 0 && l < distinct);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('linkage rejects bad input with clear messages', () => {
  it('rejects fewer than 2 rows', () => {
    assert.throws(() => linkage(createMatrix(Float64Array.from([1, 2]), 1, 2), { method: 'ward' }), {
      name: 'InputError',
      message: 'linkage requires at least 2 rows (got rows=1)',
    });
  });
  it('rejects a non-finite value naming row and column', () => {
    const m = createMatrix(Float64Array.from([1, 2, 3, NaN]), 2, 2, undefined, ['recency', 'frequency']);
    assert.throws(() => linkage(m, { method: 'single' }), {
      message: 'linkage requires finite values (got NaN at row 2, column frequency)',
    });
  });
  it('rejects an unknown method', () => {
    const m = createMatrix(Float64Array.from([1, 2]), 2, 1);
    assert.throws(() => linkage(m, { method: 'centroid' as LinkageMethod }), {
      message: 'linkage requires method to be one of ward, complete, average, single (got centroid)',
    });
  });
  it('refuses complete linkage above the condensed-matrix memory cap', () => {
    const m = createMatrix(new Float64Array(100), 100, 1);
    assert.throws(() => linkage(m, { method: 'complete', maxCondensedBytes: 1000 }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /^linkage 'complete' requires its condensed distance matrix to fit in maxCondensedBytes \(got rows=100 needing 39600 bytes, maxCondensedBytes=1000\)/);
      return true;
    });
  });
  it('cutByK rejects k < 1 and k > rows', () => {
    const z = linkage(createMatrix(Float64Array.from([0, 1, 2]), 3, 1), { method: 'ward' });
    assert.throws(() => cutByK(z, 0), { message: 'cutByK requires an integer k between 1 and rows (got k=0, rows=3)' });
    assert.throws(() => cutByK(z, 4), { message: 'cutByK requires an integer k between 1 and rows (got k=4, rows=3)' });
  });
});
