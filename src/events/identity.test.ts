import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveComponents } from './identity.js';

const graph = (n: number, links: [number, number][], rank: number[]) => ({
  n, rank: Int32Array.from(rank), from: Int32Array.from(links.map((l) => l[0])), to: Int32Array.from(links.map((l) => l[1])),
});

test('resolveComponents merges a chain a→b, b→c into one customer, the best-ranked id', () => {
  // ids: 0 anon, 1 user (rank 1), 2 user (rank 0)
  assert.deepEqual(Array.from(resolveComponents(graph(3, [[0, 1], [1, 2]], [-1, 1, 0]))), [2, 2, 2]);
});

test('resolveComponents handles cycles and self-links', () => {
  assert.deepEqual(Array.from(resolveComponents(graph(4, [[0, 1], [1, 2], [2, 0], [3, 3]], [-1, 0, -1, -1]))), [1, 1, 1, 3]);
});

test('resolveComponents maps ids without links to themselves, and a component without a ranked id to its smallest index', () => {
  assert.deepEqual(Array.from(resolveComponents(graph(5, [[3, 2]], [0, -1, -1, -1, -1]))), [0, 1, 2, 2, 4]);
});

test('resolveComponents rejects a link out of range and mismatched lengths', () => {
  assert.throws(() => resolveComponents(graph(2, [[0, 5]], [-1, -1])), /^RangeError: resolveComponents link 0 is out of range \(got 0 → 5, n=2\)$/);
  assert.throws(() => resolveComponents({ n: 2, rank: new Int32Array(1), from: new Int32Array(0), to: new Int32Array(0) }),
    /one rank per id \(got 1 ranks for n=2\)/);
});

test('resolveComponents gives every member of a component the same canonical id, whatever the link order', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 40 }).chain((n) => fc.record({
      n: fc.constant(n),
      links: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 60 }),
      users: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    })),
    ({ n, links, users }) => {
      let next = 0;
      const rank = users.map((u) => (u ? next++ : -1));
      const a = resolveComponents(graph(n, links, rank));
      const b = resolveComponents(graph(n, [...links].reverse().map(([x, y]) => [y, x] as [number, number]), rank));
      assert.deepEqual(a, b);
      for (const [x, y] of links) assert.equal(a[x], a[y]);
      for (let i = 0; i < n; i++) {
        const c = a[i]!;
        assert.equal(a[c], c); // canonical ids are fixed points
        if (c !== i) assert.ok(rank[c]! >= 0 || c < i);
      }
    }));
});
